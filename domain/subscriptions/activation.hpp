#pragma once

// Activation jobs as plain functions over transactions; the activation
// worker actor calls the panel between them, never holding a transaction
// across a panel call:
//   1. lease_activation_tasks: jobs leased (SKIP LOCKED) with what the panel
//      call needs; a disable or remove job a renewal has overtaken is done
//      there and then, without a call (job_recheck); a subscription without
//      a panel gets one now, before the first call — the healthy panel with
//      the fewest live subscriptions — so every retry goes to the same panel
//      with the same UUID, email and subId;
//   2. the panel call (activation_worker);
//   3. record_activation_success / record_activation_failure: the job done,
//      or retried with backoff, or dead after max_attempts — then the user
//      is told once that the key is delayed. A created client's link is
//      stored and sent with its QR code (transactional lane).

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/db/jobs_repository.hpp"
#include "adapters/panel/xui_model.hpp"
#include "domain/bot/ui/language.hpp"
#include "domain/subscriptions/job_kind.hpp"

namespace vpnbot::activation {

struct activation_task {
  db::job_row job;
  subscriptions::job_kind kind = subscriptions::job_kind::create_client;
  int64_t subscription_id = 0;
  std::string panel;         // the configured panel's name
  panel::xui_client client;  // as it must be on the panel
  bool raw_link = false;     // the plan's key carries the panel's own vless:// link
  int64_t telegram_id = 0;
  telegram::language lang = telegram::language::en;
  bool blocked = false;
  // Overtaken (job_recheck): already done in the lease's transaction with
  // this note; no panel call.
  std::optional<std::string> skipped;
};

// healthy: the panels whose circuit is not open, in configuration order;
// when none is, the first configured (`fallback`) still gets the client.
std::vector<activation_task> lease_activation_tasks(pqxx::dbtransaction& tx,
                                                    const std::string& owner, int limit,
                                                    std::chrono::seconds lease_for,
                                                    const std::vector<std::string>& healthy,
                                                    const std::string& fallback);

struct recorded {
  bool done = false;  // false: the lease was lost meanwhile
  std::vector<int64_t> outbox_ids;
};

// link: the share link of a created client (nullopt when it could not be built);
// sub_url: the panel's subscription URL for it, when the panel serves one,
// shown next to the link; created: the client as the panel answered a
// create, whose UUID and subId replace the stored ones when the panel
// generated its own (3x-ui 3.1), in this same transaction.
recorded record_activation_success(pqxx::dbtransaction& tx, const activation_task& task,
                                   const std::string& owner, const std::optional<std::string>& link,
                                   const std::optional<std::string>& sub_url,
                                   const std::optional<panel::xui_client>& created = std::nullopt);

struct failure_recorded {
  db::job_fate fate = db::job_fate::retry_scheduled;
  std::vector<int64_t> outbox_ids;
};

failure_recorded record_activation_failure(
    pqxx::dbtransaction& tx, const activation_task& task, const std::string& owner,
    const std::string& error, int max_attempts,
    std::chrono::milliseconds retry_min = std::chrono::seconds(5));

// retry_min after the first failed attempt, doubling, capped at 10 minutes.
std::chrono::milliseconds activation_backoff(int attempts, std::chrono::milliseconds retry_min);

}  // namespace vpnbot::activation
