#include "adapters/db/group_commit.hpp"

#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>

#include "adapters/db/db_error.hpp"

namespace vpnbot::db {
namespace {

bool is_conflict(const std::exception& e) {
  auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return sql && (sql->sqlstate() == "40P01" || sql->sqlstate() == "40001");
}

bool lost(const caf::error& e) {
  return e == db_errc::connection_lost;
}

}  // namespace

caf::error classify(const std::exception& e, const std::string& call) {
  auto context = call + ": " + e.what();
  if (dynamic_cast<const pqxx::broken_connection*>(&e))
    return caf::make_error(db_errc::connection_lost, context);
  // The connection broke during COMMIT: the outcome is unknown, so the call
  // must not be run again here; the connection is gone either way.
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e))
    return caf::make_error(db_errc::connection_lost, context);
  if (auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const auto& state = sql->sqlstate();
    if (state == "57014") return caf::make_error(db_errc::timeout, context);
    // Admin shutdown, crash shutdown, cannot connect now, connection failures.
    if (state.rfind("57P", 0) == 0 || state.rfind("08", 0) == 0)
      return caf::make_error(db_errc::connection_lost, context);
    if (state.rfind("23", 0) == 0) return caf::make_error(db_errc::constraint_violation, context);
  }
  return caf::make_error(db_errc::query_failed, context);
}

db_outcome run_alone(pqxx::connection& conn, db_call& call) {
  db_outcome out;
  try {
    pqxx::work tx{conn};
    out.value = call.run(tx);
    tx.commit();
  } catch (const std::exception& e) {
    out.value.reset();
    out.error = classify(e, call.name);
  }
  return out;
}

// Calls that merge (messages/storage.hpp) run as one, at the place of the
// first of them; the others one after another.
static void run_merging(pqxx::dbtransaction& tx, std::vector<db_call>& calls, group_report& r) {
  std::vector<bool> done(calls.size(), false);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (done[i]) continue;
    std::vector<std::size_t> together{i};
    if (const auto& first = calls[i].merge)
      for (std::size_t j = i + 1; j < calls.size(); ++j)
        if (!done[j] && calls[j].merge && first->merges_with(*calls[j].merge))
          together.push_back(j);
    if (together.size() == 1) {
      r.outcomes[i].value = calls[i].run(tx);
      continue;
    }
    std::vector<const db_merge*> merged;
    for (auto k : together) merged.push_back(calls[k].merge.get());
    auto values = calls[i].merge->run_merged(tx, merged);
    if (values.size() != together.size())
      throw std::logic_error(calls[i].name + ": a merged run answered " +
                             std::to_string(values.size()) + " values for " +
                             std::to_string(together.size()) + " calls");
    for (std::size_t n = 0; n < together.size(); ++n) {
      r.outcomes[together[n]].value = std::move(values[n]);
      done[together[n]] = true;
    }
    r.merged += together.size();
  }
}

// The usual case, every call succeeding, costs no savepoint: the calls run
// one after another on one transaction. The first failure of any kind
// rolls it back and the group starts over with savepoints (or, on a lost
// connection, fails); nothing of the first attempt was committed.
static std::optional<group_report> run_group_plain(pqxx::connection& conn,
                                                   std::vector<db_call>& calls) {
  group_report r;
  r.outcomes.resize(calls.size());
  try {
    pqxx::work tx{conn};
    run_merging(tx, calls, r);
    tx.commit();
    ++r.commits;
    return r;
  } catch (const pqxx::in_doubt_error& e) {
    // The COMMIT's outcome is unknown: running the calls again could apply them twice.
    r.merged = 0;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      r.outcomes[i].value.reset();
      r.outcomes[i].error = classify(e, calls[i].name);
    }
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Each call runs on the group's own transaction after a SAVEPOINT of ours
// (libpqxx 6's subtransaction sends its SAVEPOINT only before exec(), not
// before exec_params(), so a call could run outside it). A failed exec()
// makes libpqxx roll the whole transaction back; a failed exec_params()
// leaves it open. The ROLLBACK TO tells which happened: libpqxx refuses it on
// a closed transaction, and then the group is lost and runs again alone.
static group_report run_group_with_savepoints(pqxx::connection& conn, std::vector<db_call>& calls) {
  group_report r;
  r.outcomes.resize(calls.size());
  std::vector<bool> again(calls.size(), false);
  bool group_lost = false;
  try {
    pqxx::work tx{conn};
    for (std::size_t i = 0; i < calls.size() && !group_lost; ++i) {
      tx.exec("SAVEPOINT call");
      try {
        r.outcomes[i].value = calls[i].run(tx);
      } catch (const std::exception& e) {
        r.outcomes[i].value.reset();
        auto error = classify(e, calls[i].name);
        if (lost(error)) throw;
        if (is_conflict(e))
          again[i] = true;
        else
          r.outcomes[i].error = std::move(error);
        try {
          tx.exec("ROLLBACK TO SAVEPOINT call");
        } catch (const pqxx::usage_error&) {
          group_lost = true;
        }
      }
    }
    if (!group_lost) {
      tx.commit();
      ++r.commits;
    }
  } catch (const std::exception& e) {
    auto error = classify(e, "group commit");
    if (lost(error)) {
      for (std::size_t i = 0; i < calls.size(); ++i) {
        r.outcomes[i].value.reset();
        if (!r.outcomes[i].error) r.outcomes[i].error = classify(e, calls[i].name);
      }
      return r;
    }
    group_lost = true;
  }
  // The group's transaction rolled back: every call that did not fail on
  // its own runs again (those after the failure have not run at all).
  if (group_lost)
    for (std::size_t i = 0; i < calls.size(); ++i)
      if (!r.outcomes[i].error) {
        r.outcomes[i].value.reset();
        again[i] = true;
      }
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (!again[i]) continue;
    ++r.reruns;
    r.outcomes[i] = run_alone(conn, calls[i]);
    if (!r.outcomes[i].error) ++r.commits;
    if (lost(r.outcomes[i].error)) {
      for (std::size_t j = i + 1; j < calls.size(); ++j)
        if (again[j])
          r.outcomes[j].error =
              caf::make_error(db_errc::connection_lost, calls[j].name + ": connection lost");
      break;
    }
  }
  return r;
}

group_report run_group(pqxx::connection& conn, std::vector<db_call>& calls) {
  if (calls.size() > 1) {
    if (auto plain = run_group_plain(conn, calls)) return std::move(*plain);
    if (!conn.is_open()) {
      group_report lost_report;
      lost_report.outcomes.resize(calls.size());
      for (std::size_t i = 0; i < calls.size(); ++i)
        lost_report.outcomes[i].error =
            caf::make_error(db_errc::connection_lost, calls[i].name + ": connection lost");
      return lost_report;
    }
  }
  return run_group_with_savepoints(conn, calls);
}

}  // namespace vpnbot::db
