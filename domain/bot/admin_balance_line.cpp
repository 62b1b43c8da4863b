#include "domain/bot/admin_balance_line.hpp"

#include <regex>

#include "adapters/payments/money.hpp"

namespace vpnbot::telegram {

std::optional<balance_line> parse_balance_line(const std::string& text, unsigned exponent) {
  static const std::regex form(R"(^\s*([+-])\s*([0-9]+(?:\.[0-9]+)?)(?:\s+([\s\S]*?))?\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, form)) return std::nullopt;
  auto minor = payments::parse_decimal(m[2].str(), exponent);
  if (!minor || *minor == 0) return std::nullopt;
  return balance_line{m[1].str() == "-" ? -*minor : *minor, m[3].str()};
}

}  // namespace vpnbot::telegram
