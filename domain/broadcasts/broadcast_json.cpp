#include "domain/broadcasts/broadcast_json.hpp"

namespace vpnbot::broadcasts {
namespace {

using telegram::fail;
using json = nlohmann::json;

bool is_string(const json& body, const char* key) {
  return body.contains(key) && body[key].is_string();
}

}  // namespace

outcome<broadcast_spec> spec_from_json(const json& body) {
  if (!body.is_object()) return fail(refusal::invalid_field("", "the body must be a JSON object"));
  broadcast_spec spec;
  if (!is_string(body, "text"))
    return fail(refusal::invalid_field("text", "text must be a string"));
  spec.text = body["text"].get<std::string>();
  if (body.contains("segment")) {
    auto s = body["segment"].is_string() ? segment_from(body["segment"].get<std::string>())
                                         : std::nullopt;
    if (!s)
      return fail(
          refusal::invalid_field("segment",
                                 "segment must be all, active_paid, trial, expired, never_paid or "
                                 "language"));
    spec.segment = *s;
  }
  if (body.contains("language")) {
    if (!body["language"].is_string())
      return fail(refusal::invalid_field("language", "language must be a string"));
    spec.language = body["language"].get<std::string>();
  }
  if (body.contains("paid")) {
    if (!body["paid"].is_boolean())
      return fail(refusal::invalid_field("paid", "paid must be true or false"));
    spec.paid = body["paid"].get<bool>();
  }
  if (body.contains("button") && !body["button"].is_null()) {
    const auto& b = body["button"];
    if (!b.is_object() || !is_string(b, "text"))
      return fail(refusal::invalid_field(
          "button", "button must be {\"text\", \"url\"} or {\"text\", \"menu\"}"));
    broadcast_button button{b["text"].get<std::string>(), std::nullopt};
    auto menu = b.contains("menu") && b["menu"] == true;
    if (is_string(b, "url") == menu)
      return fail(refusal::invalid_field("button", "a button has either a url or \"menu\": true"));
    if (!menu) button.url = b["url"].get<std::string>();
    spec.button = std::move(button);
  }
  return spec;
}

json to_json(const created& c) {
  return {{"id", c.id}, {"total", c.total}};
}

json to_json(const progress& p) {
  return {{"id", p.id},
          {"state", std::string(to_string(p.state))},
          {"total", p.total},
          {"sent", p.sent},
          {"failed", p.failed},
          {"blocked", p.blocked},
          {"in_doubt", p.in_doubt},
          {"cancelled", p.cancelled},
          {"left", p.left}};
}

json to_json(const refusal& r) {
  static constexpr const char* kinds[] = {"invalid", "not_found", "conflict"};
  json out{{"error", kinds[static_cast<int>(r.what)]}, {"message", r.message}};
  if (!r.field.empty()) out["field"] = r.field;
  return out;
}

}  // namespace vpnbot::broadcasts
