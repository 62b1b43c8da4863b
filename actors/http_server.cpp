#include "actors/http_server.hpp"

#include <algorithm>
#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "actors/actor_probe.hpp"
#include "adapters/http/json_error.hpp"
#include "adapters/http/server.hpp"
#include "adapters/http/server_metrics.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {

namespace {

// Time comes from the actor clock, so tests on the test coordinator move it.
using steady = caf::actor_clock;

constexpr auto http_server_component = "http_server";
constexpr auto drain_poll = std::chrono::milliseconds(20);

enum class builtin { none, healthz, readyz, metrics };

struct route {
  caf::actor handler;
  builtin kind = builtin::none;
};

// A path ending in "/*" is a prefix route: it serves every path below it
// that no exact route serves, and it is their metrics label.
using route_table = std::map<std::string, std::map<std::string, route>>;

struct http_server_state {
  static inline const char* name = "http_server";  // CAF names the actor after it

  http_server_config cfg;
  std::optional<http::server_metrics> metrics;
  std::optional<actor_probe> probe;
  // path -> method -> route; the path is also the metrics label.
  route_table routes;
  bool draining = false;
  caf::error exit_reason;
  steady::time_point drain_deadline;
  // Last members, destroyed first: the listeners close before the routes go.
  std::unique_ptr<http::server> server;
  std::unique_ptr<http::server> metrics_server;  // with http.metrics_listen
};

using http_server_actor_t = caf::stateful_actor<http_server_state>;

bool is_method(const std::string& m) {
  return !m.empty() &&
         std::all_of(m.begin(), m.end(), [](unsigned char c) { return c >= 'A' && c <= 'Z'; });
}

http_response json_response(int status, const nlohmann::json& body) {
  return {status, "application/json", {}, body.dump()};
}

void answer(http_server_actor_t* self, const http_responder& out, const std::string& route_label,
            const std::string& method, steady::time_point started, http_response r) {
  auto& m = *self->state.metrics;
  m.count_request(route_label, method, r.status);
  m.observe_duration(route_label,
                     std::chrono::duration<double>(self->clock().now() - started).count());
  out.send(std::move(r));
}

void serve_readiness(http_server_actor_t* self, const http_responder& out,
                     const std::string& method, steady::time_point started) {
  auto& st = self->state;
  auto with_digest = [digest = st.cfg.config_digest, mode = st.cfg.mode,
                      cluster = st.cfg.cluster](nlohmann::json body) {
    if (!digest.empty()) body["config_digest"] = digest;
    if (!mode.empty()) body["mode"] = mode;
    if (cluster) body["cluster"] = cluster->get();
    return body;
  };
  auto not_ready = [with_digest](std::vector<std::string> why) {
    return json_response(503,
                         with_digest({{"status", "not_ready"}, {"not_ready", std::move(why)}}));
  };
  if (st.draining)
    return answer(self, out, "/readyz", method, started, not_ready({"http_server: shutting down"}));
  if (!st.cfg.readiness)
    return answer(self, out, "/readyz", method, started,
                  not_ready({"http_server: no readiness source"}));
  self->request(st.cfg.readiness, st.cfg.readiness_timeout, readiness_atom_v)
      .then(
          [=](readiness_report& report) {
            answer(self, out, "/readyz", method, started,
                   report.ready() ? json_response(200, with_digest({{"status", "ready"}}))
                                  : not_ready(std::move(report.not_ready)));
          },
          [=](caf::error& err) {
            answer(self, out, "/readyz", method, started,
                   not_ready({"readiness source: " + to_string(err)}));
          });
}

void forward(http_server_actor_t* self, const caf::actor& handler, http_request req,
             const http_responder& out, const std::string& route_label,
             steady::time_point started) {
  auto method = req.method;
  self->request(handler, self->state.cfg.handler_timeout, std::move(req))
      .then(
          [=](http_response& r) { answer(self, out, route_label, method, started, std::move(r)); },
          [=](caf::error& err) {
            bool late = err == caf::sec::request_timeout;
            log::warn(http_server_component,
                      late ? "route handler timed out" : "route handler failed",
                      {{"route", route_label}, {"error", to_string(err)}});
            answer(self, out, route_label, method, started,
                   late ? http::json_error(504, "gateway_timeout",
                                           "the handler did not answer in time")
                        : http::json_error(502, "bad_gateway", "the handler failed"));
          });
}

bool is_prefix_route(const std::string& registered) {
  return registered.size() >= 2 && registered.ends_with("/*");
}

// The longest registered "<prefix>/*" whose prefix starts the path.
route_table::iterator prefix_route(route_table& routes, const std::string& path) {
  auto best = routes.end();
  for (auto it = routes.begin(); it != routes.end(); ++it) {
    const auto& key = it->first;
    if (!is_prefix_route(key) || !path.starts_with(std::string_view(key).substr(0, key.size() - 1)))
      continue;
    if (best == routes.end() || key.size() > best->first.size()) best = it;
  }
  return best;
}

void handle(http_server_actor_t* self, http_request& req, const http_responder& out) {
  auto started = self->clock().now();
  auto& st = self->state;
  auto path = st.routes.find(req.path);
  if (path == st.routes.end()) path = prefix_route(st.routes, req.path);
  if (path == st.routes.end())
    return answer(self, out, "unmatched", req.method, started,
                  http::json_error(404, "not_found", "no such path"));
  auto target = path->second.find(req.method);
  if (target == path->second.end()) {
    std::string allow;
    for (const auto& [m, _] : path->second) allow += (allow.empty() ? "" : ", ") + m;
    auto r = http::json_error(405, "method_not_allowed", "allowed: " + allow);
    r.headers.emplace_back("Allow", allow);
    return answer(self, out, path->first, req.method, started, std::move(r));
  }
  switch (target->second.kind) {
    case builtin::healthz:
      return answer(self, out, path->first, req.method, started,
                    json_response(200, {{"status", "ok"}}));
    case builtin::readyz:
      return serve_readiness(self, out, req.method, started);
    case builtin::metrics:
      return answer(
          self, out, path->first, req.method, started,
          {200, "text/plain; version=0.0.4; charset=utf-8", {}, st.cfg.registry->render()});
    case builtin::none:
      return forward(self, target->second.handler, std::move(req), out, path->first, started);
  }
}

// The separate /metrics listener answers on its io thread: a scrape needs
// no actor and still works while the actor's mailbox is long.
http::server::handler serve_metrics_only(metrics::registry* registry) {
  auto counted = std::make_shared<http::server_metrics>(*registry);
  return [registry, counted](http_request req, http_responder out) {
    http_response r =
        req.path != "/metrics" ? http::json_error(404, "not_found", "only /metrics is served here")
        : req.method != "GET"
            ? http::json_error(405, "method_not_allowed", "allowed: GET")
            : http_response{
                  200, "text/plain; version=0.0.4; charset=utf-8", {}, registry->render()};
    if (r.status == 405) r.headers.emplace_back("Allow", "GET");
    counted->count_request(r.status == 404 ? "unmatched" : "/metrics", req.method, r.status);
    out.send(std::move(r));
  };
}

void drop_routes_of(http_server_actor_t* self, const caf::actor_addr& dead) {
  auto& routes = self->state.routes;
  for (auto path = routes.begin(); path != routes.end();) {
    std::erase_if(path->second, [&](const auto& entry) {
      return entry.second.handler && entry.second.handler.address() == dead;
    });
    path = path->second.empty() ? routes.erase(path) : std::next(path);
  }
}

void add_route(http_server_actor_t* self, std::string& method, std::string& path,
               caf::actor& handler) {
  if (!is_method(method) || path.empty() || path.front() != '/' || !handler) {
    log::warn(http_server_component, "invalid route ignored", {{"method", method}, {"path", path}});
    return;
  }
  self->monitor(handler);
  // The exact routes registered are the webhooks: strangers may post to them.
  // A prefix route's paths keep http.body_limit.
  if (!is_prefix_route(path))
    self->state.server->limit_body(path, self->state.cfg.http.webhook_body_limit);
  self->state.routes[path][method] = {std::move(handler), builtin::none};
  log::info(http_server_component, "route registered", {{"method", method}, {"path", path}});
}

void drain_step(http_server_actor_t* self) {
  auto& st = self->state;
  if (!st.draining) return;
  if (st.server->open_connections() == 0 || self->clock().now() >= st.drain_deadline)
    return self->quit(st.exit_reason);
  self->delayed_send(self, drain_poll, tick_atom_v);
}

// Stops accepting, then polls until the connections are gone or the drain
// time is up; replies keep arriving in between.
void begin_drain(http_server_actor_t* self, caf::error reason) {
  auto& st = self->state;
  if (st.draining) return;
  st.draining = true;
  st.exit_reason = std::move(reason);
  st.drain_deadline = self->clock().now() + st.cfg.drain_timeout;
  st.server->stop_accepting();
  if (st.metrics_server) st.metrics_server->stop_accepting();
  log::info(http_server_component, "draining",
            {{"open_connections", st.server->open_connections()}});
  drain_step(self);
}

caf::behavior http_server_actor(http_server_actor_t* self, http_server_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.metrics.emplace(*st.cfg.registry);
  st.probe.emplace("http_server", *st.cfg.registry);
  st.routes["/healthz"]["GET"] = {{}, builtin::healthz};
  st.routes["/readyz"]["GET"] = {{}, builtin::readyz};
  bool separate_metrics = !st.cfg.http.metrics_listen_host.empty();
  if (!separate_metrics) st.routes["/metrics"]["GET"] = {{}, builtin::metrics};

  // The listener holds the actor weakly: requests after the actor's end get
  // the responder's 503 instead of keeping a dead actor alive.
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(self);
  try {
    st.server = std::make_unique<http::server>(
        st.cfg.http,
        [weak](http_request req, http_responder out) {
          if (auto strong = weak.lock())
            caf::anon_send(caf::actor_cast<caf::actor>(strong), std::move(req), std::move(out));
        },
        *st.cfg.registry);
    if (separate_metrics) {
      auto s = st.cfg.http;
      s.listen_host = s.metrics_listen_host;
      s.listen_port = s.metrics_listen_port;
      st.metrics_server =
          std::make_unique<http::server>(s, serve_metrics_only(st.cfg.registry), *st.cfg.registry);
    }
  } catch (const std::exception& e) {
    // A busy port is the supervisor's call (retry with backoff, give up).
    log::error(http_server_component, "cannot start", {{"error", e.what()}});
    self->quit(caf::make_error(caf::sec::runtime_error, e.what()));
    return {};
  }
  log::info(http_server_component, "listening",
            {{"host", st.cfg.http.listen_host}, {"port", st.server->port()}});
  if (st.metrics_server)
    log::info(http_server_component, "serving /metrics apart",
              {{"host", st.cfg.http.metrics_listen_host}, {"port", st.metrics_server->port()}});

  publish(self, st.cfg.slot);
  self->set_down_handler([self](caf::down_msg& msg) { drop_routes_of(self, msg.source); });
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (!msg.reason) return;
    if (msg.reason == caf::exit_reason::user_shutdown) return begin_drain(self, msg.reason);
    self->quit(msg.reason);
  });

  auto& probe = *st.probe;
  return {
      instrumented(self, probe,
                   [self](http_request& req, http_responder& out) { handle(self, req, out); }),
      instrumented(self, probe,
                   [self](register_route_atom, std::string& method, std::string& path,
                          caf::actor& handler) { add_route(self, method, path, handler); }),
      instrumented(self, probe, [self](http_port_atom) { return self->state.server->port(); }),
      instrumented(self, probe,
                   [self](http_metrics_port_atom) -> uint16_t {
                     auto& apart = self->state.metrics_server;
                     return apart ? apart->port() : self->state.server->port();
                   }),
      instrumented(self, probe, [self](tick_atom) { drain_step(self); }),
  };
}

}  // namespace

caf::actor spawn_http_server(caf::actor_system& sys, http_server_config cfg) {
  return sys.spawn(http_server_actor, std::move(cfg));
}

}  // namespace vpnbot
