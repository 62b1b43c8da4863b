#pragma once

// Running db_calls on one connection: alone (one transaction each) or as a
// group commit (one transaction, one COMMIT).
//
// A group first runs its calls plainly, one after another. Should any of
// them fail, that attempt is rolled back and the group runs again with a
// savepoint before each call: a call that fails is rolled back to its
// savepoint and fails alone; the others go on. So the savepoints' round
// trips are paid only by a group that had a failure. Two failures are not the call's own doing and
// it runs again alone after the group: a deadlock or serialization conflict (holding the group's
// locks longer makes them likelier than alone), and a COMMIT that fails (a deferred constraint, the
// server's refusal), which rolled back every call of the group — then each call that had not failed
// runs again alone. Either way a call's effects are committed at most once
// and its outcome is what a transaction of its own would have given. A lost
// connection fails every call not yet committed with connection_lost.
//
// In the first, plain attempt, calls that merge (db_merge) run as one; the
// attempt with savepoints runs each call by itself.

#include <caf/error.hpp>
#include <exception>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "messages/storage.hpp"

namespace vpnbot::db {

// Maps what libpqxx threw to the error callers see; connection_lost means
// the connection must be dropped.
caf::error classify(const std::exception& e, const std::string& call);

// One transaction for one call.
db_outcome run_alone(pqxx::connection& conn, db_call& call);

struct group_report {
  std::vector<db_outcome> outcomes;  // one per call, in order
  std::size_t commits = 0;           // transactions committed (the group's and the reruns')
  std::size_t reruns = 0;            // calls run again alone
  std::size_t merged = 0;            // calls answered by a merged run
};

group_report run_group(pqxx::connection& conn, std::vector<db_call>& calls);

}  // namespace vpnbot::db
