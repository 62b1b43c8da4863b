#pragma once

// Every provider notification is stored raw before anything else happens
// (audit trail, replay), and the unique (provider, event id) makes a
// redelivered one recognisable.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
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

// A body longer than body_cap is stored cut to its first body_cap bytes;
// body_length and body_sha256 always describe the whole body.
recorded_event record_webhook_event(pqxx::dbtransaction& tx, const std::string& provider,
                                    const std::string& event_id, const std::string& raw_body,
                                    const std::string& headers_json, bool signature_ok,
                                    std::size_t body_cap = std::numeric_limits<std::size_t>::max());

struct stored_event {
  int64_t id = 0;
  std::string provider;
  std::string raw_body;
};

// How verified events whose processing was cut short (a crash, a provider
// call that failed, an event that always fails) are replayed.
struct replay_policy {
  std::chrono::seconds age{5};  // left to the live processing first
  std::chrono::milliseconds backoff_min{std::chrono::seconds(30)};  // doubling per attempt
  std::chrono::milliseconds backoff_max{std::chrono::hours(1)};
  int max_attempts = 8;
  int limit = 50;  // events per claim
};

struct claimed_events {
  std::vector<stored_event> due;   // replay these now: an attempt each, the next one scheduled
  std::vector<stored_event> dead;  // out of attempts: closed with outcome 'dead'
};

// Takes the events due now (oldest due first, SKIP LOCKED: one node each),
// counting an attempt and scheduling the next; events whose last attempt
// did not finish them are closed as dead instead.
claimed_events claim_due_webhook_events(pqxx::dbtransaction& tx, const replay_policy& policy);

// Records the outcome of the event's first processing that got somewhere;
// a later one (a replay that overlapped it) does not overwrite it, except
// `not_final` (a re-read may turn it final) and `dead` (a processing still
// in flight when the event was given up did finish).
void mark_webhook_processed(pqxx::dbtransaction& tx, int64_t id, const std::string& outcome);

}  // namespace vpnbot::db
