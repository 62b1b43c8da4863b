#include <gtest/gtest.h>

#include "adapters/telegram/retry_policy.hpp"

namespace vpnbot::telegram {
namespace {

using namespace std::chrono_literals;

telegram_error err(error_kind k, int code = 400) {
  telegram_error e;
  e.kind = k;
  e.code = code;
  return e;
}

TEST(TelegramRetryPolicy, FloodWaitsRetryAfter) {
  auto e = err(error_kind::flood, 429);
  e.retry_after = 7s;
  auto d = decide(e, {}, {});
  EXPECT_EQ(d.what, verdict::retry);
  EXPECT_EQ(d.delay, 7s);
  e.retry_after.reset();
  EXPECT_EQ(decide(e, {}, {}).delay, 1s);  // the configured default
  // Floods do not use up the failure budget, but they are bounded too.
  EXPECT_EQ(decide(e, {4, 8}, {}).what, verdict::retry);
  EXPECT_EQ(decide(e, {0, 9}, {}).what, verdict::give_up);
}

TEST(TelegramRetryPolicy, ServerErrorsBackOffExponentiallyThenGiveUp) {
  retry_settings s;
  s.max_failures = 5;
  s.backoff_base = 500ms;
  s.backoff_cap = 3s;
  for (auto kind : {error_kind::server_error, error_kind::transport}) {
    EXPECT_EQ(decide(err(kind, 502), {0, 0}, s).delay, 500ms);
    EXPECT_EQ(decide(err(kind, 502), {1, 0}, s).delay, 1000ms);
    EXPECT_EQ(decide(err(kind, 502), {2, 0}, s).delay, 2000ms);
    EXPECT_EQ(decide(err(kind, 502), {3, 0}, s).delay, 3000ms);  // capped
    EXPECT_EQ(decide(err(kind, 502), {3, 5}, s).what, verdict::retry);
    auto last = decide(err(kind, 502), {4, 0}, s);
    EXPECT_EQ(last.what, verdict::give_up);  // the fifth failure ends it
    EXPECT_NE(last.reason.find("failed 5 times"), std::string::npos);
  }
  EXPECT_EQ(decide(err(error_kind::server_error), {60, 0}, {}).what, verdict::give_up);
}

TEST(TelegramRetryPolicy, BlockedUsersAreUnreachableAndMarked) {
  for (auto kind : {error_kind::blocked, error_kind::deactivated}) {
    auto d = decide(err(kind, 403), {}, {});
    EXPECT_EQ(d.what, verdict::unreachable);
    EXPECT_TRUE(d.mark_blocked);
  }
  auto other = decide(err(error_kind::forbidden, 403), {}, {});
  EXPECT_EQ(other.what, verdict::unreachable);
  EXPECT_FALSE(other.mark_blocked);
}

TEST(TelegramRetryPolicy, NotModifiedIsSuccess) {
  EXPECT_EQ(decide(err(error_kind::not_modified), {}, {}).what, verdict::done);
}

TEST(TelegramRetryPolicy, HopelessRequestsAreGivenUp) {
  for (auto kind : {error_kind::bad_request, error_kind::query_too_old, error_kind::chat_migrated})
    EXPECT_EQ(decide(err(kind), {}, {}).what, verdict::give_up) << to_string(kind);
}

TEST(TelegramRetryPolicy, MisconfigurationIsFatal) {
  for (auto kind : {error_kind::unauthorized, error_kind::not_found, error_kind::conflict_webhook,
                    error_kind::conflict_other_poller})
    EXPECT_EQ(decide(err(kind), {}, {}).what, verdict::fatal) << to_string(kind);
}

TEST(TelegramRetryPolicy, ReasonNamesKindCodeAndDescription) {
  auto e = err(error_kind::bad_request, 400);
  e.description = "Bad Request: chat not found";
  EXPECT_EQ(decide(e, {}, {}).reason, "bad_request 400: Bad Request: chat not found");
}

}  // namespace
}  // namespace vpnbot::telegram
