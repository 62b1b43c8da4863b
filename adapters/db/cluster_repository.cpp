#include "adapters/db/cluster_repository.hpp"

#include "adapters/db/prepared.hpp"

namespace vpnbot::db {
namespace {

double seconds(std::chrono::milliseconds d) {
  return static_cast<double>(d.count()) / 1000.0;
}

}  // namespace

std::optional<int64_t> claim_leadership(pqxx::dbtransaction& tx, const std::string& node,
                                        std::chrono::milliseconds ttl) {
  // A renewal keeps the token; a takeover (or the first claim) draws one.
  auto r = exec_prepared_sql(
      tx,
      "INSERT INTO leases (name, owner, expires_at, token)"
      " VALUES ('leader', $1, now() + make_interval(secs => $2), nextval('lease_tokens'))"
      " ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner,"
      " expires_at = EXCLUDED.expires_at,"
      " token = CASE WHEN leases.owner = EXCLUDED.owner THEN leases.token"
      " ELSE EXCLUDED.token END"
      " WHERE leases.owner = EXCLUDED.owner OR leases.expires_at <= now()"
      " RETURNING token",
      node, seconds(ttl));
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

bool holds_leadership(pqxx::dbtransaction& tx, const std::string& node, int64_t token) {
  return !exec_prepared_sql(tx,
                            "SELECT 1 FROM leases WHERE name = 'leader' AND owner = $1"
                            " AND token = $2 AND expires_at > now() FOR SHARE",
                            node, token)
              .empty();
}

void release_leadership(pqxx::dbtransaction& tx, const std::string& node) {
  exec_prepared_sql(tx, "DELETE FROM leases WHERE name = 'leader' AND owner = $1", node);
}

void record_heartbeat(pqxx::dbtransaction& tx, const std::string& node,
                      const std::string& address) {
  exec_prepared_sql(tx,
                    "INSERT INTO cluster_nodes (name, address) VALUES ($1, $2)"
                    " ON CONFLICT (name) DO UPDATE SET address = EXCLUDED.address,"
                    " heartbeat_at = now()",
                    node, address);
  exec_prepared_sql(tx, "DELETE FROM cluster_nodes WHERE heartbeat_at < now() - interval '1 day'");
}

std::vector<cluster_node> live_nodes(pqxx::dbtransaction& tx, std::chrono::milliseconds within) {
  std::vector<cluster_node> out;
  for (const auto& row : exec_prepared_sql(
           tx,
           "SELECT n.name, n.address, l.owner IS NOT NULL FROM cluster_nodes n"
           " LEFT JOIN leases l ON l.name = 'leader' AND l.owner = n.name AND l.expires_at > now()"
           " WHERE n.heartbeat_at > now() - make_interval(secs => $1) ORDER BY n.name",
           seconds(within)))
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<bool>()});
  return out;
}

}  // namespace vpnbot::db
