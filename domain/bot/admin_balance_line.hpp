#pragma once

// A balance adjustment as an admin types it in the bot: a sign, an amount
// in the currency's major units (exactly representable in its minor units)
// and an optional note, e.g. "+500 bonus for the review" or "-199.50 refund".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::telegram {

struct balance_line {
  int64_t delta_minor = 0;  // never 0
  std::string note;
};

// nullopt for anything else, a zero amount included.
std::optional<balance_line> parse_balance_line(const std::string& text, unsigned exponent);

}  // namespace vpnbot::telegram
