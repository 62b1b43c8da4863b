#include "actors/http_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <caf/all.hpp>
#include <future>
#include <thread>

#include "adapters/emulators/fake_http_server.hpp"
#include "adapters/http/client.hpp"
#include "adapters/http/client_error.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

// http::client against the loopback fake server: plain and TLS, faults,
// timeouts and limits. Only 127.0.0.1 is used; timeouts are hundreds of
// milliseconds and nothing asserts on speed.

namespace vpnbot::http {
namespace {

using namespace std::chrono_literals;
using emulators::fake_fault;
using emulators::fake_http_server;

config::http_client_settings quick_settings() {
  config::http_client_settings s;
  s.connect_timeout = 2s;
  s.read_timeout = 3s;
  s.total_timeout = 5s;
  s.threads = 1;
  return s;
}

http_response echo(const http_request& r) {
  http_response out{200, "text/plain", {}, r.method + " " + r.path + "?" + r.query + " " + r.body};
  out.headers = {{"Set-Cookie", "a=1; Path=/"}, {"Set-Cookie", "b=2; Path=/"}};
  return out;
}

// A loopback port nobody listens on (bound once, then released).
uint16_t closed_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  return a.local_endpoint().port();
}

struct HttpClient : testing::Test {
  HttpClient() {
    log::set_sink([](const std::string&) {});
  }
  ~HttpClient() override { log::set_sink(nullptr); }

  client_result call(client& c, http_client_request req) {
    std::promise<client_result> p;
    auto f = p.get_future();
    c.async_request(std::move(req), [&p](client_result r) { p.set_value(std::move(r)); });
    if (f.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "no completion";
      return caf::make_error(caf::sec::request_timeout);
    }
    return f.get();
  }

  client_result get(client& c, const std::string& url) {
    http_client_request req;
    req.url = url;
    req.target = "fake";
    return call(c, std::move(req));
  }

  static std::optional<client_errc> code(const client_result& r) {
    return r ? std::nullopt : client_error_code(r.error());
  }

  metrics::registry registry;
};

TEST_F(HttpClient, GetAndPostReachTheServerAndBringBackTheResponse) {
  fake_http_server fake{echo};
  client c{quick_settings(), registry};

  auto got = get(c, fake.base_url() + "/items?page=2");
  ASSERT_TRUE(got) << to_string(got.error());
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "GET /items?page=2 ");
  EXPECT_EQ(got->header_values("set-cookie"),
            (std::vector<std::string>{"a=1; Path=/", "b=2; Path=/"}));
  ASSERT_NE(got->header("content-type"), nullptr);
  EXPECT_EQ(*got->header("content-type"), "text/plain");

  http_client_request post;
  post.method = "POST";
  post.url = fake.base_url() + "/create";
  post.headers = {{"Content-Type", "application/json"}, {"X-Trace", "42"}};
  post.body = R"({"n":1})";
  post.target = "fake";
  auto created = call(c, post);
  ASSERT_TRUE(created) << to_string(created.error());
  EXPECT_EQ(created->body, R"(POST /create? {"n":1})");
  auto seen = fake.requests().back();
  ASSERT_NE(seen.header("x-trace"), nullptr);
  EXPECT_EQ(*seen.header("x-trace"), "42");
  EXPECT_EQ(*seen.header("host"), "127.0.0.1:" + std::to_string(fake.port()));
  EXPECT_EQ(*seen.header("content-length"), "7");

  EXPECT_EQ(
      registry.value("vpnbot_http_client_requests_total", {{"target", "fake"}, {"outcome", "2xx"}}),
      2);
  EXPECT_EQ(registry.value("vpnbot_http_client_duration_seconds", {{"target", "fake"}}), 2);
}

TEST_F(HttpClient, AnyStatusIsAResponseNotAnError) {
  fake_http_server fake{echo};
  fake.inject(fake_fault::respond_with(503, R"({"busy":true})"));
  client c{quick_settings(), registry};
  auto r = get(c, fake.base_url() + "/x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, R"({"busy":true})");
  EXPECT_EQ(
      registry.value("vpnbot_http_client_requests_total", {{"target", "fake"}, {"outcome", "5xx"}}),
      1);
}

TEST_F(HttpClient, RefusedConnectionIsAConnectError) {
  client c{quick_settings(), registry};
  auto r = get(c, "http://127.0.0.1:" + std::to_string(closed_port()) + "/bot123:SECRET/getMe");
  ASSERT_EQ(code(r), client_errc::connect);
  auto text = to_string(r.error());
  EXPECT_NE(text.find("127.0.0.1"), std::string::npos) << text;
  EXPECT_EQ(text.find("SECRET"), std::string::npos) << text;
  EXPECT_EQ(registry.value("vpnbot_http_client_requests_total",
                           {{"target", "fake"}, {"outcome", "connect"}}),
            1);
}

TEST_F(HttpClient, SlowServerHitsTheReadTimeout) {
  fake_http_server fake{echo};
  fake.inject(fake_fault::delay_by(1s));
  client c{quick_settings(), registry};
  http_client_request req;
  req.url = fake.base_url() + "/slow";
  req.read_timeout = 200ms;
  auto r = call(c, req);
  ASSERT_EQ(code(r), client_errc::timeout);
  EXPECT_NE(to_string(r.error()).find("read timeout"), std::string::npos) << to_string(r.error());
}

TEST_F(HttpClient, TotalTimeoutBoundsTheWholeCall) {
  fake_http_server fake{echo};
  fake.inject(fake_fault::delay_by(1s));
  client c{quick_settings(), registry};
  http_client_request req;
  req.url = fake.base_url() + "/slow";
  req.read_timeout = 5s;
  req.total_timeout = 200ms;
  auto r = call(c, req);
  ASSERT_EQ(code(r), client_errc::timeout);
  EXPECT_NE(to_string(r.error()).find("total timeout"), std::string::npos) << to_string(r.error());
}

TEST_F(HttpClient, ConnectionClosedWithoutAnswerIsAReadError) {
  fake_http_server fake{echo};
  fake.inject(fake_fault::close_connection());
  client c{quick_settings(), registry};
  EXPECT_EQ(code(get(c, fake.base_url() + "/drop")), client_errc::read);
  auto after = get(c, fake.base_url() + "/fine");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(HttpClient, ResponseBodyOverTheLimitIsRefused) {
  fake_http_server fake{[](const http_request&) {
    return http_response{200, "text/plain", {}, std::string(10000, 'x')};
  }};
  client c{quick_settings(), registry};
  http_client_request req;
  req.url = fake.base_url() + "/big";
  req.body_limit = 1000;
  EXPECT_EQ(code(call(c, req)), client_errc::body_too_large);
  req.body_limit = 20000;
  auto r = call(c, req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.size(), 10000u);
}

TEST_F(HttpClient, InvalidRequestsFailWithoutEchoingTheUrl) {
  client c{quick_settings(), registry};
  auto r = get(c, "ftp://token-SECRET@example.com/");
  ASSERT_EQ(code(r), client_errc::invalid_request);
  EXPECT_EQ(to_string(r.error()).find("SECRET"), std::string::npos);
  http_client_request injected;
  injected.url = "http://127.0.0.1:1/";
  injected.headers = {{"X-Evil", "a\r\nHost: other"}};
  EXPECT_EQ(code(call(c, injected)), client_errc::invalid_request);
}

TEST_F(HttpClient, TlsVerificationRejectsASelfSignedServer) {
  fake_http_server fake{echo, {.tls = true}};
  client c{quick_settings(), registry};
  auto r = get(c, fake.base_url() + "/x");
  ASSERT_EQ(code(r), client_errc::tls);
  EXPECT_NE(to_string(r.error()).find("certificate verify failed"), std::string::npos)
      << to_string(r.error());
}

TEST_F(HttpClient, TlsWithTheServersCertificateAsCaFileSucceeds) {
  fake_http_server fake{echo, {.tls = true}};
  auto s = quick_settings();
  s.ca_file = fake.ca_file();
  client c{s, registry};
  auto by_ip = get(c, fake.base_url() + "/x");
  ASSERT_TRUE(by_ip) << to_string(by_ip.error());
  EXPECT_EQ(by_ip->body, "GET /x? ");
  auto by_name = get(c, "https://localhost:" + std::to_string(fake.port()) + "/y");
  ASSERT_TRUE(by_name) << to_string(by_name.error());
  EXPECT_EQ(by_name->status, 200);
}

TEST_F(HttpClient, TlsChecksTheHostNameEvenWithATrustedCertificate) {
  fake_http_server fake{echo, {.tls = true, .tls_names = {"panel.example"}}};
  auto s = quick_settings();
  s.ca_file = fake.ca_file();
  client c{s, registry};
  auto r = get(c, fake.base_url() + "/x");
  ASSERT_EQ(code(r), client_errc::tls);
  EXPECT_NE(to_string(r.error()).find("mismatch"), std::string::npos) << to_string(r.error());
}

TEST_F(HttpClient, TlsWithVerificationOffAcceptsTheSelfSignedServer) {
  fake_http_server fake{echo, {.tls = true}};
  client c{quick_settings(), registry};
  http_client_request req;
  req.url = fake.base_url() + "/panel/login";
  req.skip_tls_verify = true;
  auto r = call(c, req);
  ASSERT_TRUE(r) << to_string(r.error());
  EXPECT_EQ(r->status, 200);
}

double connections(metrics::registry& r, const std::string& reuse) {
  return r.value("vpnbot_http_client_connections_total", {{"target", "fake"}, {"reuse", reuse}});
}

http_client_request post_to(const std::string& url) {
  http_client_request req;
  req.method = "POST";
  req.url = url;
  req.body = R"({"chat_id":1})";
  req.target = "fake";
  return req;
}

std::size_t count_method(const fake_http_server& fake, const std::string& method) {
  auto seen = fake.requests();
  return std::count_if(seen.begin(), seen.end(),
                       [&](const http_request& r) { return r.method == method; });
}

TEST_F(HttpClient, SequentialCallsToOneOriginShareAKeptAliveConnection) {
  fake_http_server fake{echo};
  client c{quick_settings(), registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/a"));
  auto second = get(c, fake.base_url() + "/b");
  ASSERT_TRUE(second) << to_string(second.error());
  EXPECT_EQ(second->body, "GET /b? ");
  EXPECT_EQ(fake.connection_count(), 1u);
  EXPECT_EQ(connections(registry, "new"), 1);
  EXPECT_EQ(connections(registry, "reused"), 1);
}

TEST_F(HttpClient, PoolSizeZeroOpensAConnectionPerCall) {
  fake_http_server fake{echo};
  auto s = quick_settings();
  s.pool_size = 0;
  client c{s, registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/a"));
  ASSERT_TRUE(get(c, fake.base_url() + "/b"));
  EXPECT_EQ(fake.connection_count(), 2u);
  ASSERT_NE(fake.requests().front().header("connection"), nullptr);
  EXPECT_EQ(*fake.requests().front().header("connection"), "close");
}

TEST_F(HttpClient, AConnectionTheServerClosedWhileIdleIsNotUsed) {
  fake_http_server fake{echo};
  client c{quick_settings(), registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/a"));
  fake.close_idle_connections();
  std::this_thread::sleep_for(50ms);  // the FIN crosses loopback
  auto again = get(c, fake.base_url() + "/b");
  ASSERT_TRUE(again) << to_string(again.error());

  fake.close_idle_connections();
  std::this_thread::sleep_for(50ms);
  auto posted = call(c, post_to(fake.base_url() + "/sendMessage"));
  ASSERT_TRUE(posted) << to_string(posted.error());
  EXPECT_EQ(count_method(fake, "POST"), 1u);
  EXPECT_EQ(fake.request_count(), 3u);
  EXPECT_EQ(fake.connection_count(), 3u);
  // The last POST went out on the third connection, which is kept again.
  ASSERT_TRUE(get(c, fake.base_url() + "/c"));
  EXPECT_EQ(fake.connection_count(), 3u);
}

TEST_F(HttpClient, AnIdempotentCallDroppedOnAReusedConnectionIsRetriedOnce) {
  fake_http_server fake{echo};
  client c{quick_settings(), registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/a"));
  fake.inject(fake_fault::close_connection("/b"));
  auto r = get(c, fake.base_url() + "/b");
  ASSERT_TRUE(r) << to_string(r.error());
  EXPECT_EQ(r->body, "GET /b? ");
  EXPECT_EQ(fake.request_count(), 3u);  // /a, /b dropped, /b again
  EXPECT_EQ(fake.connection_count(), 2u);

  // A fresh connection is not retried: the drop is the answer.
  auto s = quick_settings();
  s.pool_size = 0;
  client single{s, registry};
  fake.inject(fake_fault::close_connection("/b"));
  EXPECT_EQ(code(get(single, fake.base_url() + "/b")), client_errc::read);
}

TEST_F(HttpClient, APostDroppedAfterItWasSentIsNotRepeated) {
  fake_http_server fake{echo};
  client c{quick_settings(), registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/a"));
  fake.inject(fake_fault::close_connection("/sendMessage"));
  auto r = call(c, post_to(fake.base_url() + "/sendMessage"));
  ASSERT_EQ(code(r), client_errc::read);
  EXPECT_EQ(count_method(fake, "POST"), 1u);
  EXPECT_EQ(fake.connection_count(), 1u);

  // With an Idempotency-Key the server deduplicates, so it may be repeated.
  ASSERT_TRUE(get(c, fake.base_url() + "/a"));
  fake.inject(fake_fault::close_connection("/sendMessage"));
  auto keyed = post_to(fake.base_url() + "/sendMessage");
  keyed.headers = {{"Idempotency-Key", "order-7"}};
  auto again = call(c, keyed);
  ASSERT_TRUE(again) << to_string(again.error());
  EXPECT_EQ(count_method(fake, "POST"), 3u);
}

TEST_F(HttpClient, AConnectionIsRetiredAfterMaxRequests) {
  fake_http_server fake{echo};
  auto s = quick_settings();
  s.max_requests_per_connection = 2;
  client c{s, registry};
  for (auto path : {"/1", "/2", "/3"}) ASSERT_TRUE(get(c, fake.base_url() + path));
  EXPECT_EQ(fake.connection_count(), 2u);
}

TEST_F(HttpClient, AConnectionIdleLongerThanIdleTimeoutIsNotReused) {
  fake_http_server fake{echo};
  auto s = quick_settings();
  s.idle_timeout = 200ms;
  client c{s, registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/1"));
  ASSERT_TRUE(get(c, fake.base_url() + "/2"));
  EXPECT_EQ(fake.connection_count(), 1u);
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(get(c, fake.base_url() + "/3"));
  EXPECT_EQ(fake.connection_count(), 2u);
}

TEST_F(HttpClient, AServerAnsweringConnectionCloseIsNotReused) {
  fake_http_server fake{[](const http_request& r) {
    http_response out{200, "text/plain", {}, "ok"};
    if (r.path == "/last") out.headers = {{"Connection", "close"}};
    return out;
  }};
  client c{quick_settings(), registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/last"));
  ASSERT_TRUE(get(c, fake.base_url() + "/1"));
  ASSERT_TRUE(get(c, fake.base_url() + "/2"));
  EXPECT_EQ(fake.connection_count(), 2u);
  EXPECT_EQ(connections(registry, "new"), 2);
  EXPECT_EQ(connections(registry, "reused"), 1);
}

TEST_F(HttpClient, OriginsDoNotShareConnections) {
  fake_http_server one{echo};
  fake_http_server two{echo};
  client c{quick_settings(), registry};
  ASSERT_TRUE(get(c, one.base_url() + "/a"));
  auto other = get(c, two.base_url() + "/b");
  ASSERT_TRUE(other) << to_string(other.error());
  ASSERT_TRUE(get(c, one.base_url() + "/c"));
  EXPECT_EQ(one.connection_count(), 1u);
  EXPECT_EQ(two.connection_count(), 1u);
  EXPECT_EQ(one.request_count(), 2u);
}

TEST_F(HttpClient, TlsCallsReuseOneConnection) {
  fake_http_server fake{echo, {.tls = true}};
  auto s = quick_settings();
  s.ca_file = fake.ca_file();
  client c{s, registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/a"));
  auto second = get(c, fake.base_url() + "/b");
  ASSERT_TRUE(second) << to_string(second.error());
  EXPECT_EQ(second->body, "GET /b? ");
  EXPECT_EQ(fake.connection_count(), 1u);

  // Verification off is another origin: its own connection.
  http_client_request unverified;
  unverified.url = fake.base_url() + "/c";
  unverified.skip_tls_verify = true;
  ASSERT_TRUE(call(c, unverified));
  EXPECT_EQ(fake.connection_count(), 2u);
}

TEST_F(HttpClient, ANewTlsConnectionResumesTheOriginsSession) {
  fake_http_server fake{echo, {.tls = true}};
  auto s = quick_settings();
  s.ca_file = fake.ca_file();
  s.pool_size = 0;
  client c{s, registry};
  ASSERT_TRUE(get(c, fake.base_url() + "/a"));
  ASSERT_TRUE(get(c, fake.base_url() + "/b"));
  EXPECT_EQ(fake.connection_count(), 2u);
  EXPECT_EQ(fake.resumed_count(), 1u);
}

TEST_F(HttpClient, TheActorAnswersRequestsWithResponsesOrErrors) {
  caf::actor_system_config cfg;
  register_message_types(cfg);
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  caf::actor_system sys{cfg};
  fake_http_server fake{echo};
  auto http = spawn_http_client(sys, quick_settings(), registry);
  caf::scoped_actor self{sys};

  http_client_request ok;
  ok.url = fake.base_url() + "/ping";
  self->request(http, 10s, ok)
      .receive([](http_client_response& r) { EXPECT_EQ(r.status, 200); },
               [](caf::error& e) { FAIL() << to_string(e); });

  http_client_request refused;
  refused.url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/";
  self->request(http, 10s, refused)
      .receive([](http_client_response&) { FAIL() << "expected an error"; },
               [](caf::error& e) { EXPECT_EQ(client_error_code(e), client_errc::connect); });
  self->send_exit(http, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace vpnbot::http
