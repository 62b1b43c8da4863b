#pragma once

// Every provider notification is stored raw before anything else happens
// (audit trail, replay), and the unique (provider, event id) makes a
// redelivered one recognisable.

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace vpnbot::db {

struct recorded_event {
  int64_t id = 0;
  bool duplicate = false;
  std::optional<std::string> outcome;  // a duplicate's, once processed
};

recorded_event record_webhook_event(pqxx::dbtransaction& tx, const std::string& provider,
                                    const std::string& event_id, const std::string& raw_body,
                                    const std::string& headers_json, bool signature_ok);

struct stored_event {
  int64_t id = 0;
  std::string provider;
  std::string raw_body;
};

// Verified events not processed yet, received at least `age` ago (their
// processing was cut short by a crash or a provider call that failed).
std::vector<stored_event> unprocessed_webhook_events(pqxx::dbtransaction& tx,
                                                     std::chrono::seconds age, int limit);

void mark_webhook_processed(pqxx::dbtransaction& tx, int64_t id, const std::string& outcome);

}  // namespace vpnbot::db
