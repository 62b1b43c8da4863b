// The [bot] keys: what the bot offers and who runs it.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_bot_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back({"bot", "admin_ids", "Telegram user ids of the admins, comma-separated",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 std::vector<int64_t> ids;
                 for (const auto& item : comma_list(v)) {
                   auto id = parse_uint(item);
                   if (!id || *id == 0 || *id > uint64_t(INT64_MAX))
                     return "expected positive user ids separated by commas";
                   ids.push_back(static_cast<int64_t>(*id));
                 }
                 s.bot.admin_ids = ids;
                 return std::nullopt;
               },
               [](const settings& s) {
                 std::string out;
                 for (auto id : s.bot.admin_ids)
                   out += (out.empty() ? "" : ",") + std::to_string(id);
                 return out;
               }});
  k.push_back(string_key("bot", "support", "support contact shown in Help (@username or URL)",
                         &settings::bot, &bot_settings::support));
  k.push_back({"bot", "plans",
               "plans on sale: code:days:CUR=minor,...[:gb=N,devices=N] entries separated by ';' "
               "(one may be code:days:trial); gb is the traffic limit per period, devices the "
               "simultaneous IPs (limitIp); none means unlimited",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 if (auto e = parse_plan_catalog(v, s.bot.plans)) return "expected " + *e;
                 return std::nullopt;
               },
               [](const settings& s) { return print_plan_catalog(s.bot.plans); }});
  k.push_back({"bot", "payment_methods",
               "payment methods offered, comma-separated: stars, cryptobot, yookassa, robokassa, "
               "coingate",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 static const std::vector<std::string> known = {"stars", "cryptobot", "yookassa",
                                                                "robokassa", "coingate"};
                 std::vector<std::string> methods;
                 for (const auto& item : comma_list(v)) {
                   if (std::find(known.begin(), known.end(), item) == known.end())
                     return "expected some of stars, cryptobot, yookassa, robokassa, coingate";
                   methods.push_back(item);
                 }
                 s.bot.payment_methods = methods;
                 return std::nullopt;
               },
               [](const settings& s) {
                 std::string out;
                 for (const auto& m : s.bot.payment_methods) out += (out.empty() ? "" : ",") + m;
                 return out;
               }});
  k.push_back({"bot", "currency", "balance currency and the fiat price shown (ISO 4217)",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 if (v.size() != 3 || !std::all_of(v.begin(), v.end(),
                                                   [](unsigned char c) { return std::isupper(c); }))
                   return "expected a currency code such as RUB";
                 s.bot.currency = v;
                 return std::nullopt;
               },
               [](const settings& s) { return s.bot.currency; }});
  k.push_back(uint_key("bot", "referral_bonus",
                       "balance credit (minor units) for each invited friend's first payment",
                       &settings::bot, &bot_settings::referral_bonus, 0, 100000000));
  k.push_back(duration_key("bot", "payment_ttl",
                           "an unpaid order (and its provider invoice) expires after this",
                           &settings::bot, &bot_settings::payment_ttl, 60000ms));
}

}  // namespace vpnbot::config
