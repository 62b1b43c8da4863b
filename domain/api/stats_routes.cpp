// GET /api/v1/stats: admin::collect_stats as JSON.

#include "domain/admin/service_stats.hpp"
#include "domain/api/api_answer.hpp"
#include "domain/api/route_table.hpp"

namespace vpnbot::api {

void add_stats_routes(std::vector<api_route>& routes) {
  routes.push_back({"GET",
                    "/api/v1/stats",
                    "Users, subscriptions, revenue, payments, panel jobs and the outbox queue",
                    {},
                    nullptr,
                    [](pqxx::dbtransaction& tx, const api_call&, telegram::outbox_writer&) {
                      return json_answer(200, admin::to_json(admin::collect_stats(tx)));
                    }});
}

}  // namespace vpnbot::api
