// A broadcast from the bot: the admin types the text (HTML), gets the
// message as users will, chooses the segment and an optional button, and
// confirms; broadcasts::create fixes the recipients and the broadcaster
// actor sends them. The draft lives in the session's "broadcast_draft"
// until it is sent. The progress message is redrawn when the admin presses
// one of its buttons, and the broadcaster edits it as the numbers change
// (admin_broadcast_progress.hpp).

#include "adapters/telegram/html_markup.hpp"
#include "domain/admin/acting_operator.hpp"
#include "domain/bot/admin_broadcast_progress.hpp"
#include "domain/bot/turn.hpp"
#include "domain/bot/ui/keyboards.hpp"
#include "domain/broadcasts/broadcast_control.hpp"
#include "domain/broadcasts/broadcast_message.hpp"

namespace vpnbot::telegram::screens {
namespace {

using json = nlohmann::json;

constexpr const char* draft_key = "broadcast_draft";

broadcasts::broadcast_spec spec_of(const turn& t) {
  const auto& d = t.data.at(draft_key);
  broadcasts::broadcast_spec spec;
  spec.text = d.value("text", "");
  spec.segment =
      broadcasts::segment_from(d.value("segment", "all")).value_or(broadcasts::segment::all);
  if (d.contains("language")) spec.language = d["language"].get<std::string>();
  if (d.contains("button_text")) {
    spec.button = broadcasts::broadcast_button{d["button_text"].get<std::string>(), std::nullopt};
    if (d.contains("button_url")) spec.button->url = d["button_url"].get<std::string>();
  }
  spec.created_by = t.user.telegram_id;
  return spec;
}

bool has_draft(const turn& t) {
  return t.data.contains(draft_key) && t.data[draft_key].is_object();
}

std::string segment_label(turn& t, const broadcasts::broadcast_spec& spec) {
  auto name = std::string(broadcasts::to_string(spec.segment));
  if (spec.language) name += "_" + *spec.language;
  return t.t().label(t.lang, "btn.segment." + name);
}

// The segment and button choices under the preview.
view options_view(turn& t, std::string result = {}) {
  auto spec = spec_of(t);
  std::string button_text = !spec.button       ? t.t().label(t.lang, "btn.broadcast_no_button")
                            : spec.button->url ? spec.button->text + " → " + *spec.button->url
                                               : t.t().label(t.lang, "btn.broadcast_menu_button");
  auto text = t.t().message(t.lang, "admin.broadcast.options",
                            {{"segment", segment_label(t, spec)}, {"button", button_text}});
  if (!result.empty()) text = result + "\n\n" + text;
  auto chosen = std::string(broadcasts::to_string(spec.segment)) +
                (spec.language ? "_" + *spec.language : "");
  auto seg = [&](const std::string& name) {
    auto label = t.t().label(t.lang, "btn.segment." + name);
    return callback_button((name == chosen ? "✓ " : "") + label, admin_draft{"seg_" + name});
  };
  auto l = [&](std::string_view key) { return t.t().label(t.lang, key); };
  return {std::move(text),
          {{{seg("all"), seg("active_paid"), seg("trial")},
            {seg("expired"), seg("never_paid")},
            {seg("language_en"), seg("language_ru")},
            {callback_button(l("btn.broadcast_no_button"), admin_draft{"btn_none"}),
             callback_button(l("btn.broadcast_menu_button"), admin_draft{"btn_menu"}),
             callback_button(l("btn.broadcast_link_button"), admin_draft{"btn_url"})},
            {callback_button(l("btn.broadcast_send"), admin_draft{"send"}),
             callback_button(l("btn.cancel"), open_screen{screen::admin})}}}};
}

// The message as users will get it, then the choices, both as new messages.
view preview(turn& t) {
  t.out.add(lane::interactive, broadcasts::message_to(t.chat_id, spec_of(t)));
  return options_view(t);
}

// The progress message as the admin sees it now; remembered, so the
// broadcaster edits it as the numbers change (when the turn edits a message).
view shown_progress(turn& t, const broadcasts::progress& p, const std::string& result = {}) {
  auto v = progress_view(t.t(), t.lang, p, result);
  if (t.message_id) remember_progress_message(t.tx, p.id, t.chat_id, *t.message_id, t.lang, v.text);
  return v;
}

std::string refused(turn& t, const broadcasts::refusal& r) {
  return t.t().message(t.lang, "admin.result.refused",
                       {{"reason", r.field.empty() ? r.message : r.field + ": " + r.message}});
}

view send_draft(turn& t) {
  auto spec = spec_of(t);
  auto made = broadcasts::create(t.tx, spec);
  if (!made) return options_view(t, refused(t, made.error()));
  admin::audit_action(t.tx, operator_of(t), "broadcast_start",
                      "broadcast:" + std::to_string(made->id),
                      {{"segment", std::string(broadcasts::to_string(spec.segment))},
                       {"paid", spec.paid},
                       {"total", made->total}});
  t.data.erase(draft_key);
  auto p = broadcasts::progress_of(t.tx, made->id);
  if (!p) return admin_view(t);
  return shown_progress(t, *p);
}

}  // namespace

view broadcast_prompt(turn& t) {
  return admin_prompt(t, "admin_broadcast", t.t().message(t.lang, "admin.broadcast.prompt"),
                      screen::admin);
}

view broadcast_text_view(turn& t, const std::string& text) {
  broadcasts::broadcast_spec spec{.text = text};
  auto problem = html_markup_problem(text);
  if (!problem)
    if (auto checked = broadcasts::outbox_row(t.chat_id, spec); !checked) problem = checked.error();
  if (problem) {
    auto v = broadcast_prompt(t);
    v.text =
        t.t().message(t.lang, "admin.result.refused", {{"reason", *problem}}) + "\n\n" + v.text;
    return v;
  }
  t.data.erase(awaiting_key);
  t.data[draft_key] = json{{"text", text}, {"segment", "all"}};
  return preview(t);
}

// "https://example.com" or "https://example.com Label".
view broadcast_url_view(turn& t, const std::string& text) {
  if (!has_draft(t)) return broadcast_prompt(t);
  auto first = text.find_first_not_of(" \t\n");
  auto end = first == std::string::npos ? first : text.find_first_of(" \t\n", first);
  auto url = first == std::string::npos ? std::string() : text.substr(first, end - first);
  auto rest = end == std::string::npos ? std::string() : text.substr(end);
  auto label_start = rest.find_first_not_of(" \t\n");
  auto label = label_start == std::string::npos
                   ? t.t().label(t.lang, "btn.broadcast_open_link")
                   : rest.substr(label_start, rest.find_last_not_of(" \t\n") - label_start + 1);
  auto spec = spec_of(t);
  spec.button = broadcasts::broadcast_button{label, url};
  bool web = url.starts_with("https://") || url.starts_with("http://");
  if (!web || !broadcasts::outbox_row(t.chat_id, spec))
    return admin_prompt(t, "admin_broadcast_url",
                        t.t().message(t.lang, "admin.broadcast.bad_url") + "\n\n" +
                            t.t().message(t.lang, "admin.broadcast.url_prompt"),
                        screen::admin);
  t.data[draft_key]["button_text"] = label;
  t.data[draft_key]["button_url"] = url;
  t.data.erase(awaiting_key);
  return preview(t);
}

view broadcast_choice_view(turn& t, const std::string& choice) {
  if (!has_draft(t)) return broadcast_prompt(t);
  auto& d = t.data[draft_key];
  if (choice == "send") return send_draft(t);
  if (choice == "btn_url")
    return admin_prompt(t, "admin_broadcast_url",
                        t.t().message(t.lang, "admin.broadcast.url_prompt"), screen::admin);
  if (choice == "btn_none" || choice == "btn_menu") {
    d.erase("button_text");
    d.erase("button_url");
    if (choice == "btn_menu") d["button_text"] = t.t().label(t.lang, "btn.main_menu");
    t.out.add(lane::interactive, broadcasts::message_to(t.chat_id, spec_of(t)));
    return options_view(t);
  }
  if (choice.starts_with("seg_language_")) {
    d["segment"] = "language";
    d["language"] = choice.substr(std::string_view("seg_language_").size());
  } else if (choice.starts_with("seg_") && broadcasts::segment_from(choice.substr(4))) {
    d["segment"] = choice.substr(4);
    d.erase("language");
  }
  return options_view(t);
}

view broadcast_control_view(turn& t, const admin_broadcast& a) {
  using op = admin_broadcast::op;
  auto r = a.what == op::pause    ? broadcasts::pause(t.tx, a.id)
           : a.what == op::resume ? broadcasts::resume(t.tx, a.id)
           : a.what == op::cancel ? broadcasts::cancel(t.tx, a.id)
                                  : broadcasts::progress_of(t.tx, a.id);
  if (r && a.what != op::refresh)
    admin::audit_action(t.tx, operator_of(t),
                        a.what == op::pause    ? "broadcast_pause"
                        : a.what == op::resume ? "broadcast_resume"
                                               : "broadcast_cancel",
                        "broadcast:" + std::to_string(a.id),
                        {{"state", std::string(broadcasts::to_string(r->state))}});
  if (r) return shown_progress(t, *r);
  auto now = broadcasts::progress_of(t.tx, a.id);
  if (!now) return admin_view(t);
  return shown_progress(t, *now, refused(t, r.error()));
}

}  // namespace vpnbot::telegram::screens
