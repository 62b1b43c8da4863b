#pragma once

// YooKassa API v3 on loopback, PROTOCOLS.md §3.1: POST /v3/payments and
// POST /v3/refunds behind Basic auth with a required Idempotence-Key (a
// repeated key gets the stored response again, whatever the body: one
// refund per key, never a second), GET /v3/payments/{id},
// GET /v3/refunds/{id}, error objects (a refund over what is left of a
// payment is 400 naming amount.value), and the unsigned notifications a
// test posts to the service. The fake server's faults (5xx, delays, dropped
// connections) apply as usual; lose_refund_replies() makes a refund and
// never answers, as when the answer is lost after YooKassa acted.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/emulators/fake_http_server.hpp"

namespace vpnbot::emulators {

class yookassa_emulator {
 public:
  yookassa_emulator(std::string shop_id = "501234", std::string secret_key = "test_SecretKey");
  ~yookassa_emulator();

  // "http://127.0.0.1:<port>/v3/"
  std::string api_base() const;
  const std::string& shop_id() const;
  const std::string& secret_key() const;
  fake_http_server& server();

  // The payer pays (status succeeded); returns the payment.succeeded notification.
  std::string pay(const std::string& yookassa_id);
  // The payment is canceled; returns the payment.canceled notification.
  std::string cancel(const std::string& yookassa_id);
  // A refund in `status` (succeeded | pending | canceled) of `value` (e.g.
  // "99.50"; empty: the whole payment); returns the refund.succeeded
  // notification with the refund as YooKassa holds it.
  std::string refund(const std::string& yookassa_id, const std::string& status = "succeeded",
                     const std::string& value = "");
  // A notification about the payment as it is now, under any event name.
  std::string notification(const std::string& event, const std::string& yookassa_id) const;

  // Refunds made by POST /v3/refunds from now on end in `status`
  // (succeeded, the default, pending or canceled).
  void make_refunds_as(const std::string& status);
  // The next `times` refunds POST /v3/refunds makes are never answered: the
  // caller times out with the refund made.
  void lose_refund_replies(int times);
  // A refund's status becomes `status`; returns its refund.succeeded
  // notification as YooKassa holds the refund now.
  std::string settle_refund(const std::string& refund_id, const std::string& status = "succeeded");
  // The refunds of a payment, in the order made.
  std::vector<nlohmann::json> refunds_of(const std::string& yookassa_id) const;
  // POST /refunds answered or lost by the emulator (an injected fault answers
  // before it, and makes nothing).
  int refund_calls() const;

  std::optional<nlohmann::json> payment(const std::string& yookassa_id) const;
  int create_calls() const;      // POST /payments received
  int created_payments() const;  // distinct payments made

  struct state;

 private:
  std::shared_ptr<state> state_;
  std::unique_ptr<fake_http_server> server_;
};

}  // namespace vpnbot::emulators
