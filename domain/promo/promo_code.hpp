#pragma once

// What an operator creates: a promo code's terms, checked, and the JSON an
// HTTP handler reads them from and answers with. A bad term is a value
// naming the field, never an exception.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "adapters/db/promo_codes_repository.hpp"

namespace vpnbot::promo {

// days: that many days of VPN; percent_off / fixed_off: a discount on the
// next order of an applicable plan; balance_credit: money on the balance.
inline constexpr const char* kinds[] = {"days", "percent_off", "fixed_off", "balance_credit"};

using promo_terms = db::new_promo_code;
using promo_code = db::promo_code_row;

struct field_error {
  std::string field;  // as in the JSON body: "code", "amount", ...
  std::string message;
};

// The terms from a JSON object such as
// {"code": "SPRING", "kind": "percent_off", "amount": 20, "uses_limit": 100,
//  "per_user_once": true, "valid_until": "2027-01-01T00:00:00Z", "plans": ["m1"]}.
std::variant<promo_terms, field_error> terms_from_json(const nlohmann::json& body);

// Checks what needs no database: the code's form, the amount for its kind,
// the currency where the kind needs one, the date's form.
std::optional<field_error> check_terms(const promo_terms& terms);

nlohmann::json to_json(const promo_code& code);

}  // namespace vpnbot::promo
