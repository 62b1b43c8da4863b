#pragma once

// Giving or taking subscription time. Positive days extend the user's
// newest subscription (from its expiry, or from now if it has passed; the
// panel follows through an extend_client job). A user with no subscription
// gets one of the first paid plan on sale for those days, on the first
// active panel, provisioned like a purchase (subscriptions::provision), so
// the key is delivered when the client exists. Negative days take time
// from the newest subscription (subscriptions::take_time): one that ends
// gets its disable_client job.

#include <cstdint>
#include <pqxx/pqxx>
#include <string>

#include "domain/admin/acting_operator.hpp"
#include "domain/admin/action_result.hpp"

namespace vpnbot::admin {

inline constexpr int max_grant_days = 3650;

struct time_granted {
  int64_t subscription_id = 0;
  std::string expires_at;  // ISO 8601 UTC
  bool created = false;    // a new subscription was provisioned
  bool ended = false;      // time taken ended it
};

// days: non-zero, at most max_grant_days either way.
action_result<time_granted> grant_days(pqxx::dbtransaction& tx, const acting_operator& who,
                                       int64_t telegram_id, int64_t days);

}  // namespace vpnbot::admin
