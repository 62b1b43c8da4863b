#pragma once

// CoinGate as a payments::provider: orders created with POST /orders
// (order_id = our payment id, our derived callback token), callbacks checked
// by that token and never trusted: each is read back with GET /orders/{id},
// and that reply is the verdict. The watcher reads pending orders back one
// GET each.

#include <string>
#include <string_view>
#include <vector>

#include "adapters/payments/coingate.hpp"
#include "adapters/payments/provider.hpp"

namespace vpnbot::payments::coingate {

inline constexpr std::string_view provider_name = "coingate";

// An order as GET /orders/{id} returned it: paid → paid, expired, canceled
// or invalid → canceled, refunded → refunded (the whole price, refund id
// "order:<id>"), new, pending or confirming → pending; anything else
// (partially_refunded: CoinGate does not say how much) → ignored.
payment_verdict verdict_of(const order& o);

class provider final : public payments::provider {
 public:
  // callback_url: where CoinGate posts (…/pay/coingate); return_url: where
  // the payer goes after paying or cancelling.
  provider(settings s, std::string callback_secret, std::string callback_url,
           std::string return_url);

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
  notice notice_of(const callback& c) const;

  settings settings_;
  std::string callback_secret_;
  std::string callback_url_;
  std::string return_url_;
};

}  // namespace vpnbot::payments::coingate
