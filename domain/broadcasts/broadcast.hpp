#pragma once

// A broadcast as the operator describes it and as its progress reads: the
// values the domain functions (broadcast_control.hpp) take and return, and
// that an HTTP handler turns into JSON (broadcast_json.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::broadcasts {

// Who receives it. Users who blocked the bot or are banned never do.
enum class segment {
  all,
  active_paid,  // a paid subscription active now
  trial,        // an active trial and no active paid subscription
  expired,      // subscriptions, none active now
  never_paid,   // no succeeded payment
  language      // the users of one language (broadcast_spec::language)
};

std::string_view to_string(segment s);
std::optional<segment> segment_from(std::string_view name);

enum class run_state { running, paused, cancelled, done };

std::string_view to_string(run_state s);
std::optional<run_state> run_state_from(std::string_view name);

// An optional button under the message: a link, or one that opens the menu.
struct broadcast_button {
  std::string text;
  std::optional<std::string> url;  // nullopt: opens the main menu
};

// Every member has an initializer, so a caller names only what it sets.
struct broadcast_spec {
  std::string text{};  // HTML, 1-4096 characters
  std::optional<broadcast_button> button{};
  enum segment segment = segment::all;
  std::optional<std::string> language{};  // with segment::language: "en" or "ru"
  // Telegram's paid broadcast (allow_paid_broadcast): up to
  // telegram.paid_broadcast_rate messages/s, 0.1 Star per message above the
  // free 30/s, paid from the bot's Stars balance.
  bool paid = false;
  std::optional<int64_t> created_by{};  // the admin's Telegram id
};

struct created {
  int64_t id = 0;
  int64_t total = 0;  // recipients materialised
};

struct progress {
  int64_t id = 0;
  run_state state = run_state::running;
  int64_t total = 0;
  int64_t sent = 0;
  int64_t failed = 0;
  int64_t blocked = 0;
  // Requests on the wire at a crash: maybe delivered, never sent again.
  int64_t in_doubt = 0;
  int64_t cancelled = 0;  // left unsent by a cancel
  int64_t left = 0;       // not sent yet: pending or handed to the outbox
};

}  // namespace vpnbot::broadcasts
