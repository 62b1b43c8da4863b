// Promo codes from the bot: the list with Disable buttons, and a new code
// from one line (admin_promo_line.hpp; the prompt's help text shows the
// form). The terms go through promo::create_promo_code, whose refusal
// names the field.

#include "domain/admin/acting_operator.hpp"
#include "domain/bot/admin_promo_line.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/display.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/promo/promo_admin.hpp"

namespace vpnbot::telegram::screens {
namespace {

constexpr std::size_t disable_offered = 20;

std::string state_of(turn& t, const promo::promo_code& c) {
  return t.t().label(t.lang, !c.enabled  ? "plain.promo_state.disabled"
                             : c.expired ? "plain.promo_state.expired"
                                         : "plain.promo_state.active");
}

std::string amount_of(const promo::promo_code& c) {
  if (c.def.kind == "percent_off") return std::to_string(c.def.amount) + "%";
  if (c.def.currency) return format_price(c.def.amount, *c.def.currency);
  return std::to_string(c.def.amount);
}

}  // namespace

view promo_list_view(turn& t, const std::string& result) {
  auto codes = promo::list_promo_codes(t.tx);
  std::string text = t.t().message(t.lang, "admin.promo.title");
  inline_keyboard kb;
  for (const auto& c : codes) {
    std::string plans;
    for (const auto& p : c.def.plans) plans += (plans.empty() ? "" : ",") + p;
    text +=
        "\n" +
        t.t().message(
            t.lang, "admin.promo.line",
            {{"code", c.def.code},
             {"kind", c.def.kind},
             {"amount", amount_of(c)},
             {"uses", std::to_string(c.uses)},
             {"limit", c.def.uses_limit ? std::to_string(*c.def.uses_limit) : "∞"},
             {"until", c.def.valid_until ? format_date(t.t(), t.lang, *c.def.valid_until) : "—"},
             {"plans", plans.empty() ? "*" : plans},
             {"state", state_of(t, c)}});
    if (c.enabled && kb.rows.size() < disable_offered)
      if (auto data = encode_callback(admin_promo_disable{c.def.code}))
        kb.rows.push_back({inline_button::callback(
            t.t().label(t.lang, "btn.promo_disable", {{"code", c.def.code}}), std::move(*data))});
  }
  if (codes.empty()) text += "\n—";
  if (!result.empty()) text = result + "\n\n" + text;
  kb.rows.push_back(
      {callback_button(t.t().label(t.lang, "btn.promo_new"), open_screen{screen::admin_promo_new}),
       callback_button(t.t().label(t.lang, "btn.back"), open_screen{screen::admin})});
  return {std::move(text), std::move(kb)};
}

view promo_new_prompt(turn& t) {
  return admin_prompt(t, "admin_promo", t.t().message(t.lang, "admin.promo.prompt"),
                      screen::admin_promos);
}

view promo_line_view(turn& t, const std::string& line) {
  auto terms = promo_terms_from_line(line);
  std::variant<promo::promo_code, promo::field_error> made =
      std::holds_alternative<promo::field_error>(terms)
          ? std::get<promo::field_error>(terms)
          : promo::create_promo_code(t.tx, std::get<promo::promo_terms>(terms));
  if (auto* bad = std::get_if<promo::field_error>(&made)) {
    auto v = promo_new_prompt(t);
    v.text = t.t().message(t.lang, "admin.promo.bad",
                           {{"field", bad->field}, {"message", bad->message}}) +
             "\n\n" + v.text;
    return v;
  }
  const auto& code = std::get<promo::promo_code>(made);
  admin::audit_action(t.tx, operator_of(t), "promo_code_create", "promo:" + code.def.code,
                      promo::to_json(code));
  t.data.erase(awaiting_key);
  return promo_list_view(t,
                         t.t().message(t.lang, "admin.promo.created", {{"code", code.def.code}}));
}

view promo_disable_view(turn& t, const std::string& code) {
  if (!promo::disable_promo_code(t.tx, code))
    return promo_list_view(t, t.t().message(t.lang, "admin.promo.unknown", {{"code", code}}));
  admin::audit_action(t.tx, operator_of(t), "promo_code_disable", "promo:" + code);
  return promo_list_view(t, t.t().message(t.lang, "admin.promo.disabled", {{"code", code}}));
}

}  // namespace vpnbot::telegram::screens
