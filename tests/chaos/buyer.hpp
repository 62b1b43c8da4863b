#pragma once

// One user buying the 30-day plan through the bot as a person would:
// /start, Buy, 30 days, the payment method; then paying at the provider.

#include <cstdint>

#include "chaos/payment_routes.hpp"

namespace vpnbot::chaos {

// One attempt; a purchase whose invoice was left in doubt is for the
// caller to start again.
purchase buy_plan(chaos_world& w, const payment_route& route, int64_t user);

}  // namespace vpnbot::chaos
