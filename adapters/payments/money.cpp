#include "adapters/payments/money.hpp"

namespace vpnbot::payments {
namespace {

struct currency_entry {
  std::string_view code;
  unsigned exponent;
  bool fiat;
};

constexpr currency_entry currencies[] = {
    {"RUB", 2, true},  {"USD", 2, true},  {"EUR", 2, true},  {"GBP", 2, true},   {"BYN", 2, true},
    {"UAH", 2, true},  {"KZT", 2, true},  {"XTR", 0, false}, {"USDT", 6, false}, {"USDC", 6, false},
    {"TRX", 6, false}, {"BTC", 8, false}, {"LTC", 8, false}, {"TON", 9, false},  {"NOT", 9, false},
};

constexpr unsigned max_exponent = 18;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

// value * 10 + digit, or false on int64 overflow.
bool push_digit(int64_t& value, char digit) {
  return !__builtin_mul_overflow(value, 10, &value) &&
         !__builtin_add_overflow(value, digit - '0', &value);
}

}  // namespace

std::optional<unsigned> currency_exponent(std::string_view currency) {
  for (const auto& c : currencies)
    if (c.code == currency) return c.exponent;
  return std::nullopt;
}

bool is_fiat_currency(std::string_view currency) {
  for (const auto& c : currencies)
    if (c.code == currency) return c.fiat;
  return false;
}

std::optional<int64_t> parse_decimal(std::string_view text, unsigned exponent,
                                     unsigned max_fraction_digits) {
  if (exponent > max_exponent) return std::nullopt;
  auto dot = text.find('.');
  auto whole = text.substr(0, dot);
  auto fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (!all_digits(whole)) return std::nullopt;
  if (dot != std::string_view::npos && !all_digits(fraction)) return std::nullopt;
  if (fraction.size() > max_fraction_digits) return std::nullopt;
  for (std::size_t i = exponent; i < fraction.size(); ++i)
    if (fraction[i] != '0') return std::nullopt;

  int64_t value = 0;
  for (char c : whole)
    if (!push_digit(value, c)) return std::nullopt;
  for (unsigned i = 0; i < exponent; ++i)
    if (!push_digit(value, i < fraction.size() ? fraction[i] : '0')) return std::nullopt;
  return value;
}

std::optional<money> parse_money(std::string_view text, std::string_view currency,
                                 unsigned max_fraction_digits) {
  auto exponent = currency_exponent(currency);
  if (!exponent) return std::nullopt;
  auto minor = parse_decimal(text, *exponent, max_fraction_digits);
  if (!minor) return std::nullopt;
  return money{*minor, std::string(currency)};
}

std::string format_decimal(int64_t minor, unsigned exponent) {
  // Work on the magnitude as unsigned so INT64_MIN is formatted too.
  const bool negative = minor < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  std::string digits = std::to_string(magnitude);
  if (digits.size() <= exponent) digits.insert(0, exponent + 1 - digits.size(), '0');
  if (exponent > 0) digits.insert(digits.size() - exponent, 1, '.');
  return negative ? "-" + digits : digits;
}

std::optional<std::string> format_money(const money& amount) {
  auto exponent = currency_exponent(amount.currency);
  if (!exponent) return std::nullopt;
  return format_decimal(amount.minor, *exponent);
}

}  // namespace vpnbot::payments
