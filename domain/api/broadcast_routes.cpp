// The broadcast routes: start one, follow its progress, pause, resume or
// cancel it. The broadcaster actor does the sending; these only change the
// broadcast's rows, each change audited.

#include "domain/admin/acting_operator.hpp"
#include "domain/api/api_answer.hpp"
#include "domain/api/route_table.hpp"
#include "domain/broadcasts/broadcast_control.hpp"
#include "domain/broadcasts/broadcast_json.hpp"

namespace vpnbot::api {
namespace {

using json = nlohmann::json;

http_response broadcast_refused(const broadcasts::refusal& r) {
  switch (r.what) {
    case broadcasts::refusal::kind::invalid:
      return bad_field(r.field.empty() ? "body" : r.field, r.message);
    case broadcasts::refusal::kind::not_found:
      return error_answer(404, "not_found", r.message);
    case broadcasts::refusal::kind::conflict:
      return error_answer(409, "conflict", r.message);
  }
  return error_answer(500, "internal", r.message);
}

template <class T>
http_response answer(const broadcasts::outcome<T>& r) {
  if (!r) return broadcast_refused(r.error());
  return json_answer(200, broadcasts::to_json(*r));
}

http_response start(pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer&) {
  auto spec = broadcasts::spec_from_json(c.body);
  if (!spec) return broadcast_refused(spec.error());
  spec->created_by = c.who.admin_telegram_id;
  auto made = broadcasts::create(tx, *spec);
  if (!made) return broadcast_refused(made.error());
  admin::audit_action(tx, c.who, "broadcast_start", "broadcast:" + std::to_string(made->id),
                      {{"segment", std::string(broadcasts::to_string(spec->segment))},
                       {"paid", spec->paid},
                       {"total", made->total}});
  return json_answer(200, broadcasts::to_json(*made));
}

// GET {id}, or one of the state changes, audited under `action`.
template <class Change>
api_handler on_broadcast(Change change, std::string action = {}) {
  return [change, action](pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer&) {
    auto id = integer_param("id", c.params.at("id"));
    if (auto* bad = std::get_if<http_response>(&id)) return *bad;
    auto r = change(tx, std::get<int64_t>(id));
    if (r && !action.empty())
      admin::audit_action(tx, c.who, action, "broadcast:" + std::to_string(std::get<int64_t>(id)),
                          {{"state", std::string(broadcasts::to_string(r->state))}});
    return answer(r);
  };
}

}  // namespace

void add_broadcast_routes(std::vector<api_route>& routes) {
  auto button = json{{"type", "object"},
                     {"required", json::array({"text"})},
                     {"properties",
                      {{"text", {{"type", "string"}}},
                       {"url", {{"type", "string"}}},
                       {"menu", {{"type", "boolean"}}}}}};
  routes.push_back({"POST",
                    "/api/v1/broadcasts",
                    "Start a broadcast: its recipients are fixed now and sent at Telegram's limit",
                    {},
                    json{{"type", "object"},
                         {"required", json::array({"text"})},
                         {"properties",
                          {{"text", {{"type", "string"}, {"minLength", 1}, {"maxLength", 4096}}},
                           {"segment",
                            {{"type", "string"},
                             {"enum", json::array({"all", "active_paid", "trial", "expired",
                                                   "never_paid", "language"})}}},
                           {"language", {{"type", "string"}}},
                           {"paid", {{"type", "boolean"}}},
                           {"button", button}}}},
                    start});
  routes.push_back({"GET",
                    "/api/v1/broadcasts/{id}",
                    "A broadcast's state and counts (sent, failed, blocked, left)",
                    {},
                    nullptr,
                    on_broadcast(broadcasts::progress_of)});
  routes.push_back({"POST",
                    "/api/v1/broadcasts/{id}/pause",
                    "Stop claiming recipients (a window already queued still goes out)",
                    {},
                    nullptr,
                    on_broadcast(broadcasts::pause, "broadcast_pause")});
  routes.push_back({"POST",
                    "/api/v1/broadcasts/{id}/resume",
                    "Go on where a paused broadcast stopped",
                    {},
                    nullptr,
                    on_broadcast(broadcasts::resume, "broadcast_resume")});
  routes.push_back({"POST",
                    "/api/v1/broadcasts/{id}/cancel",
                    "End a broadcast; the recipients not yet queued get nothing",
                    {},
                    nullptr,
                    on_broadcast(broadcasts::cancel, "broadcast_cancel")});
}

}  // namespace vpnbot::api
