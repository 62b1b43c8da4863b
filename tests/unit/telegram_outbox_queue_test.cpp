#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>

#include "adapters/telegram/outbox_queue.hpp"

namespace vpnbot::telegram {
namespace {

using namespace std::chrono_literals;
using tp = outbox_queue::time_point;
using item = outbox_queue::item;

const tp t0 = tp{} + 1000h;

api_request message_to(std::int64_t chat, std::string tag) {
  api_request r;
  r.method = "sendMessage";
  r.chat_id = chat;
  r.body = std::move(tag);
  return r;
}

api_request callback_answer(std::string tag) {
  api_request r;
  r.method = "answerCallbackQuery";
  r.body = std::move(tag);
  return r;
}

telegram_error error(error_kind k, int code, std::optional<std::chrono::seconds> retry = {}) {
  telegram_error e;
  e.kind = k;
  e.code = code;
  e.retry_after = retry;
  return e;
}

struct sent {
  tp at;
  item it;
};

// Plays the sender: takes whatever is ready, answers at once (success unless
// `respond` returns an error), and sleeps until the queue's wake time.
std::vector<sent> drain(
    outbox_queue& q, tp& now,
    const std::function<std::optional<telegram_error>(const item&)>& respond = {},
    tp until = tp::max()) {
  std::vector<sent> out;
  while (now <= until) {
    auto n = q.next_ready(now);
    if (n.ready) {
      out.push_back({now, *n.ready});
      auto e = respond ? respond(*n.ready) : std::nullopt;
      if (e)
        q.failed(n.ready->id, *e, now);
      else
        q.succeeded(n.ready->id);
      continue;
    }
    if (!n.wake_at) break;
    EXPECT_GT(*n.wake_at, now);
    now = *n.wake_at;
  }
  return out;
}

std::vector<std::string> tags(const std::vector<sent>& s) {
  std::vector<std::string> out;
  for (const auto& x : s) out.push_back(x.it.request.body);
  return out;
}

TEST(TelegramOutboxQueue, HigherLanesGoFirst) {
  outbox_queue q;
  q.push(lane::broadcast, message_to(1, "broadcast"));
  q.push(lane::reminder, message_to(2, "reminder"));
  q.push(lane::interactive, message_to(3, "interactive"));
  q.push(lane::transactional, message_to(4, "transactional"));
  tp now = t0;
  EXPECT_EQ(tags(drain(q, now)),
            (std::vector<std::string>{"transactional", "interactive", "reminder", "broadcast"}));
}

TEST(TelegramOutboxQueue, TransactionalOvertakesABroadcastBacklog) {
  outbox_queue q;
  for (int chat = 1; chat <= 100; ++chat) q.push(lane::broadcast, message_to(chat, "promo"));
  tp now = t0;
  auto first = drain(q, now, {}, t0 + 1s);
  EXPECT_LE(first.size(), 31u);
  q.push(lane::transactional, message_to(500, "key"));
  auto n = q.next_ready(now);
  if (!n.ready) {
    now = *n.wake_at;
    n = q.next_ready(now);
  }
  ASSERT_TRUE(n.ready);
  EXPECT_EQ(n.ready->request.body, "key");
}

TEST(TelegramOutboxQueue, OneChatOneAtATimeInOrder) {
  outbox_queue q;
  auto a = q.push(lane::interactive, message_to(1, "a"));
  q.push(lane::interactive, message_to(1, "b"));
  auto n = q.next_ready(t0);
  ASSERT_TRUE(n.ready);
  EXPECT_EQ(n.ready->id, a);
  // "b" waits for "a" to complete, however much time passes.
  auto later = q.next_ready(t0 + 1h);
  EXPECT_FALSE(later.ready);
  EXPECT_FALSE(later.wake_at);
  EXPECT_EQ(q.in_flight(), 1u);
  q.succeeded(a);
  auto b = q.next_ready(t0 + 1h);
  ASSERT_TRUE(b.ready);
  EXPECT_EQ(b.ready->request.body, "b");
}

TEST(TelegramOutboxQueue, ARetryKeepsItsPlaceInTheChat) {
  outbox_queue q;
  q.push(lane::interactive, message_to(1, "a"));
  q.push(lane::interactive, message_to(1, "b"));
  auto a = q.next_ready(t0).ready.value();
  auto out = q.failed(a.id, error(error_kind::server_error, 502), t0);
  EXPECT_EQ(out.what, verdict::retry);
  EXPECT_EQ(out.retry_at, t0 + 1s);
  auto wait = q.next_ready(t0);
  EXPECT_FALSE(wait.ready);
  EXPECT_EQ(wait.wake_at, t0 + 1s);
  auto again = q.next_ready(t0 + 1s).ready.value();
  EXPECT_EQ(again.id, a.id);
  EXPECT_EQ(again.attempts.failures, 1u);
  q.succeeded(again.id);
  tp now = t0 + 1s;
  EXPECT_EQ(tags(drain(q, now)), (std::vector<std::string>{"b"}));
}

TEST(TelegramOutboxQueue, FailingServerGivesUpAfterTheLimit) {
  outbox_settings s;
  s.retry.max_failures = 3;
  outbox_queue q(s);
  q.push(lane::interactive, message_to(1, "a"));
  tp now = t0;
  auto attempts = drain(q, now, [](const item&) { return error(error_kind::server_error, 500); });
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[1].at - attempts[0].at, 1s);
  EXPECT_EQ(attempts[2].at - attempts[1].at, 2s);
  EXPECT_EQ(q.queued(), 0u);
  EXPECT_EQ(q.in_flight(), 0u);
}

TEST(TelegramOutboxQueue, FloodHoldsOnlyThatChat) {
  outbox_queue q;
  q.push(lane::interactive, message_to(1, "a1"));
  q.push(lane::interactive, message_to(1, "a2"));
  auto a1 = q.next_ready(t0).ready.value();
  auto out = q.failed(a1.id, error(error_kind::flood, 429, 5s), t0);
  EXPECT_EQ(out.what, verdict::retry);
  EXPECT_EQ(out.retry_at, t0 + 5s);
  q.push(lane::interactive, message_to(2, "b"));
  tp now = t0;
  auto s = drain(q, now);
  ASSERT_EQ(tags(s), (std::vector<std::string>{"b", "a1", "a2"}));
  EXPECT_LT(s[0].at, t0 + 1s);
  EXPECT_EQ(s[1].at, t0 + 5s);
  EXPECT_EQ(s[2].at, t0 + 6s);  // refilled from one token, not a burst
  EXPECT_EQ(s[1].it.attempts.floods, 1u);
}

TEST(TelegramOutboxQueue, FloodsFromSeveralChatsHoldEveryone) {
  outbox_queue q;
  for (int chat = 1; chat <= 3; ++chat) q.push(lane::interactive, message_to(chat, "x"));
  tp now = t0;
  for (int i = 0; i < 3; ++i) {
    auto n = q.next_ready(now);
    if (!n.ready) {
      now = *n.wake_at;
      n = q.next_ready(now);
    }
    q.failed(n.ready->id, error(error_kind::flood, 429, 10s), now);
  }
  q.push(lane::transactional, message_to(99, "innocent"));
  auto s = drain(q, now);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0].it.request.body, "innocent");
  EXPECT_GE(s[0].at, t0 + 10s);
}

TEST(TelegramOutboxQueue, BlockedChatIsDroppedWithItsQueue) {
  outbox_queue q;
  q.push(lane::interactive, message_to(1, "a"));
  auto b = q.push(lane::interactive, message_to(1, "b"));
  auto c = q.push(lane::broadcast, message_to(1, "c"));
  q.push(lane::interactive, message_to(2, "other"));
  auto a = q.next_ready(t0).ready.value();
  auto out = q.failed(a.id, error(error_kind::blocked, 403), t0);
  EXPECT_EQ(out.what, verdict::unreachable);
  EXPECT_TRUE(out.mark_blocked);
  std::sort(out.dropped.begin(), out.dropped.end());
  EXPECT_EQ(out.dropped, (std::vector<outbox_queue::item_id>{b, c}));
  tp now = t0;
  EXPECT_EQ(tags(drain(q, now)), (std::vector<std::string>{"other"}));
  EXPECT_EQ(q.queued(), 0u);
}

TEST(TelegramOutboxQueue, QueuedIsCountedByLaneThroughRetriesAndDrops) {
  outbox_queue q;
  q.push(lane::transactional, message_to(1, "key"));
  q.push(lane::interactive, message_to(1, "reply"));
  q.push(lane::broadcast, message_to(1, "news"));
  q.push(lane::reminder, message_to(2, "soon"));
  q.push(lane::interactive, callback_answer("ok"));
  EXPECT_EQ(q.queued(lane::transactional), 1u);
  EXPECT_EQ(q.queued(lane::interactive), 2u);
  EXPECT_EQ(q.queued(lane::reminder), 1u);
  EXPECT_EQ(q.queued(lane::broadcast), 1u);
  EXPECT_EQ(q.queued(), 5u);
  auto answer = q.next_ready(t0).ready.value();  // unmetered first
  EXPECT_EQ(q.queued(lane::interactive), 1u);
  q.failed(answer.id, error(error_kind::server_error, 502), t0);  // back in its lane
  EXPECT_EQ(q.queued(lane::interactive), 2u);
  auto key = q.next_ready(t0).ready.value();
  EXPECT_EQ(key.request.body, "key");
  EXPECT_EQ(q.queued(lane::transactional), 0u);
  q.failed(key.id, error(error_kind::blocked, 403), t0);  // chat 1's rest is dropped
  EXPECT_EQ(q.queued(lane::interactive), 1u);             // the answer's retry
  EXPECT_EQ(q.queued(lane::broadcast), 0u);
  EXPECT_EQ(q.queued(lane::reminder), 1u);
  EXPECT_EQ(q.queued(), 2u);
}

TEST(TelegramOutboxQueue, NotModifiedCountsAsDelivered) {
  outbox_queue q;
  q.push(lane::interactive, message_to(1, "edit"));
  q.push(lane::interactive, message_to(1, "next"));
  auto e = q.next_ready(t0).ready.value();
  EXPECT_EQ(q.failed(e.id, error(error_kind::not_modified, 400), t0).what, verdict::done);
  tp now = t0;
  EXPECT_EQ(tags(drain(q, now)), (std::vector<std::string>{"next"}));
}

TEST(TelegramOutboxQueue, HopelessAndFatalErrorsReleaseTheChat) {
  outbox_queue q;
  q.push(lane::interactive, message_to(1, "bad"));
  q.push(lane::interactive, message_to(1, "fine"));
  auto bad = q.next_ready(t0).ready.value();
  EXPECT_EQ(q.failed(bad.id, error(error_kind::bad_request, 400), t0).what, verdict::give_up);
  auto fine = q.next_ready(t0 + 1s).ready.value();
  EXPECT_EQ(q.failed(fine.id, error(error_kind::unauthorized, 401), t0 + 1s).what, verdict::fatal);
  EXPECT_EQ(q.queued(), 0u);
  EXPECT_EQ(q.failed(fine.id, error(error_kind::bad_request, 400), t0).what, verdict::give_up);
  EXPECT_EQ(q.succeeded(12345).what, verdict::give_up);
}

TEST(TelegramOutboxQueue, AnswersBypassTheLimits) {
  outbox_queue q;
  for (int chat = 1; chat <= 5; ++chat) q.push(lane::transactional, message_to(chat, "m"));
  for (int i = 0; i < 50; ++i) q.push(lane::broadcast, callback_answer("ans" + std::to_string(i)));
  // All 50 answers leave at t0, before the metered messages and in order.
  for (int i = 0; i < 50; ++i) {
    auto n = q.next_ready(t0);
    ASSERT_TRUE(n.ready);
    EXPECT_EQ(n.ready->request.body, "ans" + std::to_string(i));
    q.succeeded(n.ready->id);
  }
  auto first_message = q.next_ready(t0);
  ASSERT_TRUE(first_message.ready);
  EXPECT_EQ(first_message.ready->request.body, "m");
}

TEST(TelegramOutboxQueue, AnswersAreRetriedToo) {
  outbox_queue q;
  q.push(lane::interactive, callback_answer("ans"));
  auto a = q.next_ready(t0).ready.value();
  EXPECT_EQ(q.failed(a.id, error(error_kind::transport, 0), t0).what, verdict::retry);
  auto n = q.next_ready(t0);
  EXPECT_FALSE(n.ready);
  EXPECT_EQ(n.wake_at, t0 + 1s);
  EXPECT_EQ(q.next_ready(t0 + 1s).ready.value().id, a.id);
}

TEST(TelegramOutboxQueue, PushIntoAHigherLaneReordersAWaitingChat) {
  outbox_queue q;
  q.push(lane::broadcast, message_to(1, "promo"));
  q.push(lane::reminder, message_to(2, "reminder"));
  q.push(lane::transactional, message_to(1, "key"));
  tp now = t0;
  EXPECT_EQ(tags(drain(q, now)), (std::vector<std::string>{"key", "reminder", "promo"}));
}

TEST(TelegramOutboxQueue, IdleChatsAreForgotten) {
  outbox_queue q;
  for (int chat = 1; chat <= 50; ++chat) q.push(lane::interactive, message_to(chat, "m"));
  tp now = t0;
  drain(q, now);
  EXPECT_GT(q.tracked_chats(), 0u);
  q.next_ready(now + 10s);
  EXPECT_EQ(q.tracked_chats(), 0u);
}

// Counts, for every send, the sends in the window [t, t + w) that starts there.
std::size_t max_in_window(std::vector<tp> times, std::chrono::nanoseconds w) {
  std::sort(times.begin(), times.end());
  std::size_t best = 0, j = 0;
  for (std::size_t i = 0; i < times.size(); ++i) {
    while (j < times.size() && times[j] < times[i] + w) ++j;
    best = std::max(best, j - i);
  }
  return best;
}

void expect_within_limits(const std::vector<sent>& sends, const outbox_settings& s) {
  std::vector<tp> all;
  std::map<std::int64_t, std::vector<tp>> per_chat;
  for (const auto& x : sends) {
    all.push_back(x.at);
    per_chat[*x.it.request.chat_id].push_back(x.at);
  }
  EXPECT_LE(max_in_window(all, 1s), static_cast<std::size_t>(s.global_rate));
  for (const auto& [chat, times] : per_chat) {
    // A bucket of burst b at rate r admits at most b - 1 + ceil(w * r) in any window w.
    ASSERT_LE(max_in_window(times, 1s), s.chat_burst - 1 + 1u) << "chat " << chat;
    ASSERT_LE(max_in_window(times, 5s), s.chat_burst - 1 + 5u) << "chat " << chat;
  }
}

TEST(TelegramOutboxQueue, ThousandChatsAndAFloodStayWithinEveryLimit) {
  outbox_settings s;
  outbox_queue q(s);
  constexpr std::int64_t flooder = 777000;
  for (int i = 0; i < 10; ++i) q.push(lane::interactive, message_to(flooder, std::to_string(i)));
  for (std::int64_t chat = 1; chat <= 1000; ++chat)
    for (int i = 0; i < 5; ++i) q.push(lane::interactive, message_to(chat, std::to_string(i)));
  tp now = t0;
  auto sends = drain(q, now);
  ASSERT_EQ(sends.size(), 5010u);
  EXPECT_EQ(q.queued(), 0u);
  expect_within_limits(sends, s);

  // Per-chat order, and round robin: every chat's first message leaves
  // before any chat's second, the flooder's included.
  std::map<std::int64_t, int> next_expected;
  tp last_first = t0, first_second = tp::max(), others_done = t0;
  for (const auto& x : sends) {
    auto chat = *x.it.request.chat_id;
    if (chat != flooder) others_done = x.at;
    ASSERT_EQ(x.it.request.body, std::to_string(next_expected[chat]++)) << "chat " << chat;
    if (x.it.request.body == "0") last_first = std::max(last_first, x.at);
    if (x.it.request.body == "1") first_second = std::min(first_second, x.at);
  }
  EXPECT_LT(last_first, first_second);
  // Saturated throughout: 5010 messages at 30/s take about 167 s. Taking
  // turns, the flooder is left with 5 messages at the end, which its own
  // bucket spreads over about 2 s.
  EXPECT_LE(others_done - t0, 5010 * 33333334ns);
  EXPECT_LE(now - others_done, 3s);
}

TEST(TelegramOutboxQueue, LimitsHoldUnderRandomFailures) {
  outbox_settings s;
  outbox_queue q(s);
  for (std::int64_t chat = 1; chat <= 200; ++chat)
    for (int i = 0; i < 5; ++i)
      q.push(static_cast<lane>((chat + i) % lane_count), message_to(chat, std::to_string(i)));
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> roll(0, 99);
  tp now = t0;
  std::map<std::int64_t, std::vector<std::string>> delivered;
  auto sends = drain(q, now, [&](const item& it) -> std::optional<telegram_error> {
    auto r = roll(rng);
    if (r < 5) return error(error_kind::server_error, 502);
    if (r < 7) return error(error_kind::flood, 429, 2s);
    delivered[*it.request.chat_id].push_back(it.request.body);
    return std::nullopt;
  });
  EXPECT_EQ(q.queued(), 0u);
  EXPECT_EQ(q.in_flight(), 0u);
  expect_within_limits(sends, s);
  std::size_t total = 0;
  for (const auto& [chat, bodies] : delivered) total += bodies.size();
  EXPECT_GE(total, 990u);  // a few may exhaust their retries
}

}  // namespace
}  // namespace vpnbot::telegram
