#include "domain/payments/refund_request_outcome.hpp"

#include <nlohmann/json.hpp>

#include "adapters/db/audit_repository.hpp"
#include "adapters/db/refund_requests_repository.hpp"
#include "domain/outbox/outbox_writer.hpp"
#include "domain/payments/refund.hpp"

namespace vpnbot::payments {
namespace {

void audit(pqxx::dbtransaction& tx, const db::refund_request_row& r, const std::string& action,
           nlohmann::json details) {
  details["request"] = r.id;
  details["amount_minor"] = r.amount_minor;
  details["currency"] = r.currency;
  details["provider"] = r.provider;
  db::audit(tx, "system", action, "payment:" + r.payment_id, details.dump());
}

}  // namespace

refund_request_outcome record_provider_refund(pqxx::dbtransaction& tx,
                                              const std::string& request_id,
                                              const provider_refund& refund,
                                              const refund_retry_policy& retry,
                                              const telegram::texts& catalog) {
  auto r = db::lock_unsettled_refund_request(tx, request_id);
  if (!r) return {"settled_before", {}};
  switch (refund.status) {
    case provider_refund::state::pending:
      db::defer_refund_request(tx, r->id, refund.refund_id, std::nullopt, retry.first_wait,
                               retry.max_wait);
      return {"pending", {}};
    case provider_refund::state::canceled:
      db::settle_refund_request(tx, r->id, "canceled", refund.refund_id, std::nullopt);
      audit(tx, *r, "refund_canceled", {{"refund", refund.refund_id}});
      return {"canceled", {}};
    case provider_refund::state::succeeded:
      break;
  }
  telegram::outbox_writer out(tx);
  auto taken = take_back(
      tx,
      {r->provider, refund.refund_id, r->payment_id, refund.amount.minor, refund.amount.currency},
      catalog, out);
  switch (taken.result) {
    case refund_result::taken_back:
    case refund_result::already_applied:
      db::settle_refund_request(tx, r->id, "succeeded", refund.refund_id, std::nullopt);
      return {taken.result == refund_result::taken_back ? "refunded" : "already_refunded",
              out.ids()};
    case refund_result::unknown_payment:
    case refund_result::mismatch:
      break;
  }
  // The provider refunded what our records cannot take back (another
  // currency or amount than asked): an operator must look.
  auto error = std::string(name_of(taken.result)) + ": the provider refunded " +
               std::to_string(refund.amount.minor) + " " + refund.amount.currency;
  db::settle_refund_request(tx, r->id, "failed", refund.refund_id, error);
  audit(tx, *r, "refund_mismatch", {{"refund", refund.refund_id}, {"error", error}});
  return {"mismatch", {}};
}

refund_request_outcome record_refund_error(pqxx::dbtransaction& tx, const std::string& request_id,
                                           const std::string& error, bool final_error,
                                           const refund_retry_policy& retry) {
  auto r = db::lock_unsettled_refund_request(tx, request_id);
  if (!r) return {"settled_before", {}};
  if (!final_error) {
    db::defer_refund_request(tx, r->id, std::nullopt, error, retry.first_wait, retry.max_wait);
    return {"retry", {}};
  }
  db::settle_refund_request(tx, r->id, "failed", std::nullopt, error);
  audit(tx, *r, "refund_failed", {{"error", error}});
  return {"failed", {}};
}

}  // namespace vpnbot::payments
