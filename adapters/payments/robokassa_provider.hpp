#pragma once

// Robokassa as a payments::provider: the payment link is signed here, no
// call needed (InvId = our payment number, Shp_payment = our payment id);
// the ResultURL is signed with password #2, answered "OK<InvId>", and acted
// on as it is. The watcher asks the XML interface (OpStateExt,
// robokassa_op_state.hpp) about an invoice whose ResultURL never came; its
// invoice id is our number.

#include <string>
#include <string_view>
#include <vector>

#include "adapters/payments/provider.hpp"
#include "adapters/payments/robokassa.hpp"

namespace vpnbot::payments::robokassa {

inline constexpr std::string_view provider_name = "robokassa";

// A verified ResultURL: paid, naming the payment by its number; the id it
// carries in Shp_payment must be that payment's (the domain checks).
payment_verdict verdict_of(const result_notice& n);

class provider final : public payments::provider {
 public:
  explicit provider(settings s);

  std::string name() const override;
  std::string webhook_path() const override;
  std::vector<std::string> webhook_methods() const override;
  caf::expected<issue_plan> issue(const invoice_order& order) const override;
  caf::expected<notice> accept(const http_request& request) const override;
  caf::expected<notice> reparse(const std::string& raw_body) const override;
  bool supports_lookup() const override;
  std::vector<caf::expected<provider_exchange<std::vector<lookup_finding>>>> lookup(
      const std::vector<pending_invoice>& pending) const override;

 private:
  settings settings_;
};

}  // namespace vpnbot::payments::robokassa
