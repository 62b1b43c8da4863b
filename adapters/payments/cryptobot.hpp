#pragma once

// Crypto Pay API (@CryptoBot), PROTOCOLS.md §3.2: invoices priced in fiat
// and paid in crypto, a webhook signed with HMAC-SHA256 of the raw body
// keyed by SHA-256 of the app token. Requests carry the token in the
// Crypto-Pay-API-Token header; it never appears in errors.

#include <caf/expected.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/outbound_request.hpp"
#include "adapters/payments/money.hpp"
#include "messages/http.hpp"

namespace vpnbot::payments::cryptobot {

struct settings {
  std::string api_base =
      "https://pay.crypt.bot/api/";  // testnet: https://testnet-pay.crypt.bot/api/
  std::string token;
};

// description: at most this many characters (code points).
inline constexpr std::size_t max_description = 1024;

struct invoice_request {
  std::string payment_id;                    // ours; sent as payload, ≤ 4096 bytes
  money price;                               // a fiat amount, e.g. {19900, "RUB"}
  std::vector<std::string> accepted_assets;  // e.g. {"USDT", "TON"}; empty: all
  std::string description;                   // ≤ 1024 characters; empty: none
  std::chrono::seconds expires_in{3600};     // 1 s to 31 days
  std::string return_url;                    // empty: none; else a "Return" button after payment
};

caf::expected<outbound_request> create_invoice_request(const settings& s,
                                                       const invoice_request& request);
// The invoices with these ids (1 to 1000 of them), any status.
caf::expected<outbound_request> get_invoices_request(const settings& s,
                                                     const std::vector<int64_t>& invoice_ids);

struct invoice {
  int64_t invoice_id = 0;
  std::string status;                   // active | paid | expired
  std::string payload;                  // our payment id
  std::string currency_type;            // fiat | crypto
  std::string currency;                 // the fiat code or the asset
  std::string amount;                   // as sent
  std::optional<int64_t> amount_minor;  // when the currency is known and the amount exact
  std::string pay_url;                  // bot_invoice_url (pay_url in older replies)
  std::string paid_at;                  // ISO 8601, once paid
  std::string paid_asset;
  std::string paid_amount;
};

// {"ok":true,"result":Invoice}; ok:false is payment_errc::rejected with
// the error name, 429 and 5xx are retry_later.
caf::expected<invoice> read_create_invoice_reply(int status, std::string_view body);
// {"ok":true,"result":{"items":[Invoice...]}}
caf::expected<std::vector<invoice>> read_get_invoices_reply(int status, std::string_view body);

// Whether `signature_hex` (the crypto-pay-api-signature header, either
// case) is hex(HMAC-SHA256(key = SHA-256(token), raw_body)); compared in
// constant time.
bool verify_signature(std::string_view token, std::string_view raw_body,
                      std::string_view signature_hex);

struct update {
  int64_t update_id = 0;    // documented as not unique: dedupe on event_id()
  std::string update_type;  // "invoice_paid"
  std::string request_date;
  invoice invoice_data;

  // Unique per event: "invoice_paid:<invoice_id>".
  std::string event_id() const;
};

caf::expected<update> parse_update(std::string_view raw_body);

// The webhook as a whole: the signature over the exact bytes received
// (bad_signature when missing or wrong), then the update.
caf::expected<update> accept_webhook(const settings& s, const http_request& request);

}  // namespace vpnbot::payments::cryptobot
