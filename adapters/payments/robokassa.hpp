#pragma once

// Robokassa, PROTOCOLS.md §3.3: a signed link to the payment page and the
// signed ResultURL callback (server to server) that proves the payment.
//
//   link:      hash(MerchantLogin:OutSum:InvId:Password#1[:Shp_k=v...])
//   ResultURL: hash(OutSum:InvId:Password#2[:Shp_k=v...])
//
// Shp_ pairs are sorted by key. The hash is the one chosen in the shop's
// settings; the hex digest is compared case-insensitively and in constant
// time. OutSum is hashed exactly as received ("100.000000"), never
// re-formatted. Passwords and signatures never appear in errors. Test mode
// uses the shop's separate test passwords: pass those in settings.

#include <caf/expected.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/crypto/digest.hpp"
#include "adapters/payments/money.hpp"

namespace vpnbot::payments::robokassa {

struct settings {
  std::string merchant_login;
  std::string password1;  // signs links
  std::string password2;  // signs ResultURL callbacks
  crypto::hash_algorithm algorithm = crypto::hash_algorithm::md5;
  bool test = false;  // IsTest=1 on links
  std::string payment_page = "https://auth.robokassa.ru/Merchant/Index.aspx";
  // The XML interface (robokassa_op_state.hpp).
  std::string op_state_base = "https://auth.robokassa.ru/Merchant/WebService/Service.asmx";
  std::string culture;  // "ru", "en" or empty (Robokassa decides)
};

using shp_fields = std::vector<std::pair<std::string, std::string>>;

// Description: at most this many characters (code points).
inline constexpr std::size_t max_description = 100;

struct link_request {
  int64_t invoice_id = 0;   // InvId: our payment number, 1 to 2^31-1
  money price;              // in roubles: {19900, "RUB"}
  std::string description;  // ≤ 100 characters
  // Custom fields, names without the "Shp_" prefix: [A-Za-z0-9_], and no
  // name may be a prefix of another (then sorting by key and sorting the
  // "key=value" strings, as the official SDK does, agree).
  shp_fields shp;
  std::string email;  // prefills the payer's e-mail; empty: none
};

// The full payment page URL with its SignatureValue.
caf::expected<std::string> payment_link(const settings& s, const link_request& request);

struct result_notice {
  std::string out_sum;       // as received
  int64_t amount_minor = 0;  // OutSum in kopecks, exact
  int64_t invoice_id = 0;
  std::string fee;
  std::string email;
  std::string payment_method;
  bool is_test = false;
  shp_fields shp;  // full names as received ("Shp_user")

  // Unique per event: "result:<InvId>".
  std::string event_id() const { return "result:" + std::to_string(invoice_id); }
};

// Verifies a ResultURL call (the form-encoded POST body, or the query
// string of a GET) and reads it; payment_errc::bad_signature when the
// signature is missing or wrong, malformed when a field is.
caf::expected<result_notice> verify_result(const settings& s, std::string_view form);

// The plain-text body Robokassa expects after a verified ResultURL: "OK<InvId>".
std::string result_reply(int64_t invoice_id);

}  // namespace vpnbot::payments::robokassa
