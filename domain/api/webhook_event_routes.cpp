// The stored provider notifications: a list and the replay of a dead one.

#include "domain/admin/webhook_event_admin.hpp"
#include "domain/api/api_answer.hpp"
#include "domain/api/route_table.hpp"

namespace vpnbot::api {
namespace {

http_response list_webhook_events(pqxx::dbtransaction& tx, const api_call& c,
                                  telegram::outbox_writer&) {
  std::optional<std::string> status;
  if (auto it = c.query.find("status"); it != c.query.end() && !it->second.empty())
    status = it->second;
  return answer_of(admin::list_webhook_events(tx, status), [](const nlohmann::json& events) {
    return nlohmann::json{{"events", events}};
  });
}

http_response replay(pqxx::dbtransaction& tx, const api_call& c, telegram::outbox_writer&) {
  auto id = integer_param("id", c.params.at("id"));
  if (auto* bad = std::get_if<http_response>(&id)) return *bad;
  return answer_of(
      admin::replay_webhook_event(tx, c.who, std::get<int64_t>(id)),
      [](const admin::event_reopened& e) {
        return nlohmann::json{{"id", e.id}, {"provider", e.provider}, {"replay", "queued"}};
      });
}

}  // namespace

void add_webhook_event_routes(std::vector<api_route>& routes) {
  routes.push_back({"GET",
                    "/api/v1/webhook-events",
                    "Stored provider notifications, newest first (at most 100)",
                    {{"status", "dead, pending or processed; absent: all"}},
                    nullptr,
                    list_webhook_events});
  routes.push_back({"POST",
                    "/api/v1/webhook-events/{id}/replay",
                    "Process a dead notification again",
                    {},
                    nullptr,
                    replay});
}

}  // namespace vpnbot::api
