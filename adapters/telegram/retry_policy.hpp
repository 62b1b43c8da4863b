#pragma once

// What to do after a Bot API call failed: the rules of the outbox, as a pure
// function of the error and the item's history.

#include <chrono>
#include <string>

#include "adapters/telegram/api_response.hpp"

namespace vpnbot::telegram {

struct retry_settings {
  // An item is given up at its max_failures-th server error or transport
  // failure (so it is sent at most that many times), and at its
  // max_floods-th 429.
  unsigned max_failures = 5;
  unsigned max_floods = 10;
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_cap{30000};
  // For a 429 that names no retry_after (a proxy's, or an emulator's).
  std::chrono::seconds default_retry_after{1};
};

// How often an item has already failed, by cause.
struct attempt_counts {
  unsigned failures = 0;
  unsigned floods = 0;
};

enum class verdict {
  done,         // delivered, or as good as ("message is not modified")
  retry,        // send the same request again after `delay`
  unreachable,  // the chat cannot receive messages: drop it and what is queued for it
  give_up,      // this request will never succeed; drop it
  fatal,        // the bot as a whole is misconfigured (token, URL, second poller)
};

struct decision {
  verdict what = verdict::done;
  std::chrono::milliseconds delay{0};
  bool mark_blocked = false;  // with unreachable: remember the user blocked or left
  std::string reason;
};

// `before` counts the failures prior to this one.
decision decide(const telegram_error& e, attempt_counts before, const retry_settings& s);

}  // namespace vpnbot::telegram
