#pragma once

// Money as integer minor units of a currency, and the exact conversion to
// and from the decimal strings providers use ("199.00", "100.000000", "5").
// No floating point anywhere: a string that cannot be represented exactly
// in the currency's minor units is rejected, not rounded.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::payments {

struct money {
  int64_t minor = 0;
  std::string currency;  // ISO 4217 or a crypto asset code, upper case
  bool operator==(const money&) const = default;
};

// Digits after the decimal point: 2 for RUB/USD/EUR and the other fiat
// currencies we may be paid in, 0 for XTR (Telegram Stars), 6 for
// USDT/USDC/TRX, 8 for BTC/LTC, 9 for TON/NOT. nullopt for anything else
// (assets like ETH whose 18 digits do not fit int64 are not money here).
std::optional<unsigned> currency_exponent(std::string_view currency);
// Whether the code is one of the fiat currencies in that table.
bool is_fiat_currency(std::string_view currency);

// "199", "199.5", "199.50", "100.000000" → minor units with `exponent`
// digits. Only [0-9]+ with an optional '.' and [0-9]+: no sign, spaces,
// exponent or thousands separator; at most max_fraction_digits after the
// point, and every digit beyond the exponent must be 0.
std::optional<int64_t> parse_decimal(std::string_view text, unsigned exponent,
                                     unsigned max_fraction_digits = 18);

// The same for a currency code (its exponent from the table above).
std::optional<money> parse_money(std::string_view text, std::string_view currency,
                                 unsigned max_fraction_digits = 18);

// Exactly `exponent` digits after the point ("199.00"; "5" for exponent 0).
std::string format_decimal(int64_t minor, unsigned exponent);

// nullopt for a currency not in the table.
std::optional<std::string> format_money(const money& amount);

}  // namespace vpnbot::payments
