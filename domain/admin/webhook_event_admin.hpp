#pragma once

// Stored provider notifications for an operator: a list (all, dead ones,
// or those still waiting for processing) and the replay of a dead one. A
// replay opens the event again with its attempts reset, so the payment
// webhooks' replay loop processes it like a fresh delivery (the finalizer
// and the refund path are idempotent, so a replay grants nothing twice).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "domain/admin/acting_operator.hpp"
#include "domain/admin/action_result.hpp"

namespace vpnbot::admin {

// status: nullopt (all), "dead", "pending" (verified, not processed) or
// "processed"; anything else is bad_input naming `status`. Newest first.
action_result<nlohmann::json> list_webhook_events(pqxx::dbtransaction& tx,
                                                  const std::optional<std::string>& status,
                                                  int limit = 100);

struct event_reopened {
  int64_t id = 0;
  std::string provider;
};

// Only a dead event is replayed; another is a conflict.
action_result<event_reopened> replay_webhook_event(pqxx::dbtransaction& tx,
                                                   const acting_operator& who, int64_t id);

}  // namespace vpnbot::admin
