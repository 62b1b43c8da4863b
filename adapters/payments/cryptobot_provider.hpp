#pragma once

// CryptoBot as a payments::provider: invoices by createInvoice (payload =
// our payment id), notifications signed over the raw body and acted on as
// they are, pending invoices looked up in batches with getInvoices.

#include <string>
#include <string_view>
#include <vector>

#include "adapters/payments/cryptobot.hpp"
#include "adapters/payments/provider.hpp"

namespace vpnbot::payments::cryptobot {

inline constexpr std::string_view provider_name = "cryptobot";

// What an invoice says: paid only when paid and priced in fiat with an
// exact amount (we price in fiat; anything else is not ours to grant).
payment_verdict verdict_of(const invoice& inv);

class provider final : public payments::provider {
 public:
  provider(settings s, std::vector<std::string> accepted_assets);

  std::string name() const override;
  std::string webhook_path() const override;
  std::vector<std::string> webhook_methods() const override;
  std::vector<std::string> evidence_headers() const override;
  caf::expected<issue_plan> issue(const invoice_order& order) const override;
  caf::expected<notice> accept(const http_request& request) const override;
  caf::expected<notice> reparse(const std::string& raw_body) const override;
  bool supports_lookup() const override;
  std::vector<caf::expected<provider_exchange<std::vector<lookup_finding>>>> lookup(
      const std::vector<pending_invoice>& pending) const override;

 private:
  settings settings_;
  std::vector<std::string> assets_;
};

}  // namespace vpnbot::payments::cryptobot
