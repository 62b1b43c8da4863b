#pragma once

// One user buying the 30-day plan through the bot as a person would:
// /start, Buy, 30 days, the payment method; then paying at the provider.

#include <cstdint>
#include <optional>
#include <string>

#include "chaos/payment_routes.hpp"

namespace vpnbot::chaos {

struct purchase {
  std::optional<checkout> paid;  // empty when the order stalled
  std::string stalled_at;        // the step that never came
};

purchase buy_plan(chaos_world& w, const payment_route& route, int64_t user);

}  // namespace vpnbot::chaos
