#pragma once

// Database work as messages: one db_call is one transaction, run to
// completion on one pooled connection and answered with a db_value. The
// closure shape makes it impossible to hold a connection across anything
// else (an HTTP call, a wait for another actor): it gets the transaction
// only while it runs.
//
// Both types carry closures or type-erased values and never leave the
// process, so they are declared unsafe (local only) message types.

#include <any>
#include <caf/allowed_unsafe_message_type.hpp>
#include <functional>
#include <string>

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

}  // namespace vpnbot

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::db_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(vpnbot::db_value)
