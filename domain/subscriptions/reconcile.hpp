#pragma once

// Reconciliation of one panel with the database: what the panel holds
// against what was sold. Plain functions: reconcile_plan decides, the
// *_tx functions read and apply inside the caller's transaction.
//
// Ownership is strict: a client is ours only when its email is of our
// scheme (tg<user>-<subscription>) AND a subscription holds that email AND
// that subscription's UUID equals the client's. Anything else — manual
// clients, a client under our email with another UUID (someone else's),
// our UUID under another email — is foreign: counted, never touched. So a
// shared client is never deleted, someone else's never expired, and a
// client missing on the panel is re-created only under its stored identity
// (never a second account beside an existing one).
//
//   present in DB, live, missing on panel  → create_client (stored UUID)
//   ours, drifted (enable, expiry, limits) → enable/disable/extend_client
//   ours, nothing sold any more            → quarantined; after `grace`,
//                                            if still so → remove_client
// A subscription with a job still pending is left to that job.

#include <chrono>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "adapters/panel/xui_model.hpp"

namespace vpnbot::activation {

// What the database says one subscription should look like on the panel.
struct expected_client {
  int64_t subscription_id = 0;
  std::string uuid;
  std::string email;
  bool present = false;  // sold (db/subscription_liveness) and assigned here
  bool enabled = false;  // active and not past expiry
  int64_t expiry_ms = 0;
  int64_t total_bytes = 0;
  bool job_pending = false;
  // Assigned to this panel. Jobs go to a subscription's assigned panel, so
  // a copy on another panel cannot be acted on from here: left alone.
  bool assigned_here = true;
};

struct reconcile_plan {
  std::vector<int64_t> create;  // subscription ids
  std::vector<int64_t> enable;
  std::vector<int64_t> disable;
  std::vector<int64_t> extend;
  std::vector<std::pair<std::string, std::string>> quarantine;  // uuid, email: seen first now
  std::vector<int64_t> remove;       // quarantined past grace: subscription ids
  std::vector<std::string> release;  // uuids quarantined but fine again (or gone)
  int ours = 0;
  int foreign = 0;
  bool standby = false;  // another node holds the reconcile lease: nothing planned
  bool refused = false;  // implausible_listing: nothing applied
};

// quarantined: uuid -> when first seen.
reconcile_plan plan_reconcile(
    const std::vector<expected_client>& expected, const std::vector<panel::xui_client>& clients,
    const std::map<std::string, std::chrono::system_clock::time_point>& quarantined,
    std::chrono::system_clock::time_point now, std::chrono::seconds grace);

// A listing that holds none of our clients while more than
// max_blind_recreate sold ones are missing from it is not believed: a panel
// answering with an emptied or wrong inbound (reset, misconfigured, a reply
// cut short) would otherwise have every key created again at once. The run
// is refused and changes nothing; once the listing shows any client of ours
// again, the missing ones are re-created as usual.
inline constexpr std::size_t max_blind_recreate = 10;
bool implausible_listing(const reconcile_plan& plan);

// The subscriptions assigned to the panel, and those whose email the panel
// holds. A job finished after `listed_at` (the real time the listing was
// asked for) counts as pending too: the listing predates its work.
std::vector<expected_client> expected_clients(pqxx::dbtransaction& tx, int64_t panel_id,
                                              const std::vector<std::string>& emails,
                                              std::chrono::system_clock::time_point listed_at);

std::map<std::string, std::chrono::system_clock::time_point> quarantined_clients(
    pqxx::dbtransaction& tx, int64_t panel_id);

// Enqueues the plan's jobs and records the quarantine as first seen at
// `now` (the run's clock, which the grace is measured against); `run` makes
// the job keys of this run unique.
void apply_reconcile(pqxx::dbtransaction& tx, int64_t panel_id, const reconcile_plan& plan,
                     std::chrono::system_clock::time_point now, const std::string& run);

}  // namespace vpnbot::activation
