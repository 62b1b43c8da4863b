#pragma once

// Leases for singleton work in a cluster (workers, the Telegram poller): one
// owner at a time; a lease that is not renewed runs out and another node
// takes over.

#include <chrono>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::db {

// Takes or renews the lease; false while another owner holds an unexpired one.
bool try_acquire_lease(pqxx::dbtransaction& tx, const std::string& name, const std::string& owner,
                       std::chrono::seconds ttl);
void release_lease(pqxx::dbtransaction& tx, const std::string& name, const std::string& owner);

}  // namespace vpnbot::db
