#pragma once

// A new promo code as an admin types it in the bot, on one line:
//
//   CODE kind amount [CURRENCY] [uses=N] [once|many] [until=YYYY-MM-DD] [plans=a,b]
//
// kind: days, percent, fixed or balance (or the stored names percent_off,
// fixed_off, balance_credit); with a currency the amount is in its major
// units ("250" RUB is 25000), exactly. until= a date means the end of that
// day, UTC. Only the line's form is checked here; the terms themselves are
// promo::create_promo_code's to refuse, naming the field.

#include <string>
#include <variant>

#include "domain/promo/promo_code.hpp"

namespace vpnbot::telegram {

std::variant<promo::promo_terms, promo::field_error> promo_terms_from_line(const std::string& line);

}  // namespace vpnbot::telegram
