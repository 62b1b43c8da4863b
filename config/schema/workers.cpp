// The [workers] keys: the background workers of subscriptions and panels.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_workers_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back(duration_key("workers", "interval", "pause between iterations of each worker",
                           &settings::workers, &workers_settings::interval, 10ms));
  k.push_back(uint_key("workers", "batch", "rows one worker iteration handles at most",
                       &settings::workers, &workers_settings::batch, 1, 100000));
  k.push_back(duration_key("workers", "traffic_interval",
                           "how often the panels' traffic counters are read for My "
                           "subscriptions",
                           &settings::workers, &workers_settings::traffic_interval, 10ms));
  k.push_back(duration_key("workers", "budget",
                           "time one worker iteration may take; longer fails it (and the "
                           "supervisor restarts the worker)",
                           &settings::workers, &workers_settings::budget, 10ms));
  k.push_back({"workers", "reminder_offsets",
               "reminders before a paid subscription ends, e.g. \"3d,1d\"",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 std::vector<duration> offsets;
                 for (const auto& item : comma_list(v)) {
                   auto d = parse_duration(item);
                   if (!d || d->count() <= 0) return "expected durations such as \"3d,1d\"";
                   offsets.push_back(*d);
                 }
                 s.workers.reminder_offsets = offsets;
                 return std::nullopt;
               },
               [](const settings& s) {
                 std::string out;
                 for (auto d : s.workers.reminder_offsets)
                   out += (out.empty() ? "" : ",") + print_duration(d);
                 return out;
               }});
  k.push_back(duration_key("workers", "trial_notice_before",
                           "how long before its end a trial gets its notice", &settings::workers,
                           &workers_settings::trial_notice_before, 1000ms));
  k.push_back(duration_key("workers", "renewal_window",
                           "auto-renewal from the balance starts this long before the end",
                           &settings::workers, &workers_settings::renewal_window, 1000ms));
  k.push_back(duration_key("workers", "retention",
                           "an expired subscription's client is removed from the panel after this",
                           &settings::workers, &workers_settings::retention, 1000ms));
  k.push_back(duration_key("workers", "reconcile_interval",
                           "how often each panel is reconciled with the database",
                           &settings::workers, &workers_settings::reconcile_interval, 10ms));
  k.push_back(duration_key("workers", "reconcile_grace",
                           "how long a client nothing sold is quarantined before removal",
                           &settings::workers, &workers_settings::reconcile_grace, 0ms));
  k.push_back(bool_key("workers", "reconcile_dry_run",
                       "reconcile logs its plan and changes nothing", &settings::workers,
                       &workers_settings::reconcile_dry_run));
  k.push_back(duration_key("workers", "keep_history",
                           "how long handled updates and finished outbox rows are kept",
                           &settings::workers, &workers_settings::keep_history, 1s));
  k.push_back(duration_key("workers", "keep_unverified_webhooks",
                           "how long payment notifications that failed their check are kept",
                           &settings::workers, &workers_settings::keep_unverified_webhooks, 1s));
  k.push_back(duration_key("workers", "session_ttl",
                           "idle conversations older than this start again at the menu",
                           &settings::workers, &workers_settings::session_ttl, 1s));
}

}  // namespace vpnbot::config
