#pragma once

// What the refund_sender records about one operator refund request after
// calling its provider, each in one transaction of its own (never across
// the call):
//   * the provider refunded: the refund is taken back (payments::take_back,
//     under the provider's refund id, so its refund.succeeded notification,
//     before or after, finds it applied) and the request is succeeded;
//   * the refund is pending at the provider: the request stays `sent` with
//     the provider's refund id, read back later (or the notification comes);
//   * the provider canceled it: the request is canceled, the payment is
//     unchanged, and it is audited;
//   * the provider refused it (an error object, any other final status):
//     the request failed with the provider's description, audited;
//   * no answer (timeout, 5xx, 429, a reply we cannot read): the request
//     stays `sent` and is sent again with the same idempotency key after a
//     wait that doubles per attempt.
// A request already settled (another node, a replay) changes nothing.

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/payments/provider.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::payments {

struct refund_retry_policy {
  std::chrono::milliseconds first_wait{std::chrono::seconds(10)};
  std::chrono::milliseconds max_wait{std::chrono::minutes(10)};
};

struct refund_request_outcome {
  // refunded | already_refunded | pending | canceled | failed | retry |
  // mismatch | settled_before
  std::string outcome;
  std::vector<int64_t> outbox_ids;  // the user's message, to kick after commit
};

refund_request_outcome record_provider_refund(pqxx::dbtransaction& tx,
                                              const std::string& request_id,
                                              const provider_refund& refund,
                                              const refund_retry_policy& retry,
                                              const telegram::texts& catalog);

// `final_error`: the provider refused; otherwise the request is retried.
refund_request_outcome record_refund_error(pqxx::dbtransaction& tx, const std::string& request_id,
                                           const std::string& error, bool final_error,
                                           const refund_retry_policy& retry);

}  // namespace vpnbot::payments
