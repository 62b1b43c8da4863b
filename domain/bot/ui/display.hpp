#pragma once

// How numbers the user reads are written: prices, dates and traffic, in the
// user's language. Words come from the texts catalogue; only digits and
// currency signs are placed here.

#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/db/plans_repository.hpp"
#include "domain/bot/ui/language.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::telegram {

// "199 ₽", "199.50 ₽", "150 ⭐", "5.00 USD": whole amounts without a fraction.
std::string format_price(int64_t minor, std::string_view currency);
// An ISO 8601 UTC timestamp ("2026-11-22T10:00:00Z" or PostgreSQL's
// "2026-11-22 10:00:00+00") as "Nov 22, 2026" / "22 ноября 2026"; the input
// unchanged when it is not such a timestamp.
std::string format_date(const texts& t, language l, std::string_view iso);
// The plan's title in the user's language, else English, else its code.
std::string plan_title(const db::plan_row& p, language l);
// "1.5 GB", "730 MB", "0 B".
std::string format_bytes(int64_t bytes);

}  // namespace vpnbot::telegram
