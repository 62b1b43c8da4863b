#include "actors/http_server.hpp"

#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "adapters/emulators/http_call.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"
#include "support/raw_connection.hpp"

// The http_server actor with its real listener on 127.0.0.1, spoken to over
// loopback TCP. Timeouts are configured short (hundreds of milliseconds) and
// every wait is bounded by generous limits; nothing asserts on speed.

namespace vpnbot {
namespace {

using namespace std::chrono_literals;
using emulators::http_call;
using testing_support::raw_connection;

config::http_settings quick_settings() {
  config::http_settings s;
  s.listen_host = "127.0.0.1";
  s.listen_port = 0;
  s.body_limit = 1024;
  s.header_timeout = 200ms;
  s.idle_timeout = 2s;
  s.max_connections = 64;
  s.threads = 1;
  return s;
}

// Answers with "got:<body>" and echoes what it saw in headers.
caf::behavior echo_handler(caf::event_based_actor*) {
  return {[](http_request& r) {
    return http_response{
        200, "text/plain", {{"X-Seen", r.method + " " + r.path + "?" + r.query}}, "got:" + r.body};
  }};
}

// Takes every request and never answers it.
caf::behavior silent_handler(caf::event_based_actor* self) {
  auto held = std::make_shared<std::vector<caf::response_promise>>();
  return {[=](http_request&) {
    held->push_back(self->make_response_promise());
    return held->back();
  }};
}

// Answers after `delay`, and tells the test when a request came in.
caf::behavior slow_handler(caf::event_based_actor* self, std::chrono::milliseconds delay,
                           std::shared_ptr<std::promise<void>> arrived) {
  auto pending = std::make_shared<std::vector<caf::response_promise>>();
  return {
      [=](http_request&) {
        arrived->set_value();
        pending->push_back(self->make_response_promise());
        self->delayed_send(self, delay, tick_atom_v);
        return pending->back();
      },
      [=](tick_atom) {
        for (auto& rp : *pending)
          rp.deliver(http_response{200, "text/plain", {}, "late but there"});
        pending->clear();
      },
  };
}

// A readiness source whose answer the test sets.
caf::behavior readiness_source(caf::event_based_actor*) {
  auto report = std::make_shared<readiness_report>();
  return {
      [=](readiness_atom) { return *report; },
      [=](std::vector<std::string>& not_ready) { report->not_ready = std::move(not_ready); },
  };
}

caf::behavior never_ready(caf::event_based_actor* self) {
  auto held = std::make_shared<std::vector<caf::response_promise>>();
  return {[=](readiness_atom) {
    held->push_back(self->make_response_promise());
    return held->back();
  }};
}

struct HttpServer : testing::Test {
  HttpServer() {
    register_message_types(cfg);
    cfg.set("logger.console-verbosity", caf::atom("quiet"));
    sys.emplace(cfg);
    log::set_sink([](const std::string&) {});
  }

  ~HttpServer() override {
    for (auto& a : spawned) caf::anon_send_exit(a, caf::exit_reason::kill);
    if (server) caf::anon_send_exit(server, caf::exit_reason::kill);
    sys->await_all_actors_done();
    log::set_sink(nullptr);
  }

  void start(config::http_settings s = quick_settings(), caf::actor readiness = {},
             std::chrono::milliseconds handler_timeout = 2s, std::string config_digest = {}) {
    http_server_config c;
    c.http = s;
    c.config_digest = std::move(config_digest);
    c.readiness = std::move(readiness);
    c.registry = &registry;
    c.handler_timeout = handler_timeout;
    c.readiness_timeout = 300ms;
    c.drain_timeout = 3s;
    server = spawn_http_server(*sys, c);
    port = query_port(server);
  }

  template <class Atom = http_port_atom>
  uint16_t query_port(const caf::actor& a, Atom which = {}) {
    uint16_t p = 0;
    caf::scoped_actor self{*sys};
    self->request(a, 5s, which)
        .receive([&](uint16_t bound) { p = bound; }, [](caf::error& e) { FAIL() << to_string(e); });
    return p;
  }

  template <class... Ts>
  caf::actor spawn(Ts&&... xs) {
    auto a = sys->spawn(std::forward<Ts>(xs)...);
    spawned.push_back(a);
    return a;
  }

  void route(const std::string& method, const std::string& path, const caf::actor& handler) {
    caf::scoped_actor self{*sys};
    self->request(server, 5s, register_route_atom_v, method, path, handler)
        .receive([] {}, [](caf::error& e) { FAIL() << to_string(e); });
  }

  emulators::http_result call(const std::string& method, const std::string& target,
                              const std::string& body = {}) {
    return http_call(port, method, target, body);
  }

  caf::actor_system_config cfg;
  std::optional<caf::actor_system> sys;
  metrics::registry registry;
  caf::actor server;
  std::vector<caf::actor> spawned;
  uint16_t port = 0;
};

TEST_F(HttpServer, HealthzIsOk) {
  start();
  ASSERT_NE(port, 0);
  auto r = call("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_EQ(r.headers["content-type"], "application/json");
}

TEST_F(HttpServer, UnknownPathAndWrongMethodAreJsonErrorsAndServingGoesOn) {
  start();
  auto missing = call("GET", "/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find(R"("error":"not_found")"), std::string::npos) << missing.body;
  auto wrong = call("POST", "/healthz", "x");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "GET");
  EXPECT_NE(wrong.body.find(R"("error":"method_not_allowed")"), std::string::npos);
  EXPECT_EQ(call("GET", "/healthz").status, 200);
}

TEST_F(HttpServer, MalformedRequestIs400AndServingGoesOn) {
  start();
  raw_connection c{port};
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->headers["connection"], "close");
  EXPECT_NE(r->body.find(R"("error":"bad_request")"), std::string::npos) << r->body;
  EXPECT_TRUE(c.closed_within(3s));
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(registry.value("vpnbot_http_requests_total",
                           {{"route", "unmatched"}, {"method", "other"}, {"status", "400"}}),
            1);
}

TEST_F(HttpServer, BodyOverLimitIs413AndServingGoesOn) {
  start();
  route("POST", "/echo", spawn(echo_handler));
  auto r = call("POST", "/echo", std::string(4096, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find(R"("error":"payload_too_large")"), std::string::npos) << r.body;
  raw_connection announced{port};
  announced.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n");
  auto early = announced.read_response();
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 413);
  EXPECT_EQ(call("POST", "/echo", "small").body, "got:small");
}

// Registered routes are the webhooks; anyone may post to them, so their
// bodies are capped lower and refused before they are read.
TEST_F(HttpServer, ARegisteredRouteRefusesABodyOverTheWebhookLimitBeforeReadingIt) {
  auto s = quick_settings();
  s.body_limit = 1 << 20;
  s.webhook_body_limit = 64 << 10;
  start(s);
  route("POST", "/pay/x", spawn(echo_handler));
  raw_connection announced{port};
  announced.send("POST /pay/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  auto early = announced.read_response();
  ASSERT_TRUE(early) << "no answer before the body";
  EXPECT_EQ(early->status, 413);
  EXPECT_NE(early->body.find("65536 bytes"), std::string::npos) << early->body;

  raw_connection chunked{port};
  chunked.send("POST /pay/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk = "9c40\r\n" + std::string(40000, 'x') + "\r\n";
  chunked.send(chunk);
  chunked.send(chunk);
  auto grown = chunked.read_response();
  ASSERT_TRUE(grown) << "no answer to a chunked body past the limit";
  EXPECT_EQ(grown->status, 413);

  EXPECT_EQ(call("POST", "/pay/x", std::string(60000, 'y')).body, "got:" + std::string(60000, 'y'));
  EXPECT_EQ(call("POST", "/elsewhere", std::string(100000, 'z')).status, 404);  // body_limit
}

TEST_F(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  raw_connection c{port};
  for (int i = 0; i < 3; ++i) {
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->headers["connection"], "close");
  }
}

TEST_F(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  start();
  route("POST", "/echo", spawn(echo_handler));
  raw_connection c{port};
  c.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo");
  auto first = c.read_response();
  auto second = c.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "got:one");
  EXPECT_EQ(second->body, "got:two");
}

TEST_F(HttpServer, ExpectContinueGetsAnInterimAnswerBeforeTheBody) {
  start();
  route("POST", "/echo", spawn(echo_handler));
  raw_connection c{port};
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  auto interim = c.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  c.send("body");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "got:body");
}

TEST_F(HttpServer, HeadGetsTheHeadersWithoutABody) {
  start();
  route("HEAD", "/echo", spawn(echo_handler));
  raw_connection c{port};
  c.send("HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = c.read_response(5s, true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers["content-length"], "4");  // "got:"
  auto next = c.read_response();                    // framing intact: the next answer parses
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, R"({"status":"ok"})");
}

TEST_F(HttpServer, HalfAHeaderIsCutOffAfterHeaderTimeout) {
  start();
  raw_connection c{port};
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  EXPECT_TRUE(c.closed_within(3s));
  raw_connection silent{port};
  EXPECT_TRUE(silent.closed_within(3s));
}

TEST_F(HttpServer, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  auto s = quick_settings();
  s.idle_timeout = 300ms;
  start(s);
  raw_connection c{port};
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(c.read_response());
  EXPECT_TRUE(c.closed_within(3s));
}

// Connections in the middle of a request are not idle: they keep their
// place, and a new client beyond the limit gets 503 without taking one.
TEST_F(HttpServer, ConnectionsBeyondTheLimitGet503) {
  auto s = quick_settings();
  s.max_connections = 2;
  s.header_timeout = 5s;
  s.idle_timeout = 5s;
  start(s);
  std::vector<std::unique_ptr<raw_connection>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<raw_connection>(port));
    held.back()->send("GET /healthz HTTP/1.1\r\n");  // half a header: busy
  }
  raw_connection third{port};
  third.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = third.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->headers["connection"], "close");
  EXPECT_EQ(registry.value("vpnbot_http_connections_rejected_total"), 1);
  EXPECT_EQ(registry.value("vpnbot_http_connections_open"), 2);  // the refused one holds none

  held.front()->send("Host: x\r\n\r\n");  // both finish their requests
  held.back()->send("Host: x\r\n\r\n");
  ASSERT_TRUE(held.front()->read_response());
  ASSERT_TRUE(held.back()->read_response());
  EXPECT_EQ(call("GET", "/healthz").status, 200);  // now idle: one makes room

  held.clear();  // the server notices the closes and takes new connections again
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    status = call("GET", "/healthz").status;
    if (status != 200) std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(status, 200);
}

// max_connections idle keep-alive connections do not lock new clients out:
// over 90 % of the limit the longest idle ones are closed for them.
TEST_F(HttpServer, IdleKeepAliveConnectionsMakeRoomForNewClients) {
  auto s = quick_settings();
  s.max_connections = 10;
  s.header_timeout = 5s;
  s.idle_timeout = 30s;
  start(s);
  std::vector<std::unique_ptr<raw_connection>> held;
  for (int i = 0; i < 10; ++i) {
    held.push_back(std::make_unique<raw_connection>(port));
    held.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = held.back()->read_response();
    ASSERT_TRUE(r) << "connection " << i;
    ASSERT_EQ(r->status, 200) << "connection " << i;
  }
  auto fresh = call("GET", "/healthz");
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(registry.value("vpnbot_http_connections_rejected_total"), 0);
  EXPECT_TRUE(held.front()->closed_within(3s));  // the longest idle went first
  held.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto newest = held.back()->read_response();
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->status, 200);
  EXPECT_GE(registry.value("vpnbot_http_connections_evicted_total"), 1);
  EXPECT_LE(registry.value("vpnbot_http_connections_open"), 10);
}

TEST_F(HttpServer, IdleConnectionsBelowNinetyPercentOfTheLimitStay) {
  auto s = quick_settings();
  s.max_connections = 10;
  s.idle_timeout = 30s;
  start(s);
  std::vector<std::unique_ptr<raw_connection>> held;
  for (int i = 0; i < 7; ++i) {
    held.push_back(std::make_unique<raw_connection>(port));
    held.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(held.back()->read_response());
  }
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  for (auto& c : held) {
    c->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = c->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(registry.value("vpnbot_http_connections_evicted_total"), 0);
}

TEST_F(HttpServer, MetricsCanHaveAListenerOfTheirOwn) {
  auto s = quick_settings();
  s.metrics_listen_host = "127.0.0.1";
  s.metrics_listen_port = 0;
  start(s);
  auto metrics_port = query_port(server, http_metrics_port_atom_v);
  ASSERT_NE(metrics_port, 0);
  ASSERT_NE(metrics_port, port);
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  auto r = http_call(metrics_port, "GET", "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(
      r.body.find(R"(vpnbot_http_requests_total{route="/healthz",method="GET",status="200"} 1)"),
      std::string::npos)
      << r.body;
  EXPECT_EQ(call("GET", "/metrics").status, 404);  // not on the main listener
  EXPECT_EQ(http_call(metrics_port, "GET", "/healthz").status, 404);
}

TEST_F(HttpServer, WithoutAMetricsListenerMetricsAreOnTheMainOne) {
  start();
  EXPECT_EQ(query_port(server, http_metrics_port_atom_v), port);
  EXPECT_EQ(call("GET", "/metrics").status, 200);
}

TEST_F(HttpServer, ReadyzFollowsTheReadinessSource) {
  auto source = spawn(readiness_source);
  start(quick_settings(), source);
  auto ready = call("GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"status":"ready"})");

  caf::scoped_actor self{*sys};
  self->request(source, 5s, std::vector<std::string>{"root/storage: restarting"})
      .receive([] {}, [](caf::error& e) { FAIL() << to_string(e); });
  auto not_ready = call("GET", "/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.body, R"({"not_ready":["root/storage: restarting"],"status":"not_ready"})");
}

TEST_F(HttpServer, ReadyzReportsTheConfigDigestWhenOneIsSet) {
  auto source = spawn(readiness_source);
  start(quick_settings(), source, 2s, "0123456789abcdef");
  auto ready = call("GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"config_digest":"0123456789abcdef","status":"ready"})");

  caf::scoped_actor self{*sys};
  self->request(source, 5s, std::vector<std::string>{"root/storage: restarting"})
      .receive([] {}, [](caf::error& e) { FAIL() << to_string(e); });
  auto not_ready = call("GET", "/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_NE(not_ready.body.find(R"("config_digest":"0123456789abcdef")"), std::string::npos)
      << not_ready.body;
}

TEST_F(HttpServer, ReadyzIs503WhenTheSourceDoesNotAnswer) {
  start(quick_settings(), spawn(never_ready));
  auto r = call("GET", "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find(R"("status":"not_ready")"), std::string::npos) << r.body;
}

TEST_F(HttpServer, MetricsExposeRequestCountersByRoute) {
  start();
  call("GET", "/healthz");
  call("GET", "/secret-token-in-path");
  auto r = call("GET", "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(
      r.body.find(R"(vpnbot_http_requests_total{route="/healthz",method="GET",status="200"} 1)"),
      std::string::npos)
      << r.body;
  EXPECT_NE(
      r.body.find(R"(vpnbot_http_requests_total{route="unmatched",method="GET",status="404"} 1)"),
      std::string::npos);
  EXPECT_NE(r.body.find(R"(vpnbot_http_request_duration_seconds_count{route="/healthz"} 1)"),
            std::string::npos);
  EXPECT_NE(r.body.find("vpnbot_http_connections_open"), std::string::npos);
  EXPECT_EQ(r.body.find("secret-token"), std::string::npos);
}

TEST_F(HttpServer, RegisteredRouteGetsTheRequestAndItsAnswerIsReturned) {
  start();
  route("POST", "/webhook/pay", spawn(echo_handler));
  auto r = call("POST", "/webhook/pay?id=7", R"({"paid":true})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"(got:{"paid":true})");
  EXPECT_EQ(r.headers["x-seen"], "POST /webhook/pay?id=7");
  EXPECT_EQ(r.headers["content-type"], "text/plain");
  EXPECT_EQ(registry.value("vpnbot_http_requests_total",
                           {{"route", "/webhook/pay"}, {"method", "POST"}, {"status", "200"}}),
            1);
}

TEST_F(HttpServer, HandlerThatNeverAnswersGives504) {
  start(quick_settings(), {}, 300ms);
  route("POST", "/slow", spawn(silent_handler));
  auto r = call("POST", "/slow", "x");
  EXPECT_EQ(r.status, 504);
  EXPECT_NE(r.body.find(R"("error":"gateway_timeout")"), std::string::npos) << r.body;
}

TEST_F(HttpServer, RoutesOfADeadHandlerAreDropped) {
  start();
  auto handler = spawn(echo_handler);
  route("GET", "/gone", handler);
  EXPECT_EQ(call("GET", "/gone").status, 200);
  caf::anon_send_exit(handler, caf::exit_reason::kill);
  int status = 0;
  for (int i = 0; i < 100 && status != 404; ++i) {
    status = call("GET", "/gone").status;
    if (status != 404) std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(status, 404);
}

TEST_F(HttpServer, ShutdownLetsARequestInFlightFinishThenCloses) {
  start();
  auto arrived = std::make_shared<std::promise<void>>();
  auto seen = arrived->get_future();
  route("GET", "/work", spawn(slow_handler, 300ms, arrived));
  auto answer = std::async(std::launch::async, [p = port] { return http_call(p, "GET", "/work"); });
  ASSERT_EQ(seen.wait_for(5s), std::future_status::ready);
  caf::anon_send_exit(server, caf::exit_reason::user_shutdown);
  auto r = answer.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "late but there");
  caf::scoped_actor self{*sys};
  self->wait_for(server);
  EXPECT_THROW(raw_connection{port}, std::exception);
  server = nullptr;
}

TEST_F(HttpServer, AnOccupiedPortMakesTheActorFail) {
  start();
  auto s = quick_settings();
  s.listen_port = port;
  http_server_config c;
  c.http = s;
  c.registry = &registry;
  caf::scoped_actor self{*sys};
  auto second = spawn_http_server(*sys, c);
  self->monitor(second);
  bool failed = false;
  self->receive([&](caf::down_msg& m) { failed = static_cast<bool>(m.reason); },
                caf::after(5s) >> [] {});
  EXPECT_TRUE(failed);
  EXPECT_EQ(call("GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace vpnbot

namespace vpnbot {
namespace {

caf::behavior named_handler(caf::event_based_actor*, std::string name) {
  return {[name](http_request& r) {
    return http_response{200, "text/plain", {}, name + ":" + r.path};
  }};
}

TEST_F(HttpServer, APrefixRouteServesThePathsBelowItTheLongestPrefixAndExactRoutesFirst) {
  start();
  route("GET", "/api/v1/*", spawn(named_handler, "api"));
  route("POST", "/api/v1/*", spawn(named_handler, "api-post"));
  route("GET", "/api/v1/deep/*", spawn(named_handler, "deep"));
  route("GET", "/api/v1/exact", spawn(named_handler, "exact"));
  EXPECT_EQ(call("GET", "/api/v1/users/42").body, "api:/api/v1/users/42");
  EXPECT_EQ(call("GET", "/api/v1/").body, "api:/api/v1/");
  EXPECT_EQ(call("POST", "/api/v1/users/42/ban").body, "api-post:/api/v1/users/42/ban");
  EXPECT_EQ(call("GET", "/api/v1/deep/er").body, "deep:/api/v1/deep/er");
  EXPECT_EQ(call("GET", "/api/v1/exact").body, "exact:/api/v1/exact");
  // Not below the prefix: "/api/v1" itself, a look-alike, another method.
  EXPECT_EQ(call("GET", "/api/v1").status, 404);
  EXPECT_EQ(call("GET", "/api/v10/x").status, 404);
  auto wrong = call("DELETE", "/api/v1/users/42");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "GET, POST");
  // The prefix is the metrics label, whatever the path.
  auto text = registry.render();
  EXPECT_NE(text.find(R"(route="/api/v1/*")"), std::string::npos);
  EXPECT_EQ(text.find(R"(route="/api/v1/users/42")"), std::string::npos);
}

}  // namespace
}  // namespace vpnbot
