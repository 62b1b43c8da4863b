#include "adapters/db/leases_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {

bool try_acquire_lease(pqxx::dbtransaction& tx, const std::string& name, const std::string& owner,
                       std::chrono::seconds ttl) {
  return !db::exec_prepared_sql(tx,
                                "INSERT INTO leases (name, owner, expires_at)"
                                " VALUES ($1, $2, now() + make_interval(secs => $3))"
                                " ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner,"
                                " expires_at = EXCLUDED.expires_at"
                                " WHERE leases.owner = EXCLUDED.owner OR leases.expires_at <= now()"
                                " RETURNING name",
                                name, owner, static_cast<double>(ttl.count()))
              .empty();
}

void release_lease(pqxx::dbtransaction& tx, const std::string& name, const std::string& owner) {
  db::exec_prepared_sql(tx, "DELETE FROM leases WHERE name = $1 AND owner = $2", name, owner);
}

}  // namespace vpnbot::db
