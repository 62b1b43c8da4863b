#include "actors/workers/worker_supervisor.hpp"

#include <algorithm>
#include <caf/local_actor.hpp>

#include "domain/workers/auto_renewal.hpp"
#include "domain/workers/expiry.hpp"
#include "domain/workers/housekeeping.hpp"
#include "domain/workers/payment_expiry.hpp"
#include "domain/workers/reminders.hpp"

namespace vpnbot::workers {
namespace {

std::chrono::seconds secs(config::duration d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d);
}

supervision::child_spec child(const std::string& name, const config::settings& settings,
                              const components& wiring, wall_clock clock,
                              metrics::registry& registry, worker_step step) {
  supervision::child_spec c;
  c.name = name;
  // A node that died leaves the lease after three of its intervals (at least 30 s).
  auto ttl = std::max(std::chrono::seconds(30), 3 * secs(settings.workers.interval));
  c.start = [name, wiring, interval = settings.workers.interval, budget = settings.workers.budget,
             clock, &registry, ttl, owner = settings.service.node_name,
             step = std::move(step)](caf::local_actor* sup) {
    periodic_worker_config cfg;
    cfg.name = name;
    cfg.interval = interval;
    cfg.budget = budget;
    cfg.lease_owner = owner;
    cfg.lease_ttl = ttl;
    cfg.step = step;
    cfg.clock = clock;
    cfg.registry = &registry;
    cfg.wiring = wiring;
    return spawn_periodic_worker(sup->system(), cfg);
  };
  return c;
}

}  // namespace

supervision::child_spec worker_child(const config::settings& settings, const components& wiring,
                                     wall_clock clock, metrics::registry& registry) {
  const auto& w = settings.workers;
  notice_context ctx;
  ctx.batch = w.batch;
  reminder_settings reminders;
  reminders.offsets.clear();
  for (auto d : w.reminder_offsets) reminders.offsets.push_back(secs(d));
  reminders.trial_notice_before = secs(w.trial_notice_before);
  expiry_settings expiry{secs(w.retention)};
  auto_renewal_settings renewal{secs(w.renewal_window)};

  supervision::supervisor_spec spec;
  spec.name = "workers";
  spec.limits = settings.supervision;
  spec.children.push_back(child("reminders", settings, wiring, clock, registry,
                                [ctx, reminders](pqxx::dbtransaction& tx, auto now) {
                                  return send_reminders(tx, now, ctx, reminders);
                                }));
  spec.children.push_back(child("expiry", settings, wiring, clock, registry,
                                [ctx, expiry](pqxx::dbtransaction& tx, auto now) {
                                  return expire_subscriptions(tx, now, ctx, expiry);
                                }));
  spec.children.push_back(child("auto_renewal", settings, wiring, clock, registry,
                                [ctx, renewal](pqxx::dbtransaction& tx, auto now) {
                                  return renew_from_balance(tx, now, ctx, renewal);
                                }));
  spec.children.push_back(
      child("payment_expiry", settings, wiring, clock, registry,
            [ctx](pqxx::dbtransaction& tx, auto now) { return expire_payments(tx, now, ctx); }));
  housekeeping_settings house{secs(w.keep_history), secs(w.session_ttl),
                              secs(w.keep_unverified_webhooks), 1000};
  spec.children.push_back(
      child("housekeeping", settings, wiring, clock, registry,
            [house](pqxx::dbtransaction& tx, auto now) { return keep_house(tx, now, house); }));
  auto c = supervision::supervisor_child(std::move(spec), registry);
  c.restart = supervision::restart_type::temporary;
  return c;
}

}  // namespace vpnbot::workers
