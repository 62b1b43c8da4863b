#pragma once

// Database work as messages: one db_call is one transaction (or one
// savepoint of a group commit, adapters/db/group_commit.hpp), run to
// completion on one pooled connection and answered with a db_value. The
// closure shape makes it impossible to hold a connection across anything
// else (an HTTP call, a wait for another actor): it gets the transaction
// only while it runs.
//
// These types carry closures or type-erased values and never leave the
// process, so they are declared unsafe (local only) message types.

#include <any>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/error.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pqxx {
class dbtransaction;
}

namespace vpnbot {

// Calls of one kind that one statement can serve together, e.g. many users'
// next update: a group commit hands the calls whose merges merge_with the
// first one's to that one's run_merged, once for all of them. Each call's
// own run stays the way it runs alone, and when a merged run fails.
struct db_merge {
  virtual ~db_merge() = default;
  virtual bool merges_with(const db_merge& other) const = 0;
  // One value per call, in the order given; `calls` starts with this one.
  virtual std::vector<std::any> run_merged(pqxx::dbtransaction& tx,
                                           const std::vector<const db_merge*>& calls) const = 0;
};

struct db_call {
  std::string name;  // for metrics and logs, e.g. "users.upsert"
  std::function<std::any(pqxx::dbtransaction&)> run;
  std::shared_ptr<const db_merge> merge;  // none: the call never merges
};

struct db_value {
  std::any value;
};

// Group commit: calls the pool found waiting together, run by one worker in
// one transaction, each in a savepoint of its own, and committed at once.
// Each call still gets its own outcome, and only after the commit.
struct db_batch {
  std::vector<db_call> calls;
};

struct db_outcome {
  std::any value;
  caf::error error;  // set: the call failed and changed nothing
};

struct db_batch_result {
  std::vector<db_outcome> outcomes;  // one per call, in the batch's order
};

}  // namespace vpnbot

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::db_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::db_value)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::db_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::db_batch_result)
