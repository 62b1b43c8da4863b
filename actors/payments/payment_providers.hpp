#pragma once

// The enabled payment providers' settings in the form the pure adapters
// take, built once from the configuration and shared by the payment actors.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/payments/cryptobot.hpp"
#include "adapters/payments/ip_allowlist.hpp"
#include "adapters/payments/robokassa.hpp"
#include "adapters/payments/yookassa.hpp"
#include "config/settings.hpp"
#include "messages/http_client.hpp"

namespace vpnbot::payments {

struct payment_providers {
  std::optional<cryptobot::settings> cryptobot;
  std::vector<std::string> cryptobot_assets;
  std::optional<yookassa::settings> yookassa;
  std::string yookassa_return_url;
  std::shared_ptr<const ip_allowlist> yookassa_sources;  // null: any source
  std::optional<robokassa::settings> robokassa;

  bool any() const { return cryptobot || yookassa || robokassa; }
  // Providers whose invoices the issuer makes.
  std::vector<std::string> names() const;
};

payment_providers providers_from(const config::settings& s);

// A provider API call for the HTTP client, bounded by `timeout`.
http_client_request provider_call(outbound_request r, std::chrono::milliseconds timeout);

}  // namespace vpnbot::payments
