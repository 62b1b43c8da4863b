#include "domain/bot/ui/display.hpp"

#include <cstdio>

#include "adapters/codec/decimal.hpp"
#include "adapters/payments/money.hpp"

namespace vpnbot::telegram {
std::string format_price(int64_t minor, std::string_view currency) {
  auto exponent = payments::currency_exponent(currency).value_or(2);
  auto text = payments::format_decimal(minor, exponent);
  if (exponent > 0) {
    auto dot = text.find('.');
    if (dot != std::string::npos && text.find_first_not_of('0', dot + 1) == std::string::npos)
      text.erase(dot);
  }
  if (currency == "RUB") return text + " ₽";
  if (currency == "XTR") return text + " ⭐";
  if (currency == "USD") return "$" + text;
  if (currency == "EUR") return text + " €";
  return text + " " + std::string(currency);
}

std::string format_date(const texts& t, language l, std::string_view iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
  auto year = codec::decimal<int>(iso.substr(0, 4));
  auto month = codec::decimal<int>(iso.substr(5, 2));
  auto day = codec::decimal<int>(iso.substr(8, 2));
  if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31)
    return std::string(iso);
  auto month_name = t.label(l, "month." + std::to_string(*month));
  auto day_text = std::to_string(*day);
  auto year_text = std::to_string(*year);
  return t.label(l, "date.format", {{"day", day_text}, {"month", month_name}, {"year", year_text}});
}

std::string format_bytes(int64_t bytes) {
  static constexpr const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  if (bytes < 1024) return std::to_string(bytes < 0 ? 0 : bytes) + " B";
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, units[unit]);
  return buf;
}

std::string plan_title(const db::plan_row& p, language l) {
  auto it = p.def.titles.find(std::string(code(l)));
  if (it == p.def.titles.end()) it = p.def.titles.find("en");
  return it == p.def.titles.end() ? p.def.code : it->second;
}

}  // namespace vpnbot::telegram
