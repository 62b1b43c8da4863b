#pragma once

// YooKassa as a payments::provider: payments created with POST /payments
// (Idempotence-Key = our payment id), notifications checked against the
// published source ranges and never trusted: each is read back with
// GET /payments/{id} or GET /refunds/{id}, and that reply is the verdict.
// The watcher reads pending payments back one GET each. Operators' refunds
// are made with POST /refunds and read back with GET /refunds/{id}.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/payments/ip_allowlist.hpp"
#include "adapters/payments/provider.hpp"
#include "adapters/payments/yookassa.hpp"

namespace vpnbot::payments::yookassa {

inline constexpr std::string_view provider_name = "yookassa";

// A payment as GET /payments/{id} returned it.
payment_verdict verdict_of(const payment& p);
// A refund as GET /refunds/{id} returned it (nullopt: YooKassa knows none).
payment_verdict verdict_of(const std::optional<refund>& r);

class provider final : public payments::provider {
 public:
  // `sources` null: notifications are taken from any address.
  provider(settings s, std::string return_url, std::shared_ptr<const ip_allowlist> sources);

  std::string name() const override;
  std::string webhook_path() const override;
  std::vector<std::string> webhook_methods() const override;
  caf::expected<issue_plan> issue(const invoice_order& order) const override;
  caf::expected<notice> accept(const http_request& request) const override;
  caf::expected<notice> reparse(const std::string& raw_body) const override;
  bool supports_lookup() const override;
  std::vector<caf::expected<provider_exchange<std::vector<lookup_finding>>>> lookup(
      const std::vector<pending_invoice>& pending) const override;
  // POST /refunds with Idempotence-Key = the request id; GET /refunds/{id}.
  bool supports_refunds() const override;
  caf::expected<provider_exchange<provider_refund>> refund(
      const refund_order& order) const override;
  caf::expected<provider_exchange<provider_refund>> refund_status(
      const std::string& refund_id) const override;

 private:
  notice notice_of(const notification& n) const;

  settings settings_;
  std::string return_url_;
  std::shared_ptr<const ip_allowlist> sources_;
};

}  // namespace vpnbot::payments::yookassa
