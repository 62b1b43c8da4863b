#pragma once

// A broadcast's life as plain functions over one transaction, the same for
// the bot's admin screens and the HTTP API (a handler only maps JSON and
// the refusal's kind to a status):
//
//   POST /api/v1/broadcasts            create(tx, spec)   → created {id, total}
//   GET  /api/v1/broadcasts/{id}       progress_of(tx, id)
//   POST /api/v1/broadcasts/{id}/pause|resume|cancel      → progress
//
// create materialises the recipients (one row each) in the caller's
// transaction; the broadcaster actor then streams them through the outbox.
// Pause stops claiming, resume goes on, cancel leaves the pending rest
// unsent (what was already handed to the outbox, at most one window, still
// goes out).

#include <cstdint>
#include <pqxx/pqxx>
#include <string>

#include "adapters/telegram/result.hpp"
#include "domain/broadcasts/broadcast.hpp"

namespace vpnbot::broadcasts {

struct refusal {
  enum class kind { invalid, not_found, conflict } what = kind::invalid;
  std::string field;  // with invalid: the request's field at fault
  std::string message;

  static refusal invalid_field(std::string field, std::string message) {
    return {kind::invalid, std::move(field), std::move(message)};
  }
};

template <class T>
using outcome = telegram::result<T, refusal>;

outcome<created> create(pqxx::dbtransaction& tx, const broadcast_spec& spec);
outcome<progress> progress_of(pqxx::dbtransaction& tx, int64_t id);

// Each is idempotent on its own target state (pausing a paused broadcast
// is no change); a finished one (done, cancelled) is a conflict.
outcome<progress> pause(pqxx::dbtransaction& tx, int64_t id);
outcome<progress> resume(pqxx::dbtransaction& tx, int64_t id);
outcome<progress> cancel(pqxx::dbtransaction& tx, int64_t id);

}  // namespace vpnbot::broadcasts
