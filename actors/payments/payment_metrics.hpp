#pragma once

// The payments subsystem's metrics, declared once (docs/METRICS.md,
// "Payments"): invoices issued, notifications received, the watcher's
// findings, operators' refunds sent; every series is labelled with the provider.

#include "adapters/metrics/family.hpp"

namespace vpnbot::payments {

struct payment_metrics {
  explicit payment_metrics(metrics::registry& r)
      : invoices(r, "vpnbot_payment_invoices_total", "Invoices issued by provider and outcome",
                 {"provider", "outcome"}),
        webhooks(r, "vpnbot_payment_webhooks_total", "Payment notifications by outcome",
                 {"provider", "outcome"}),
        watcher_checks(r, "vpnbot_payment_watcher_checks_total", "Invoices checked by the watcher",
                       {"provider", "outcome"}),
        refunds(r, "vpnbot_payment_refunds_total",
                "Operator refund requests sent to their provider, by outcome",
                {"provider", "outcome"}) {}

  metrics::counter_family invoices;
  metrics::counter_family webhooks;
  metrics::counter_family watcher_checks;
  metrics::counter_family refunds;
};

}  // namespace vpnbot::payments
