#pragma once

// What the workers tell users: a message queued in the worker's transaction,
// claimed once per dedupe key in `notifications`, so it is sent exactly once
// across restarts, renewals and repeated iterations.

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "adapters/telegram/inline_keyboard.hpp"
#include "domain/bot/ui/texts.hpp"
#include "domain/outbox/outbox_writer.hpp"

namespace vpnbot::workers {

struct notice_context {
  const telegram::texts* catalog = &telegram::texts::builtin();
  unsigned batch = 200;  // rows one iteration takes at most
};

// A subscription with what the notices need to say about it.
struct subscription_view {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t telegram_id = 0;
  telegram::language lang = telegram::language::en;
  std::string kind;
  std::string plan_title;
  int plan_days = 0;
  int64_t plan_id = 0;
  std::string expires_at;     // ISO 8601 UTC
  int64_t expires_epoch = 0;  // seconds, part of dedupe keys
  bool blocked = false;
};

// "SELECT <subscription_view_columns> FROM subscriptions s JOIN users u ... JOIN plans p ..."
extern const char* const subscription_view_select;
subscription_view to_view(const pqxx::row& r);

// Claims `dedupe_key` and queues the message; false when it was claimed
// before (or the user blocked the bot: claimed, not sent).
bool notify_once(pqxx::dbtransaction& tx, telegram::outbox_writer& out, const subscription_view& s,
                 const std::string& kind, const std::string& dedupe_key, const std::string& text,
                 std::optional<telegram::inline_keyboard> keyboard, telegram::lane lane);

}  // namespace vpnbot::workers
