#pragma once

// Typed database calls for actors. The closure runs inside one transaction
// on a pooled connection and its return value comes back as caf::expected:
//
//   db_request<user_row>(self, wiring.db, "users.upsert", [=](pqxx::transaction_base& tx) {
//     return db::upsert_user_on_start(tx, ...);
//   }, [=](caf::expected<user_row> r) { ... });
//
// The pool comes from its slot (components.hpp) at each call, so a call
// after a restart of the pool reaches the new one. The closure must not
// touch actor state: it runs on the worker's thread.

#include <any>
#include <caf/all.hpp>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "actors/component_slot.hpp"
#include "actors/storage/db_pool.hpp"
#include "adapters/db/db_error.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::storage {

template <class Fn>
db_call make_db_call(std::string name, Fn fn, std::shared_ptr<const db_merge> merge = nullptr) {
  return db_call{std::move(name),
                 [fn = std::move(fn)](pqxx::dbtransaction& tx) -> std::any { return fn(tx); },
                 std::move(merge)};
}

inline caf::error pool_unavailable(const std::string& name) {
  return caf::make_error(db::db_errc::unavailable, name + ": the database pool is not running");
}

// With a merge (messages/storage.hpp), calls of its kind waiting together in
// the pool run as one; fn is how this call runs alone.
template <class T, class Self, class Fn, class Then>
void db_request(Self* self, const slot_ref<db_pool_actor>& db, std::string name, Fn fn,
                std::shared_ptr<const db_merge> merge, caf::timespan timeout, Then then) {
  auto pool = db->get();
  if (!pool) {
    then(caf::expected<T>{pool_unavailable(name)});
    return;
  }
  self->request(pool, timeout, make_db_call(std::move(name), std::move(fn), std::move(merge)))
      .then([then](db_value& v) mutable { then(caf::expected<T>{std::any_cast<T>(v.value)}); },
            [then](caf::error& e) mutable { then(caf::expected<T>{std::move(e)}); });
}

template <class T, class Self, class Fn, class Then>
void db_request(Self* self, const slot_ref<db_pool_actor>& db, std::string name, Fn fn,
                caf::timespan timeout, Then then) {
  db_request<T>(self, db, std::move(name), std::move(fn), nullptr, timeout, std::move(then));
}

// The same from a blocking context (main, tests): waits for the answer.
template <class T, class Fn>
caf::expected<T> db_run(caf::scoped_actor& self, const slot_ref<db_pool_actor>& db,
                        std::string name, Fn fn, caf::timespan timeout) {
  auto pool = db->get();
  if (!pool) return pool_unavailable(name);
  caf::expected<T> result{caf::error{}};
  self->request(pool, timeout, make_db_call(std::move(name), std::move(fn)))
      .receive([&](db_value& v) { result = std::any_cast<T>(v.value); },
               [&](caf::error& e) { result = std::move(e); });
  return result;
}

}  // namespace vpnbot::storage
