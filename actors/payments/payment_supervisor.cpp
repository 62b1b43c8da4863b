#include "actors/payments/payment_supervisor.hpp"

#include <caf/local_actor.hpp>

#include "actors/cluster/leader_gate.hpp"
#include "actors/http_client.hpp"
#include "actors/panel/job_listener.hpp"
#include "actors/payments/invoice_issuer.hpp"
#include "actors/payments/invoice_watcher.hpp"
#include "actors/payments/payment_webhooks.hpp"
#include "actors/payments/refund_sender.hpp"
#include "actors/supervisor.hpp"
#include "adapters/db/refund_requests_repository.hpp"

namespace vpnbot::payments {

supervision::child_spec payments_child(const config::settings& settings, std::string database_url,
                                       const components& wiring, metrics::registry& registry) {
  using std::chrono::duration_cast;
  using ms = std::chrono::milliseconds;
  supervision::supervisor_spec spec;
  spec.name = "payments";
  spec.restart_strategy = supervision::strategy::rest_for_one;
  spec.limits = settings.supervision;
  auto http = make_slot<http_client_actor>();
  spec.children.push_back(http_client_child(settings.http_client, http, registry));
  auto providers = providers_from(settings);
  finalizer_context ctx;
  ctx.referral_bonus = static_cast<int64_t>(settings.bot.referral_bonus);
  auto timeout = duration_cast<ms>(settings.payments.call_timeout);

  invoice_issuer_config issuer{
      providers, http,      duration_cast<ms>(settings.payments.issue_interval),
      timeout,   &registry, wiring};
  supervision::child_spec issuer_spec;
  issuer_spec.name = "invoice_issuer";
  issuer_spec.start = [issuer](caf::local_actor* sup) {
    return spawn_invoice_issuer(sup->system(), issuer);
  };
  spec.children.push_back(cluster::leader_only(std::move(issuer_spec), wiring));

  payment_webhooks_config hooks{providers,
                                http,
                                ctx,
                                timeout,
                                duration_cast<ms>(settings.payments.replay_interval),
                                static_cast<int>(settings.payments.replay_attempts),
                                settings.payments.webhook_failures_per_minute,
                                &registry,
                                wiring};
  supervision::child_spec hooks_spec;
  hooks_spec.name = "webhooks";
  hooks_spec.start = [hooks](caf::local_actor* sup) {
    return spawn_payment_webhooks(sup->system(), hooks);
  };
  spec.children.push_back(std::move(hooks_spec));

  invoice_watcher_config watcher{providers,
                                 http,
                                 ctx,
                                 duration_cast<ms>(settings.payments.watch_interval),
                                 duration_cast<std::chrono::seconds>(settings.payments.watch_after),
                                 settings.payments.late_lookup_days,
                                 duration_cast<ms>(settings.payments.late_lookup_interval),
                                 timeout,
                                 &registry,
                                 wiring};
  supervision::child_spec watcher_spec;
  watcher_spec.name = "invoice_watcher";
  watcher_spec.start = [watcher](caf::local_actor* sup) {
    return spawn_invoice_watcher(sup->system(), watcher);
  };
  spec.children.push_back(cluster::leader_only(std::move(watcher_spec), wiring));

  refund_sender_config refunds{providers,
                               http,
                               duration_cast<ms>(settings.payments.refund_interval),
                               timeout,
                               &registry,
                               wiring,
                               make_slot<caf::actor>()};
  supervision::child_spec refunds_spec;
  refunds_spec.name = "refund_sender";
  refunds_spec.start = [refunds](caf::local_actor* sup) {
    return spawn_refund_sender(sup->system(), refunds);
  };
  spec.children.push_back(std::move(refunds_spec));

  // Last: a restart of the listener touches nothing else.
  supervision::child_spec listener;
  listener.name = "refund_listener";
  listener.start = [database_url, sender = refunds.published_as](caf::local_actor* sup) {
    activation::job_listener_config cfg;
    cfg.database_url = database_url;
    cfg.activation = sender;
    cfg.channel = db::refund_requests_channel;
    return activation::spawn_job_listener(sup->system(), cfg);
  };
  spec.children.push_back(std::move(listener));
  return supervision::supervisor_child(std::move(spec), registry);
}

}  // namespace vpnbot::payments
