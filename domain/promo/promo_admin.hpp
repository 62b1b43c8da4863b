#pragma once

// What an operator does with promo codes, over one transaction: create
// (checked, errors as values naming the field), list with their uses,
// disable. An HTTP handler (POST/GET /api/v1/promo-codes) wraps these with
// terms_from_json and to_json (promo_code.hpp).

#include <pqxx/pqxx>
#include <string>
#include <variant>
#include <vector>

#include "domain/promo/promo_code.hpp"

namespace vpnbot::promo {

// Refused: terms check_terms refuses, a plan that is not on sale (unknown
// or the trial), a code that exists already in any case.
std::variant<promo_code, field_error> create_promo_code(pqxx::dbtransaction& tx,
                                                        const promo_terms& terms);

std::vector<promo_code> list_promo_codes(pqxx::dbtransaction& tx);

// Nobody can redeem it any more; what was redeemed stays. False for an
// unknown code.
bool disable_promo_code(pqxx::dbtransaction& tx, const std::string& code);

}  // namespace vpnbot::promo
