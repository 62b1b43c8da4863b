#pragma once

// Runs a statement as a prepared statement of its connection, prepared on
// its first use there: PostgreSQL parses and plans each statement text once
// per pooled connection instead of at every call. The name is derived from
// the text, so a caller only writes the SQL:
//
//   auto r = db::exec_prepared_sql(tx, "SELECT ... WHERE id = $1", id);
//
// Only for fixed texts (a text built from data would prepare a statement per
// value). A failure leaves the transaction as exec_params does: open, the
// server's part aborted (group_commit.hpp rolls back to the call's savepoint).

#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <utility>

namespace vpnbot::db {

// The statement's name on this connection, registered on its first use;
// later uses of the same text are a lookup (libpqxx refuses a different text
// under a name, so a hash collision would be an error, not a wrong query).
inline std::string prepared_name(pqxx::transaction_base& tx, const std::string& sql) {
  static constexpr char digits[] = "0123456789abcdef";
  auto h = std::hash<std::string>{}(sql);
  std::string name = "vq";
  for (int shift = 60; shift >= 0; shift -= 4) name += digits[(h >> shift) & 0xf];
  tx.conn().prepare(name, sql);
  return name;
}

template <class... Args>
pqxx::result exec_prepared_sql(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
  return tx.exec_prepared(prepared_name(tx, sql), std::forward<Args>(args)...);
}

template <class... Args>
pqxx::row exec_prepared_sql1(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
  return tx.exec_prepared1(prepared_name(tx, sql), std::forward<Args>(args)...);
}

}  // namespace vpnbot::db
