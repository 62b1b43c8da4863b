#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "adapters/emulators/http_call.hpp"
#include "adapters/http/server.hpp"
#include "adapters/log/logger.hpp"

// http::server on its own, without actors: how answers get back to the
// connection and how it stops.

namespace vpnbot::http {
namespace {

using namespace std::chrono_literals;
using emulators::http_call;

config::http_settings loopback() {
  config::http_settings s;
  s.listen_host = "127.0.0.1";
  s.listen_port = 0;
  s.header_timeout = 2s;
  s.idle_timeout = 2s;
  return s;
}

struct HttpListener : testing::Test {
  HttpListener() {
    log::set_sink([](const std::string&) {});
  }
  ~HttpListener() override { log::set_sink(nullptr); }
  metrics::registry registry;
};

TEST_F(HttpListener, AResponderDroppedUnansweredGives503) {
  server s{loopback(), [](http_request, http_responder) {}, registry};
  auto r = http_call(s.port(), "GET", "/anything");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find(R"("error":"unavailable")"), std::string::npos) << r.body;
}

TEST_F(HttpListener, AHandlerThatThrowsGives500) {
  server s{loopback(), [](http_request, http_responder) { throw std::runtime_error("boom"); },
           registry};
  EXPECT_EQ(http_call(s.port(), "GET", "/").status, 500);
}

TEST_F(HttpListener, AnswersMayComeFromAnotherThreadLater) {
  std::mutex m;
  std::vector<std::thread> repliers;
  server s{loopback(),
           [&](http_request req, http_responder out) {
             std::lock_guard lock{m};
             repliers.emplace_back([req = std::move(req), out] {
               std::this_thread::sleep_for(50ms);
               out.send({200, "text/plain", {}, "for " + req.path});
             });
           },
           registry};
  EXPECT_EQ(http_call(s.port(), "GET", "/later").body, "for /later");
  std::lock_guard lock{m};
  for (auto& t : repliers) t.join();
}

TEST_F(HttpListener, StopWaitsForTheAnswerInFlightWithinTheGrace) {
  std::promise<http_responder> handed;
  auto pending = handed.get_future();
  server s{loopback(), [&](http_request, http_responder out) { handed.set_value(out); }, registry};
  auto port = s.port();
  auto call = std::async(std::launch::async, [port] { return http_call(port, "GET", "/x"); });
  ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
  auto out = pending.get();
  std::thread late([out] {
    std::this_thread::sleep_for(100ms);
    out.send({200, "text/plain", {}, "finished"});
  });
  s.stop(5s);
  late.join();
  auto r = call.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "finished");
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(s.open_connections(), 0u);
}

}  // namespace
}  // namespace vpnbot::http
