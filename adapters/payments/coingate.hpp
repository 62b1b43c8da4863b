#pragma once

// CoinGate API v2, PROTOCOLS.md §3.4: orders priced in fiat and paid in
// crypto. Requests carry `Authorization: Token <auth_token>`; the token
// never appears in errors. Callbacks are form-encoded and carry no
// signature, only the `token` we chose when creating the order: ours is
// derived from a secret and our payment id (callback_token), so it is
// checked without being stored. Even then a callback is only a hint: its
// order is read back with GET /orders/{id}.

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "adapters/outbound_request.hpp"
#include "adapters/payments/money.hpp"

namespace vpnbot::payments::coingate {

struct settings {
  // Sandbox: https://api-sandbox.coingate.com/v2
  std::string api_base = "https://api.coingate.com/v2";
  std::string auth_token;
  std::string receive_currency = "DO_NOT_CONVERT";
};

// title and description: CoinGate takes 3 to this many characters.
inline constexpr std::size_t min_text = 3;
inline constexpr std::size_t max_title = 150;
inline constexpr std::size_t max_description = 500;

struct order_request {
  std::string payment_id;   // ours: sent as order_id
  money price;              // price_amount and price_currency
  std::string title;        // cut to max_title before; shorter than min_text: left out
  std::string description;  // cut to max_description before; shorter than min_text: left out
  std::string callback_url;
  std::string success_url;  // empty: none
  std::string cancel_url;   // empty: none
  std::string token;        // our callback secret for this order (callback_token)
};

// POST /orders, form-encoded.
caf::expected<outbound_request> create_order_request(const settings& s,
                                                     const order_request& request);
// GET /orders/{id}.
caf::expected<outbound_request> get_order_request(const settings& s, std::string_view order_id);

struct order {
  std::string id;        // CoinGate's, a number written as text
  std::string status;    // new | pending | confirming | paid | invalid | expired | canceled |
                         // refunded | partially_refunded
  std::string order_id;  // ours
  money price;           // price_amount in price_currency, exact
  std::string payment_url;
};

caf::expected<order> parse_order(const nlohmann::json& object);

// The order on 200; retry_later on 429 and 5xx; rejected with CoinGate's
// `reason` on its error objects (401 BadAuthToken, 404 OrderNotFound, 422
// OrderIsNotValid).
caf::expected<order> read_order_reply(int status, std::string_view body);

struct callback {
  std::string id;        // CoinGate's order id
  std::string order_id;  // ours
  std::string status;    // as CoinGate says it; acted on only after a read-back
  std::string token;

  // Unique per order and status: "order.<status>:<id>" (the watcher's
  // findings use the same ids).
  std::string event_id() const;
};

// The form fields id, order_id, status and token; malformed when a field
// is missing or an escape is broken.
caf::expected<callback> parse_callback(std::string_view body);

// hex(HMAC-SHA256(key = secret, "coingate:" + payment_id)): the token an
// order of ours carries, so no token is stored.
std::string callback_token(std::string_view secret, std::string_view payment_id);

// The callback in `body`, when its token is the one callback_token gives
// for its order_id (compared in constant time); bad_signature otherwise.
caf::expected<callback> accept_callback(std::string_view secret, std::string_view body);

}  // namespace vpnbot::payments::coingate
