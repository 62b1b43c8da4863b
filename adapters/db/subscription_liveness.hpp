#pragma once

// What a subscription's client should be on its panel, decided from the
// subscription's current state alone — never from the history of its jobs,
// because a user who buys again gets the same subscription (and client)
// back:
//
//   sold     the client belongs on the panel: active, or expired and not
//            yet removed for this expiry (the expiry worker's removal job
//            is keyed `remove_client:<subscription>:<expiry>`, so a renewal,
//            which moves the expiry, makes it sold again);
//   enabled  active and not past its expiry (the database's clock), and
//            its user not banned (an operator's ban turns the client off).
//
// Reconcile plans with these; the activation worker re-checks a disable or
// remove job with them just before it runs.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>

namespace vpnbot::db {

// SQL conditions over a `subscriptions` row aliased `s`.
extern const char* const subscription_sold_sql;
extern const char* const subscription_enabled_sql;

struct subscription_liveness {
  bool sold = false;
  bool enabled = false;
};

std::optional<subscription_liveness> find_subscription_liveness(pqxx::dbtransaction& tx,
                                                                int64_t subscription_id);

}  // namespace vpnbot::db
