#include "actors/api/admin_api.hpp"

#include <caf/all.hpp>
#include <memory>
#include <set>

#include "actors/actor_probe.hpp"
#include "actors/storage/db_request.hpp"
#include "adapters/log/logger.hpp"
#include "domain/api/api_answer.hpp"
#include "domain/api/call_dispatch.hpp"
#include "domain/api/route_table.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::api {
namespace {

constexpr const char* admin_api_component = "admin_api";

struct admin_api_state {
  static inline const char* name = "admin_api";

  admin_api_config cfg;
  route_registration routes;
  std::unique_ptr<actor_probe> probe;
};

using admin_api_actor_t = caf::stateful_actor<admin_api_state>;

caf::result<http_response> receive(admin_api_actor_t* self, const http_request& req) {
  auto prepared = prepare_call(req, self->state.cfg.api.token, api::routes());
  if (auto* now = std::get_if<http_response>(&prepared)) return *now;
  auto call = std::get<prepared_call>(std::move(prepared));
  auto promise = self->make_response_promise<http_response>();
  auto route = call.route->method + " " + call.route->pattern;
  storage::db_request<call_outcome>(
      self, self->state.cfg.wiring.db, "api." + route,
      [call](pqxx::dbtransaction& tx) { return run_call(tx, call); }, self->state.cfg.db_timeout,
      [self, promise, route](caf::expected<call_outcome> done) mutable {
        if (!done) {
          log::warn(admin_api_component, "call failed",
                    {{"route", route}, {"error", to_string(done.error())}});
          promise.deliver(error_answer(503, "unavailable",
                                       "the database did not answer; retry "
                                       "with the same Idempotency-Key"));
          return;
        }
        if (done->response.status < 400 && route.rfind("GET", 0) != 0)
          log::info(admin_api_component, "call done",
                    {{"route", route}, {"status", done->response.status}});
        self->state.cfg.wiring.kick_outbox(done->outbox_ids);
        promise.deliver(std::move(done->response));
      });
  return promise;
}

caf::behavior admin_api_actor(admin_api_actor_t* self, admin_api_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.probe = std::make_unique<actor_probe>("admin_api", *st.cfg.registry);
  st.routes = route_registration(st.cfg.wiring.http_server, admin_api_routes());
  self->set_down_handler([self](caf::down_msg& down) {
    if (self->state.routes.lost(down)) self->state.routes.ensure(self);
  });
  st.routes.ensure(self);
  auto& probe = *st.probe;
  return {
      instrumented(
          self, probe,
          [self](http_request& req) -> caf::result<http_response> { return receive(self, req); }),
      instrumented(self, probe, [self](register_route_atom) { self->state.routes.ensure(self); }),
  };
}

}  // namespace

std::vector<route_registration::route> admin_api_routes() {
  std::set<std::string> methods;
  for (const auto& r : api::routes()) methods.insert(r.method);
  std::vector<route_registration::route> out;
  for (const auto& m : methods) out.emplace_back(m, std::string(path_prefix) + "*");
  return out;
}

caf::actor spawn_admin_api(caf::actor_system& sys, admin_api_config cfg) {
  return sys.spawn(admin_api_actor, std::move(cfg));
}

}  // namespace vpnbot::api
