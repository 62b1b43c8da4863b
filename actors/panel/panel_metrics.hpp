#pragma once

// The panel subsystem's metrics, declared once (docs/METRICS.md, "Panels",
// "Activation", "Reconcile"): the panel actors, the activation worker, the
// reconciler and the traffic meter.

#include "adapters/metrics/family.hpp"

namespace vpnbot::activation {

struct panel_metrics {
  explicit panel_metrics(metrics::registry& r)
      : calls(r, "vpnbot_panel_calls_total", "Panel operations answered",
              {"panel", "operation", "outcome"}),
        call_seconds(r, "vpnbot_panel_call_duration_seconds",
                     "Panel operations from arrival to answer, retries included",
                     {"panel", "operation"}),
        retries(r, "vpnbot_panel_retries_total", "Panel operation attempts after the first",
                {"panel", "operation"}),
        logins(r, "vpnbot_panel_logins_total", "Panel logins", {"panel", "outcome"}),
        relogins(r, "vpnbot_panel_relogins_total",
                 "Logins again after the panel said the session expired", {"panel"}),
        info(r, "vpnbot_panel_info",
             "The client API each panel speaks (1): configured, or probed at login",
             {"panel", "api"}),
        breaker_state(r, "vpnbot_panel_breaker_state",
                      "Circuit breaker per panel: 0 closed, 1 open, 2 half-open", {"panel"}),
        breaker_transitions(r, "vpnbot_panel_breaker_transitions_total", "Breaker state changes",
                            {"panel", "to"}),
        in_flight(r, "vpnbot_panel_in_flight", "Panel operations running", {"panel"}),
        queue_depth(r, "vpnbot_panel_queue_depth", "Panel operations waiting", {"panel"}),
        activation_jobs(r, "vpnbot_activation_jobs_total", "Activation jobs by kind and outcome",
                        {"kind", "outcome"}),
        activation_in_flight(r, "vpnbot_activation_in_flight",
                             "Activation jobs waiting for their panel"),
        reconcile_runs(r, "vpnbot_reconcile_runs_total", "Reconcile runs by panel and outcome",
                       {"panel", "outcome"}),
        reconcile_actions(r, "vpnbot_reconcile_actions_total", "Reconcile actions planned",
                          {"panel", "action"}),
        reconcile_clients(r, "vpnbot_reconcile_clients", "Clients on the panel at the last run",
                          {"panel", "owner"}),
        traffic_readings(r, "vpnbot_traffic_readings_total",
                         "Traffic readings of panels by outcome", {"panel", "outcome"}) {}

  metrics::counter_family calls;
  metrics::histogram_family call_seconds;
  metrics::counter_family retries;
  metrics::counter_family logins;
  metrics::counter_family relogins;
  metrics::gauge_family info;
  metrics::gauge_family breaker_state;
  metrics::counter_family breaker_transitions;
  metrics::gauge_family in_flight;
  metrics::gauge_family queue_depth;
  metrics::counter_family activation_jobs;
  metrics::gauge_family activation_in_flight;
  metrics::counter_family reconcile_runs;
  metrics::counter_family reconcile_actions;
  metrics::gauge_family reconcile_clients;
  metrics::counter_family traffic_readings;
};

}  // namespace vpnbot::activation
