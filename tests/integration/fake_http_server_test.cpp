#include "adapters/emulators/fake_http_server.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "adapters/emulators/http_call.hpp"
#include "support/raw_connection.hpp"

// The fake server's own promises: faults in order and by path, recorded
// requests, answers from another thread.

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;

TEST(FakeHttpServer, FaultsApplyInOrderToMatchingPathsOnly) {
  fake_http_server fake{[](const http_request& r) {
    return http_response{200, "text/plain", {}, "ok " + r.path};
  }};
  fake.inject(fake_fault::respond_with(502, "bad", "/a"), 2);
  fake.inject(fake_fault::respond_with(429, "slow down"));
  EXPECT_EQ(http_call(fake.port(), "GET", "/b").status, 429);  // the /a fault skips /b
  EXPECT_EQ(http_call(fake.port(), "GET", "/a").status, 502);
  EXPECT_EQ(http_call(fake.port(), "GET", "/a").body, "bad");
  EXPECT_EQ(http_call(fake.port(), "GET", "/a").body, "ok /a");
  fake.inject(fake_fault::respond_with(500), -1);
  EXPECT_EQ(http_call(fake.port(), "GET", "/c").status, 500);
  EXPECT_EQ(http_call(fake.port(), "GET", "/c").status, 500);
  fake.clear_faults();
  EXPECT_EQ(http_call(fake.port(), "GET", "/c").status, 200);
  ASSERT_EQ(fake.request_count(), 7u);
  EXPECT_EQ(fake.requests().front().path, "/b");
}

TEST(FakeHttpServer, RecordsRequestsAndKeepsConnectionsAlive) {
  fake_http_server fake{[](const http_request&) { return http_response{204, "", {}, ""}; }};
  raw_connection c{fake.port()};
  c.send("POST /x?y=1 HTTP/1.1\r\nHost: h\r\nX-Key: v\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_TRUE(c.read_response());
  c.send("GET /z HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_TRUE(c.read_response());
  auto seen = fake.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/x");
  EXPECT_EQ(seen[0].query, "y=1");
  EXPECT_EQ(seen[0].body, "abc");
  EXPECT_EQ(*seen[0].header("x-key"), "v");
  EXPECT_EQ(seen[1].path, "/z");
}

TEST(FakeHttpServer, AsyncHandlerMayAnswerFromAnotherThread) {
  std::mutex m;
  std::vector<std::thread> repliers;
  {
    fake_http_server fake{[&](const http_request& r, std::function<void(http_response)> reply) {
      std::lock_guard lock{m};
      repliers.emplace_back([reply, body = r.body] {
        std::this_thread::sleep_for(50ms);
        reply({200, "text/plain", {}, "later " + body});
      });
    }};
    EXPECT_EQ(http_call(fake.port(), "POST", "/poll", "1").body, "later 1");
    std::lock_guard lock{m};
    for (auto& t : repliers) t.join();
  }
}

TEST(FakeHttpServer, CloseFaultDropsTheConnectionWithoutAnswer) {
  fake_http_server fake{[](const http_request&) { return http_response{}; }};
  fake.inject(fake_fault::close_connection());
  raw_connection c{fake.port()};
  c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_FALSE(c.read_response(3s));
  EXPECT_EQ(fake.request_count(), 1u);
}

}  // namespace
}  // namespace vpnbot::testing_support
