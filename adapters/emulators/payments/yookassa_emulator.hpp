#pragma once

// YooKassa API v3 on loopback, PROTOCOLS.md §3.1: POST /v3/payments behind
// Basic auth with a required Idempotence-Key (a repeated key gets the
// stored response again, whatever the body), GET /v3/payments/{id},
// GET /v3/refunds/{id}, error objects, and the unsigned notifications a test
// posts to the service.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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

  std::optional<nlohmann::json> payment(const std::string& yookassa_id) const;
  int create_calls() const;      // POST /payments received
  int created_payments() const;  // distinct payments made

  struct state;

 private:
  std::shared_ptr<state> state_;
  std::unique_ptr<fake_http_server> server_;
};

}  // namespace vpnbot::emulators
