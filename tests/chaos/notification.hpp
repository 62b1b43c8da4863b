#pragma once

// What a provider tells the service that a payment was made: an HTTP POST
// to the provider's webhook route, or (Telegram Stars) an update Telegram
// hands out through getUpdates.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace vpnbot::chaos {

struct notification {
  std::string provider;
  std::string path;  // the webhook route; empty for a Telegram update
  std::string body;
  std::map<std::string, std::string> headers;
  std::optional<nlohmann::json> telegram_update;
};

}  // namespace vpnbot::chaos
