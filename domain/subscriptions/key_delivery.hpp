#pragma once

// The key message: the share link in the user's language (with the
// panel's subscription URL next to it when there is one), then its QR code,
// both on the transactional lane. Sent when a client is created, and again
// when an operator resends it.

#include <cstdint>
#include <optional>
#include <string>

#include "domain/bot/ui/language.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::subscriptions {

void send_key(telegram::outbox_writer& out, int64_t telegram_id, telegram::language lang,
              const std::string& link, const std::optional<std::string>& sub_url = std::nullopt);

}  // namespace vpnbot::subscriptions
