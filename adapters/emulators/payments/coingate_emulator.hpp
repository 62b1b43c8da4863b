#pragma once

// CoinGate API v2 on loopback, PROTOCOLS.md §3.4: POST /v2/orders (form or
// JSON) and GET /v2/orders/{id} behind `Authorization: Token <token>` (the
// PHP library's `Bearer <token>` is taken too), CoinGate's error objects
// (401 BadAuthToken, 404 OrderNotFound, 422 OrderIsNotValid), orders moved
// through their statuses by the test, and each move's callback as CoinGate
// posts it: form-encoded, carrying the order's token. Faults go through
// fake_http_server's inject().

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/emulators/fake_http_server.hpp"

namespace vpnbot::emulators {

class coingate_emulator {
 public:
  explicit coingate_emulator(std::string auth_token = "cg-sandbox-auth-token");
  ~coingate_emulator();

  // "http://127.0.0.1:<port>/v2"
  std::string api_base() const;
  const std::string& auth_token() const;
  fake_http_server& server();

  // The order moves to `status` (paid, expired, canceled, invalid,
  // refunded, pending, confirming, ...); returns its callback body.
  std::string move(int64_t order_id, const std::string& status);
  std::string pay(int64_t order_id) { return move(order_id, "paid"); }
  // The callback body for the order as it is now.
  std::string callback(int64_t order_id) const;

  std::optional<nlohmann::json> order(int64_t order_id) const;
  int create_calls() const;    // POST /orders received, answered or not
  int created_orders() const;  // orders made
  int get_calls() const;       // GET /orders/{id} received

  struct state;

 private:
  std::shared_ptr<state> state_;
  std::unique_ptr<fake_http_server> server_;
};

}  // namespace vpnbot::emulators
