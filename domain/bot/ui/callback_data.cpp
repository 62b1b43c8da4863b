#include "domain/bot/ui/callback_data.hpp"

#include <array>
#include <charconv>
#include <optional>
#include <vector>

#include "adapters/telegram/inline_keyboard.hpp"

namespace vpnbot::telegram {

namespace {

constexpr std::size_t max_identifier = 40;

constexpr std::array<std::pair<screen, std::string_view>, 17> screen_names = {{
    {screen::main, "main"},
    {screen::trial, "trial"},
    {screen::buy, "buy"},
    {screen::subscriptions, "subs"},
    {screen::invite, "invite"},
    {screen::balance, "balance"},
    {screen::help, "help"},
    {screen::language, "lang"},
    {screen::top_up, "topup"},
    {screen::admin, "admin"},
    {screen::location, "loc"},
    {screen::promo, "promo"},
    {screen::admin_stats, "astats"},
    {screen::admin_find, "afind"},
    {screen::admin_broadcast, "abcast"},
    {screen::admin_promos, "apromos"},
    {screen::admin_promo_new, "apnew"},
}};

constexpr std::array<std::pair<admin_user::op, std::string_view>, 7> user_ops = {{
    {admin_user::op::card, "c"},
    {admin_user::op::grant, "g"},
    {admin_user::op::take, "t"},
    {admin_user::op::balance, "b"},
    {admin_user::op::ban, "x"},
    {admin_user::op::unban, "u"},
    {admin_user::op::resend_key, "k"},
}};

constexpr std::array<std::pair<admin_broadcast::op, std::string_view>, 4> broadcast_ops = {{
    {admin_broadcast::op::refresh, "r"},
    {admin_broadcast::op::pause, "p"},
    {admin_broadcast::op::resume, "u"},
    {admin_broadcast::op::cancel, "c"},
}};

template <class Op, std::size_t N>
std::string_view name_of(const std::array<std::pair<Op, std::string_view>, N>& names, Op op) {
  for (const auto& [o, name] : names)
    if (o == op) return name;
  return {};
}

template <class Op, std::size_t N>
std::optional<Op> op_named(const std::array<std::pair<Op, std::string_view>, N>& names,
                           std::string_view wanted) {
  for (const auto& [o, name] : names)
    if (name == wanted) return o;
  return std::nullopt;
}

bool takes_days(admin_user::op op) {
  return op == admin_user::op::grant || op == admin_user::op::take;
}

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > max_identifier) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
          c == '-'))
      return false;
  return true;
}

std::optional<std::int64_t> number(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  // Only the canonical spelling: no "+1", "007", "-0" aliases of one value.
  if (ec != std::errc() || end != s.data() + s.size() || std::to_string(v) != s)
    return std::nullopt;
  return v;
}

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto colon = s.find(':', start);
    out.push_back(s.substr(start, colon - start));
    if (colon == std::string_view::npos) return out;
    start = colon + 1;
  }
}

struct encoder {
  std::string operator()(const open_screen& a) const {
    for (const auto& [s, name] : screen_names)
      if (s == a.to) return "m:" + std::string(name);
    return {};
  }
  std::string operator()(const choose_plan& a) const { return "p:" + a.plan; }
  std::string operator()(const choose_method& a) const { return "pm:" + a.plan + ":" + a.method; }
  std::string operator()(const cancel_payment& a) const { return "pc:" + a.payment; }
  std::string operator()(const open_subscription& a) const { return "s:" + std::to_string(a.id); }
  std::string operator()(const show_qr& a) const { return "q:" + std::to_string(a.id); }
  std::string operator()(const renew_subscription& a) const { return "r:" + std::to_string(a.id); }
  std::string operator()(const set_auto_renew& a) const {
    return "ar:" + std::to_string(a.id) + (a.on ? ":1" : ":0");
  }
  std::string operator()(const top_up& a) const {
    return "t:" + std::to_string(a.amount) + (a.method.empty() ? "" : ":" + a.method);
  }
  std::string operator()(const choose_language& a) const {
    return "l:" + std::string(code(a.lang));
  }
  std::string operator()(const choose_location& a) const { return "lo:" + a.panel; }
  std::string operator()(const admin_user& a) const {
    return "au:" + std::string(name_of(user_ops, a.what)) + ":" + std::to_string(a.telegram_id) +
           (takes_days(a.what) ? ":" + std::to_string(a.days) : "");
  }
  std::string operator()(const admin_refund& a) const {
    return "af:" + std::to_string(a.telegram_id) + ":" + a.payment;
  }
  std::string operator()(const admin_draft& a) const { return "ad:" + a.choice; }
  std::string operator()(const admin_broadcast& a) const {
    return "ab:" + std::string(name_of(broadcast_ops, a.what)) + ":" + std::to_string(a.id);
  }
  std::string operator()(const admin_promo_disable& a) const { return "ax:" + a.code; }
};

bool identifiers_valid(const callback_action& a) {
  if (auto* p = std::get_if<choose_plan>(&a)) return is_identifier(p->plan);
  if (auto* p = std::get_if<choose_method>(&a))
    return is_identifier(p->plan) && is_identifier(p->method);
  if (auto* p = std::get_if<cancel_payment>(&a)) return is_identifier(p->payment);
  if (auto* p = std::get_if<choose_location>(&a)) return is_identifier(p->panel);
  if (auto* p = std::get_if<top_up>(&a)) return p->method.empty() || is_identifier(p->method);
  if (auto* p = std::get_if<admin_user>(&a)) return !takes_days(p->what) || p->days > 0;
  if (auto* p = std::get_if<admin_refund>(&a)) return is_identifier(p->payment);
  if (auto* p = std::get_if<admin_draft>(&a)) return is_identifier(p->choice);
  if (auto* p = std::get_if<admin_promo_disable>(&a)) return is_identifier(p->code);
  return true;
}

std::optional<callback_action> parse_admin(const std::vector<std::string_view>& f) {
  const auto tag = f[0];
  if (tag == "au" && (f.size() == 3 || f.size() == 4)) {
    auto op = op_named(user_ops, f[1]);
    auto id = number(f[2]);
    if (!op || !id || takes_days(*op) != (f.size() == 4)) return std::nullopt;
    if (f.size() == 3) return admin_user{*id, *op, 0};
    auto days = number(f[3]);
    if (!days || *days <= 0) return std::nullopt;
    return admin_user{*id, *op, *days};
  }
  if (tag == "af" && f.size() == 3 && is_identifier(f[2]))
    if (auto id = number(f[1])) return admin_refund{*id, std::string(f[2])};
  if (tag == "ad" && f.size() == 2 && is_identifier(f[1])) return admin_draft{std::string(f[1])};
  if (tag == "ab" && f.size() == 3) {
    auto op = op_named(broadcast_ops, f[1]);
    auto id = number(f[2]);
    if (op && id) return admin_broadcast{*id, *op};
  }
  if (tag == "ax" && f.size() == 2 && is_identifier(f[1]))
    return admin_promo_disable{std::string(f[1])};
  return std::nullopt;
}

}  // namespace

result<std::string, std::string> encode_callback(const callback_action& action) {
  if (!identifiers_valid(action))
    return fail(std::string("callback field is not 1-40 of [A-Za-z0-9_-]"));
  auto data = std::visit(encoder{}, action);
  if (data.empty() || data.size() > max_callback_data_bytes)
    return fail("callback data of " + std::to_string(data.size()) + " bytes (1-64 allowed)");
  return data;
}

bool needs_admin(const callback_action& action) {
  if (auto* o = std::get_if<open_screen>(&action))
    return o->to == screen::admin || o->to == screen::admin_stats || o->to == screen::admin_find ||
           o->to == screen::admin_broadcast || o->to == screen::admin_promos ||
           o->to == screen::admin_promo_new;
  return std::holds_alternative<admin_user>(action) ||
         std::holds_alternative<admin_refund>(action) ||
         std::holds_alternative<admin_draft>(action) ||
         std::holds_alternative<admin_broadcast>(action) ||
         std::holds_alternative<admin_promo_disable>(action);
}

result<callback_action, std::string> parse_callback(std::string_view data) {
  auto garbage = [&] { return fail(std::string("unrecognised callback data")); };
  if (data.empty() || data.size() > max_callback_data_bytes) return garbage();
  auto f = split(data);
  const auto tag = f[0];
  if (tag.size() == 2 && tag[0] == 'a' && tag != "ar") {
    if (auto admin = parse_admin(f)) return *admin;
    return garbage();
  }
  if (tag == "m" && f.size() == 2) {
    for (const auto& [s, name] : screen_names)
      if (name == f[1]) return callback_action{open_screen{s}};
    return garbage();
  }
  if (tag == "p" && f.size() == 2 && is_identifier(f[1]))
    return callback_action{choose_plan{std::string(f[1])}};
  if (tag == "pm" && f.size() == 3 && is_identifier(f[1]) && is_identifier(f[2]))
    return callback_action{choose_method{std::string(f[1]), std::string(f[2])}};
  if (tag == "pc" && f.size() == 2 && is_identifier(f[1]))
    return callback_action{cancel_payment{std::string(f[1])}};
  if (tag == "lo" && f.size() == 2 && is_identifier(f[1]))
    return callback_action{choose_location{std::string(f[1])}};
  if (tag == "l" && f.size() == 2) {
    if (auto l = parse_language(f[1])) return callback_action{choose_language{*l}};
    return garbage();
  }
  if (f.size() == 2) {
    auto n = number(f[1]);
    if (!n) return garbage();
    if (tag == "s") return callback_action{open_subscription{*n}};
    if (tag == "q") return callback_action{show_qr{*n}};
    if (tag == "r") return callback_action{renew_subscription{*n}};
    if (tag == "t") return callback_action{top_up{*n, {}}};
  }
  if (tag == "t" && f.size() == 3 && is_identifier(f[2]))
    if (auto n = number(f[1])) return callback_action{top_up{*n, std::string(f[2])}};
  if (tag == "ar" && f.size() == 3 && (f[2] == "0" || f[2] == "1"))
    if (auto n = number(f[1])) return callback_action{set_auto_renew{*n, f[2] == "1"}};
  return garbage();
}

}  // namespace vpnbot::telegram
