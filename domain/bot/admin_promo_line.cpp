#include "domain/bot/admin_promo_line.hpp"

#include <regex>
#include <sstream>
#include <vector>

#include "adapters/codec/decimal.hpp"
#include "adapters/payments/money.hpp"

namespace vpnbot::telegram {
namespace {

std::string kind_of(const std::string& word) {
  if (word == "percent") return "percent_off";
  if (word == "fixed") return "fixed_off";
  if (word == "balance") return "balance_credit";
  return word;
}

}  // namespace

std::variant<promo::promo_terms, promo::field_error> promo_terms_from_line(
    const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  promo::promo_terms terms;
  if (words.empty()) return promo::field_error{"code", "expected a code"};
  terms.code = words[0];
  if (words.size() < 2)
    return promo::field_error{"kind", "expected days, percent, fixed or balance"};
  terms.kind = kind_of(words[1]);
  if (words.size() < 3) return promo::field_error{"amount", "expected an amount"};
  static const std::regex currency_form("^[A-Z]{3,5}$");
  for (std::size_t i = 3; i < words.size(); ++i) {
    const auto& w = words[i];
    if (std::regex_match(w, currency_form)) {
      terms.currency = w;
    } else if (w == "once" || w == "many") {
      terms.per_user_once = w == "once";
    } else if (w.starts_with("uses=")) {
      auto n = codec::decimal<int64_t>(std::string_view(w).substr(5));
      if (!n || *n < 1 || *n > 1'000'000'000)
        return promo::field_error{"uses_limit", "expected uses=N with N a positive number"};
      terms.uses_limit = static_cast<int>(*n);
    } else if (w.starts_with("until=")) {
      auto date = w.substr(6);
      terms.valid_until = date.size() == 10 ? date + "T23:59:59Z" : date;
    } else if (w.starts_with("plans=")) {
      std::istringstream plans(w.substr(6));
      for (std::string p; std::getline(plans, p, ',');) terms.plans.push_back(p);
    } else {
      return promo::field_error{"options", "unknown option " + w};
    }
  }
  if (!terms.currency) {
    auto n = codec::decimal<int64_t>(words[2]);
    if (!n) return promo::field_error{"amount", "expected a whole number"};
    terms.amount = *n;
    return terms;
  }
  auto exponent = payments::currency_exponent(*terms.currency);
  if (!exponent) return promo::field_error{"currency", "unknown currency " + *terms.currency};
  auto minor = payments::parse_decimal(words[2], *exponent);
  if (!minor) return promo::field_error{"amount", "expected an amount such as 250 or 99.50"};
  terms.amount = *minor;
  return terms;
}

}  // namespace vpnbot::telegram
