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
#include <string>
#include <vector>

namespace pqxx {
class dbtransaction;
}

namespace vpnbot {

struct db_call {
  std::string name;  // for metrics and logs, e.g. "users.upsert"
  std::function<std::any(pqxx::dbtransaction&)> run;
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
