#include "domain/bot/ui/keyboards.hpp"

#include <map>
#include <mutex>
#include <tuple>

namespace vpnbot::telegram {

inline_button callback_button(std::string label, const callback_action& a) {
  return inline_button::callback(std::move(label), encode_callback(a).value());
}

namespace {

using row = std::vector<inline_button>;

inline_button go(const texts& t, language l, std::string_view key, screen s) {
  return callback_button(t.label(l, key), open_screen{s});
}

row back_row(const texts& t, language l, screen to = screen::main) {
  return {go(t, l, "btn.back", to)};
}

}  // namespace

inline_keyboard main_menu(const texts& t, language l, bool offer_trial, bool offer_location,
                          bool admin) {
  inline_keyboard kb;
  if (offer_trial)
    kb.rows.push_back({go(t, l, "btn.trial", screen::trial), go(t, l, "btn.buy", screen::buy)});
  else
    kb.rows.push_back({go(t, l, "btn.buy", screen::buy)});
  kb.rows.push_back({go(t, l, "btn.subscriptions", screen::subscriptions)});
  kb.rows.push_back(
      {go(t, l, "btn.invite", screen::invite), go(t, l, "btn.balance", screen::balance)});
  kb.rows.push_back({go(t, l, "btn.promo", screen::promo)});
  kb.rows.push_back(
      {go(t, l, "btn.help", screen::help), go(t, l, "btn.language", screen::language)});
  if (offer_location) kb.rows.push_back({go(t, l, "btn.location", screen::location)});
  if (admin) kb.rows.push_back({go(t, l, "btn.admin", screen::admin)});
  return kb;
}

std::shared_ptr<const rendered_keyboard> rendered_main_menu(const texts& t, language l,
                                                            bool offer_trial, bool offer_location,
                                                            bool admin) {
  using key = std::tuple<std::uint64_t, language, bool, bool, bool>;
  static std::mutex guard;
  static std::map<key, std::shared_ptr<const rendered_keyboard>> made;
  key k{t.id(), l, offer_trial, offer_location, admin};
  {
    std::lock_guard lock(guard);
    if (auto it = made.find(k); it != made.end()) return it->second;
  }
  auto rendered = rendered_keyboard::of(main_menu(t, l, offer_trial, offer_location, admin));
  if (!rendered) return nullptr;
  std::lock_guard lock(guard);
  return made.emplace(k, std::move(*rendered)).first->second;
}

inline_keyboard back_to_menu(const texts& t, language l) {
  return {{{go(t, l, "btn.main_menu", screen::main)}}};
}

keyboard_result plans_menu(const texts& t, language l, const std::vector<plan_option>& plans) {
  inline_keyboard kb;
  for (const auto& p : plans) {
    auto data = encode_callback(choose_plan{p.code});
    if (!data) return fail("plan \"" + p.code + "\": " + data.error());
    kb.rows.push_back({inline_button::callback(
        t.label(l, "btn.plan", {{"name", p.name}, {"duration", p.duration}, {"price", p.price}}),
        std::move(*data))});
  }
  kb.rows.push_back(back_row(t, l));
  return kb;
}

keyboard_result payment_methods(const texts& t, language l, std::string_view plan,
                                const std::vector<std::string>& methods) {
  inline_keyboard kb;
  for (const auto& m : methods) {
    auto key = "btn.method." + m;
    if (!t.has(l, key)) return fail("payment method \"" + m + "\" has no label");
    auto data = encode_callback(choose_method{std::string(plan), m});
    if (!data) return fail("payment method \"" + m + "\": " + data.error());
    kb.rows.push_back({inline_button::callback(t.label(l, key), std::move(*data))});
  }
  kb.rows.push_back(back_row(t, l, screen::buy));
  return kb;
}

keyboard_result waiting_payment(const texts& t, language l, std::string_view pay_url,
                                std::string_view price, std::string_view payment_id) {
  auto cancel = encode_callback(cancel_payment{std::string(payment_id)});
  if (!cancel) return fail("payment \"" + std::string(payment_id) + "\": " + cancel.error());
  if (pay_url.empty()) return fail(std::string("payment URL is empty"));
  return inline_keyboard{
      {{inline_button::link(t.label(l, "btn.pay", {{"price", price}}), std::string(pay_url))},
       {inline_button::callback(t.label(l, "btn.cancel"), std::move(*cancel))}}};
}

keyboard_result stars_invoice(const texts& t, language l, std::string_view price,
                              std::string_view payment_id) {
  auto cancel = encode_callback(cancel_payment{std::string(payment_id)});
  if (!cancel) return fail("payment \"" + std::string(payment_id) + "\": " + cancel.error());
  return inline_keyboard{{{inline_button::pay(t.label(l, "btn.pay", {{"price", price}}))},
                          {inline_button::callback(t.label(l, "btn.cancel"), std::move(*cancel))}}};
}

inline_keyboard subscriptions_list(const texts& t, language l,
                                   const std::vector<subscription_option>& subscriptions) {
  inline_keyboard kb;
  for (const auto& s : subscriptions)
    kb.rows.push_back(
        {callback_button(t.label(l, "btn.subscription", {{"plan", s.plan}, {"expires", s.expires}}),
                         open_subscription{s.id})});
  kb.rows.push_back(back_row(t, l));
  return kb;
}

inline_keyboard subscription_actions(const texts& t, language l, std::int64_t subscription_id,
                                     bool auto_renew) {
  return {{{callback_button(t.label(l, "btn.qr"), show_qr{subscription_id}),
            callback_button(t.label(l, auto_renew ? "btn.auto_renew_on" : "btn.auto_renew_off"),
                            set_auto_renew{subscription_id, !auto_renew})},
           {callback_button(t.label(l, "btn.renew"), renew_subscription{subscription_id})},
           back_row(t, l, screen::subscriptions)}};
}

inline_keyboard invite(const texts& t, language l, std::string_view share_url) {
  return {{{inline_button::link(t.label(l, "btn.share"), std::string(share_url))}, back_row(t, l)}};
}

inline_keyboard balance(const texts& t, language l) {
  return {{{go(t, l, "btn.top_up", screen::top_up)}, back_row(t, l)}};
}

keyboard_result top_up_methods(const texts& t, language l, std::int64_t amount,
                               const std::vector<std::string>& methods) {
  inline_keyboard kb;
  for (const auto& m : methods) {
    auto key = "btn.method." + m;
    if (!t.has(l, key)) return fail("payment method \"" + m + "\" has no label");
    auto data = encode_callback(top_up{amount, m});
    if (!data) return fail("payment method \"" + m + "\": " + data.error());
    kb.rows.push_back({inline_button::callback(t.label(l, key), std::move(*data))});
  }
  kb.rows.push_back(back_row(t, l, screen::top_up));
  return kb;
}

inline_keyboard top_up_amounts(const texts& t, language l,
                               const std::vector<amount_option>& amounts) {
  inline_keyboard kb;
  row current;
  for (const auto& a : amounts) {
    current.push_back(
        callback_button(t.label(l, "btn.amount", {{"amount", a.label}}), top_up{a.amount, {}}));
    if (current.size() == 3) {
      kb.rows.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) kb.rows.push_back(std::move(current));
  kb.rows.push_back(back_row(t, l, screen::balance));
  return kb;
}

inline_keyboard help(const texts& t, language l, std::string_view support_url) {
  return {
      {{inline_button::link(t.label(l, "btn.support"), std::string(support_url))}, back_row(t, l)}};
}

inline_keyboard language_menu(const texts& t, language l) {
  return {{{callback_button(t.label(l, "btn.lang_en"), choose_language{language::en}),
            callback_button(t.label(l, "btn.lang_ru"), choose_language{language::ru})},
           back_row(t, l)}};
}

keyboard_result location_menu(const texts& t, language l, const std::vector<std::string>& panels,
                              const std::string& chosen) {
  inline_keyboard kb;
  for (const auto& name : panels) {
    auto data = encode_callback(choose_location{name});
    if (!data) return fail("location \"" + name + "\": " + data.error());
    kb.rows.push_back(
        {inline_button::callback(name == chosen ? "✓ " + name : name, std::move(*data))});
  }
  kb.rows.push_back(back_row(t, l));
  return kb;
}

}  // namespace vpnbot::telegram
