#pragma once

// Operator refunds made at the provider (0017_provider_refunds.sql): the
// admin call records a request; the refund_sender leases due requests
// (FOR UPDATE SKIP LOCKED, so two nodes never send one at once), sends them
// outside any transaction and records what the provider answered.

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

// The channel a new request is announced on (NOTIFY at its commit).
inline constexpr const char* refund_requests_channel = "vpnbot_refund_requests";

struct new_refund_request {
  std::string payment_id;
  int64_t amount_minor = 0;
  std::string currency;
  std::string operator_kind;  // api | admin
  std::optional<int64_t> operator_id;
};

struct refund_request_row {
  std::string id;  // also the Idempotence-Key
  std::string payment_id;
  std::string provider;             // the payment's
  std::string provider_payment_id;  // the payment's id at the provider
  int64_t amount_minor = 0;
  std::string currency;
  std::string status;
  std::optional<std::string> provider_refund_id;
  int attempts = 0;
  std::optional<std::string> last_error;
};

// Inserts the request and notifies refund_requests_channel; returns it.
refund_request_row insert_refund_request(pqxx::dbtransaction& tx, const new_refund_request& r);

// What the payment's unsettled requests ask for, less what of them is
// already taken back (a refund notification may come before the sender
// records the provider's answer).
int64_t unsettled_refund_amount(pqxx::dbtransaction& tx, const std::string& payment_id);

// Leases up to `limit` due unsettled requests for `lease` and counts an
// attempt on each.
std::vector<refund_request_row> lease_due_refund_requests(pqxx::dbtransaction& tx, int limit,
                                                          std::chrono::seconds lease);

// The request, locked for this transaction; nullopt when it is settled.
std::optional<refund_request_row> lock_unsettled_refund_request(pqxx::dbtransaction& tx,
                                                                const std::string& id);

// Settles the request: succeeded, canceled or failed.
void settle_refund_request(pqxx::dbtransaction& tx, const std::string& id,
                           const std::string& status,
                           const std::optional<std::string>& provider_refund_id,
                           const std::optional<std::string>& error);

// Leaves the request unsettled as `sent`, due again after `wait` doubled per
// attempt made (at most `max_wait`); records the provider's refund id once
// known and the error, if any.
void defer_refund_request(pqxx::dbtransaction& tx, const std::string& id,
                          const std::optional<std::string>& provider_refund_id,
                          const std::optional<std::string>& error, std::chrono::milliseconds wait,
                          std::chrono::milliseconds max_wait);

}  // namespace vpnbot::db
