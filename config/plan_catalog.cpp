#include "config/plan_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace vpnbot::config {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    out.push_back(trim(s.substr(start, pos - start)));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

std::optional<int64_t> positive(const std::string& text) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

bool valid_code(const std::string& c) {
  return !c.empty() && c.size() <= 32 && std::all_of(c.begin(), c.end(), [](unsigned char ch) {
    return std::islower(ch) || std::isdigit(ch) || ch == '_' || ch == '-';
  });
}

bool valid_currency(const std::string& c) {
  return c.size() >= 3 && c.size() <= 5 &&
         std::all_of(c.begin(), c.end(), [](unsigned char ch) { return std::isupper(ch); });
}

// "gb=100,devices=3,link=raw": any of them, each once.
std::optional<std::string> parse_limits(const std::string& text, plan_setting& p) {
  std::set<std::string> seen;
  for (const auto& item : split(text, ',')) {
    auto eq = item.find('=');
    auto name = trim(item.substr(0, eq));
    auto word = eq == std::string::npos ? std::string() : trim(item.substr(eq + 1));
    // 0: no number, refused like any other bad value.
    int64_t value = positive(word).value_or(0);
    if (!seen.insert(name).second) return name + " is given twice";
    if (name == "link" && (word == "raw" || word == "sub"))
      p.raw_link = word == "raw";
    else if (name == "gb" && value > 0 && value <= 1000000)
      p.traffic_gb = value;
    else if (name == "devices" && value > 0 && value <= 1000)
      p.devices = static_cast<int>(value);
    else
      return "limits like gb=100,devices=3,link=raw (gb 1-1000000, devices 1-1000, link raw or "
             "sub)";
  }
  return std::nullopt;
}

}  // namespace

std::vector<plan_setting> default_plans() {
  return {{"trial", 3, true, {}, 0, 0, false},
          {"m1", 30, false, {{"RUB", 19900}, {"XTR", 150}}, 0, 0, false},
          {"m3", 90, false, {{"RUB", 49900}, {"XTR", 400}}, 0, 0, false},
          {"m12", 365, false, {{"RUB", 149900}, {"XTR", 1200}}, 0, 0, false}};
}

std::optional<std::string> parse_plan_catalog(std::string_view text,
                                              std::vector<plan_setting>& out) {
  std::vector<plan_setting> plans;
  std::set<std::string> codes;
  bool have_trial = false;
  for (const auto& entry : split(text, ';')) {
    if (entry.empty()) continue;
    auto fields = split(entry, ':');
    if (fields.size() != 3 && fields.size() != 4)
      return "\"" + entry + "\": expected code:days:prices or code:days:prices:limits";
    plan_setting p;
    p.code = fields[0];
    if (!valid_code(p.code)) return "\"" + entry + "\": the code must be 1-32 of a-z 0-9 _ -";
    if (!codes.insert(p.code).second) return "\"" + entry + "\": the code appears twice";
    auto days = positive(fields[1]);
    if (!days || *days > 3650) return "\"" + entry + "\": days must be 1-3650";
    p.days = static_cast<int>(*days);
    if (fields[2] == "trial") {
      if (have_trial) return "\"" + entry + "\": only one trial plan is allowed";
      have_trial = p.trial = true;
    } else {
      for (const auto& price : split(fields[2], ',')) {
        auto eq = price.find('=');
        auto currency = trim(price.substr(0, eq));
        auto amount = eq == std::string::npos ? std::nullopt : positive(trim(price.substr(eq + 1)));
        if (!valid_currency(currency) || !amount)
          return "\"" + entry + "\": expected prices like RUB=19900,XTR=150 (minor units)";
        if (!p.prices.emplace(currency, *amount).second)
          return "\"" + entry + "\": " + currency + " is priced twice";
      }
    }
    if (fields.size() == 4)
      if (auto e = parse_limits(fields[3], p)) return "\"" + entry + "\": " + *e;
    plans.push_back(std::move(p));
  }
  out = std::move(plans);
  return std::nullopt;
}

std::string print_plan_catalog(const std::vector<plan_setting>& plans) {
  std::string out;
  for (const auto& p : plans) {
    if (!out.empty()) out += "; ";
    out += p.code + ":" + std::to_string(p.days) + ":";
    if (p.trial) {
      out += "trial";
    } else {
      bool first = true;
      for (const auto& [currency, amount] : p.prices) {
        if (!first) out += ",";
        first = false;
        out += currency + "=" + std::to_string(amount);
      }
    }
    std::vector<std::string> limits;
    if (p.traffic_gb > 0) limits.push_back("gb=" + std::to_string(p.traffic_gb));
    if (p.devices > 0) limits.push_back("devices=" + std::to_string(p.devices));
    if (p.raw_link) limits.push_back("link=raw");
    for (std::size_t i = 0; i < limits.size(); ++i) out += (i == 0 ? ":" : ",") + limits[i];
  }
  return out;
}

}  // namespace vpnbot::config
