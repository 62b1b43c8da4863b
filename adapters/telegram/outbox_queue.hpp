#pragma once

// The outbox's scheduling rules without the actor: which queued Bot API
// request may go out now, and what happens to it after Telegram answered.
//
// * Lanes by priority: transactional > interactive > reminder > broadcast.
// * Requests to one chat leave one at a time: the next is released only
//   after the previous one completed. Within a lane they keep their order (a
//   retry goes first again); a higher lane may overtake a lower one.
// * Rate limits: a global token bucket and one per chat. Requests without a
//   chat (callback and pre-checkout answers) are not messages: they bypass
//   the buckets and leave at once, in arrival order.
// * Fairness: within a lane, chats take turns (round robin), so one chat with
//   many queued messages delays each other chat by at most one of them.
// * After a 429 the chat is held for retry_after; when several chats flood
//   within a short window the whole bot is held, since that is the global
//   limit speaking.
//
// Time is a parameter everywhere; nothing here reads a clock.

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/telegram/api_response.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "adapters/telegram/retry_policy.hpp"
#include "adapters/telegram/token_bucket.hpp"

namespace vpnbot::telegram {

enum class lane : std::uint8_t { transactional = 0, interactive = 1, reminder = 2, broadcast = 3 };
inline constexpr std::size_t lane_count = 4;

struct outbox_settings {
  double global_rate = 30;  // messages per second across all chats
  unsigned global_burst = 1;
  double chat_rate = 1;  // messages per second to one chat
  unsigned chat_burst = 3;
  retry_settings retry;
  // 429s for this many distinct chats within flood_window hold every chat.
  unsigned flood_chats_for_global_hold = 3;
  std::chrono::milliseconds flood_window{1000};
};

class outbox_queue {
 public:
  using time_point = token_bucket::time_point;
  using item_id = std::uint64_t;

  struct item {
    item_id id = 0;
    enum lane lane = lane::interactive;
    api_request request;
    attempt_counts attempts;
  };

  // Either an item to send now, or the time to ask again (earlier if
  // something is pushed), or neither: the queue is empty.
  struct next {
    std::optional<item> ready;
    std::optional<time_point> wake_at;
  };

  struct outcome {
    verdict what = verdict::done;
    std::optional<time_point> retry_at;  // with retry
    bool mark_blocked = false;           // with unreachable
    std::vector<item_id> dropped;        // other items of an unreachable chat, now gone
    std::string reason;
  };

  explicit outbox_queue(outbox_settings s = {});

  item_id push(lane l, api_request request);
  next next_ready(time_point now);

  // Report how a released item fared. Unknown ids (already completed) yield
  // a give_up outcome and change nothing.
  outcome succeeded(item_id id);
  outcome failed(item_id id, const telegram_error& e, time_point now);

  std::size_t queued() const;
  std::size_t queued(lane l) const { return queued_[static_cast<std::size_t>(l)]; }
  std::size_t in_flight() const { return in_flight_.size(); }
  // Chats whose state is kept: with work, or with a bucket not yet full.
  std::size_t tracked_chats() const { return chats_.size(); }

 private:
  enum class place { nowhere, ready, timed };
  struct chat_state {
    explicit chat_state(const outbox_settings& s) : bucket(s.chat_rate, s.chat_burst) {}
    token_bucket bucket;
    std::array<std::deque<item>, lane_count> pending;
    bool busy = false;  // an item of this chat is in flight
    place at = place::nowhere;
    std::uint64_t ticket = 0;  // matches the one live entry in ready_/timed_/idle_
  };
  struct ready_entry {
    std::int64_t chat;
    std::uint64_t ticket;
  };
  struct timed_entry {
    time_point when;
    std::int64_t chat;
    std::uint64_t ticket;
    bool operator>(const timed_entry& o) const { return when > o.when; }
  };
  using timed_heap =
      std::priority_queue<timed_entry, std::vector<timed_entry>, std::greater<timed_entry>>;

  static std::optional<std::size_t> top_lane(const chat_state& c);
  chat_state* live(std::int64_t chat, std::uint64_t ticket);
  void make_ready(std::int64_t chat, chat_state& c);
  void make_timed(std::int64_t chat, chat_state& c, time_point when);
  void make_idle(std::int64_t chat, chat_state& c);
  void release(std::int64_t chat, chat_state& c);
  void wake(time_point now);
  std::optional<time_point> earliest_wake();
  void note_flood(std::int64_t chat, time_point now, time_point until);

  outbox_settings settings_;
  token_bucket global_;
  std::unordered_map<std::int64_t, chat_state> chats_;
  std::array<std::deque<ready_entry>, lane_count> ready_;
  std::size_t ready_count_ = 0;  // live entries in ready_
  timed_heap timed_;             // chats with work, waiting for their bucket
  timed_heap idle_;              // chats without work, kept until their bucket is full
  std::deque<item> unmetered_;
  std::multimap<time_point, item> unmetered_later_;  // retries of unmetered items
  std::unordered_map<item_id, item> in_flight_;
  std::deque<std::pair<time_point, std::int64_t>> recent_floods_;
  std::array<std::size_t, lane_count> queued_{};  // by lane
  item_id next_id_ = 1;
  std::uint64_t next_ticket_ = 1;  // global, so a re-created chat never matches old entries
};

}  // namespace vpnbot::telegram
