#include "domain/promo/promo_code.hpp"

#include <algorithm>
#include <regex>

namespace vpnbot::promo {
namespace {

bool known_kind(const std::string& kind) {
  return std::find(std::begin(kinds), std::end(kinds), kind) != std::end(kinds);
}

bool needs_currency(const std::string& kind) {
  return kind == "fixed_off" || kind == "balance_credit";
}

// A date with an optional time and offset that PostgreSQL reads as
// timestamptz; month and day ranges checked here so the cast cannot fail.
bool valid_timestamp(const std::string& s) {
  static const std::regex form(
      R"(^(\d{4})-(\d{2})-(\d{2})([T ](\d{2}):(\d{2})(:(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$)");
  std::smatch m;
  if (!std::regex_match(s, m, form)) return false;
  auto month = std::stoi(m[2]), day = std::stoi(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 28 + (month == 2 ? 1 : 3)) return false;
  if (m[5].matched && (std::stoi(m[5]) > 23 || std::stoi(m[6]) > 59)) return false;
  return !m[8].matched || std::stoi(m[8]) <= 59;
}

}  // namespace

std::optional<field_error> check_terms(const promo_terms& t) {
  static const std::regex code_form("^[A-Za-z0-9_-]{3,32}$");
  if (!std::regex_match(t.code, code_form))
    return field_error{"code", "expected 3-32 characters of A-Z, a-z, 0-9, _ and -"};
  if (!known_kind(t.kind))
    return field_error{"kind", "expected days, percent_off, fixed_off or balance_credit"};
  if (t.kind == "days" && (t.amount < 1 || t.amount > 3650))
    return field_error{"amount", "expected 1 to 3650 days"};
  if (t.kind == "percent_off" && (t.amount < 1 || t.amount > 99))
    return field_error{"amount", "expected 1 to 99 percent"};
  if (t.amount < 1) return field_error{"amount", "expected a positive amount in minor units"};
  if (needs_currency(t.kind) != t.currency.has_value())
    return field_error{"currency", needs_currency(t.kind)
                                       ? "expected the currency of the amount, such as RUB"
                                       : "expected no currency for this kind"};
  static const std::regex currency_form("^[A-Z]{3,5}$");
  if (t.currency && !std::regex_match(*t.currency, currency_form))
    return field_error{"currency", "expected a currency code such as RUB or XTR"};
  if (t.uses_limit && *t.uses_limit < 1)
    return field_error{"uses_limit", "expected a positive number or null"};
  if (t.valid_until && !valid_timestamp(*t.valid_until))
    return field_error{"valid_until", "expected an ISO 8601 time such as 2027-01-01T00:00:00Z"};
  static const std::regex plan_form("^[a-z0-9_-]{1,32}$");
  for (const auto& p : t.plans)
    if (!std::regex_match(p, plan_form)) return field_error{"plans", "expected plan codes"};
  return std::nullopt;
}

std::variant<promo_terms, field_error> terms_from_json(const nlohmann::json& body) {
  if (!body.is_object()) return field_error{"", "expected a JSON object"};
  promo_terms t;
  auto text = [&](const char* name, bool required) -> std::optional<field_error> {
    auto it = body.find(name);
    if (it == body.end() || it->is_null())
      return required ? std::optional<field_error>(field_error{name, "required"}) : std::nullopt;
    if (!it->is_string()) return field_error{name, "expected a string"};
    return std::nullopt;
  };
  if (auto e = text("code", true)) return *e;
  if (auto e = text("kind", true)) return *e;
  if (auto e = text("currency", false)) return *e;
  if (auto e = text("valid_until", false)) return *e;
  t.code = body["code"].get<std::string>();
  t.kind = body["kind"].get<std::string>();
  if (body.contains("currency") && !body["currency"].is_null())
    t.currency = body["currency"].get<std::string>();
  if (body.contains("valid_until") && !body["valid_until"].is_null())
    t.valid_until = body["valid_until"].get<std::string>();
  auto amount = body.find("amount");
  if (amount == body.end() || !amount->is_number_integer())
    return field_error{"amount", "expected an integer"};
  t.amount = amount->get<int64_t>();
  if (auto limit = body.find("uses_limit"); limit != body.end() && !limit->is_null()) {
    if (!limit->is_number_integer() || *limit < 1 || *limit > INT32_MAX)
      return field_error{"uses_limit", "expected a positive number or null"};
    t.uses_limit = limit->get<int>();
  }
  if (auto once = body.find("per_user_once"); once != body.end()) {
    if (!once->is_boolean()) return field_error{"per_user_once", "expected true or false"};
    t.per_user_once = once->get<bool>();
  }
  if (auto plans = body.find("plans"); plans != body.end() && !plans->is_null()) {
    if (!plans->is_array()) return field_error{"plans", "expected an array of plan codes"};
    for (const auto& p : *plans) {
      if (!p.is_string()) return field_error{"plans", "expected an array of plan codes"};
      t.plans.push_back(p.get<std::string>());
    }
  }
  if (auto e = check_terms(t)) return *e;
  return t;
}

nlohmann::json to_json(const promo_code& c) {
  auto optional = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"id", c.id},
          {"code", c.def.code},
          {"kind", c.def.kind},
          {"amount", c.def.amount},
          {"currency", optional(c.def.currency)},
          {"uses_limit", optional(c.def.uses_limit)},
          {"uses", c.uses},
          {"per_user_once", c.def.per_user_once},
          {"valid_until", optional(c.def.valid_until)},
          {"plans", c.def.plans},
          {"enabled", c.enabled},
          {"expired", c.expired},
          {"created_at", c.created_at}};
}

}  // namespace vpnbot::promo
