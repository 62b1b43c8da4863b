#include "messages/http_responder.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace vpnbot {
namespace {

TEST(HttpResponder, FirstAnswerWinsAcrossCopies) {
  std::vector<int> sent;
  http_responder a{[&](http_response r) { sent.push_back(r.status); }};
  auto b = a;
  EXPECT_FALSE(a.answered());
  EXPECT_TRUE(b.send({201, "text/plain", {}, "x"}));
  EXPECT_FALSE(a.send({500, "text/plain", {}, "y"}));
  EXPECT_TRUE(a.answered());
  EXPECT_EQ(sent, std::vector<int>{201});
}

TEST(HttpResponder, DroppedUnansweredGives503) {
  std::vector<http_response> sent;
  {
    http_responder a{[&](http_response r) { sent.push_back(std::move(r)); }};
    auto b = a;
  }
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].status, 503);
  EXPECT_NE(sent[0].body.find("\"error\":\"unavailable\""), std::string::npos);
}

TEST(HttpResponder, AnsweredThenDroppedSendsNothingMore) {
  int calls = 0;
  {
    http_responder a{[&](http_response) { ++calls; }};
    a.send({});
  }
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace vpnbot
