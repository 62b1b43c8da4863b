#pragma once

// The cluster's facts in PostgreSQL: the leader's lease with its fencing
// token, and every node's heartbeat.

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

// Takes the leader's lease when it is free or ran out, or renews it for
// `node`; returns the term's fencing token, or nullopt while another node
// holds an unexpired lease. The token changes whenever the owner does.
std::optional<int64_t> claim_leadership(pqxx::dbtransaction& tx, const std::string& node,
                                        std::chrono::milliseconds ttl);

// True when `node` holds the unexpired lease of term `token`. The lease row
// stays share-locked until the transaction ends, so no other node can take
// it over meanwhile: a write in this transaction is a leader's write.
bool holds_leadership(pqxx::dbtransaction& tx, const std::string& node, int64_t token);

// Gives the lease up (a node stopping), if `node` still holds it.
void release_leadership(pqxx::dbtransaction& tx, const std::string& node);

struct cluster_node {
  std::string name;
  std::string address;
  bool leader = false;
};

// This node is alive now (its row made or refreshed); rows of nodes silent
// for a day are dropped.
void record_heartbeat(pqxx::dbtransaction& tx, const std::string& node, const std::string& address);

// The nodes whose heartbeat is younger than `within`, by name, the lease
// holder marked.
std::vector<cluster_node> live_nodes(pqxx::dbtransaction& tx, std::chrono::milliseconds within);

}  // namespace vpnbot::db
