#include "actors/panel/reconciler.hpp"

#include <caf/all.hpp>

#include "actors/actor_probe.hpp"
#include "actors/panel/panel_round.hpp"
#include "actors/storage/db_request.hpp"
#include "adapters/db/leases_repository.hpp"
#include "adapters/db/panels_repository.hpp"
#include "adapters/log/logger.hpp"
#include "domain/subscriptions/reconcile.hpp"
#include "messages/panel.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::activation {
namespace {

constexpr const char* component = "reconcile";
constexpr auto db_timeout = std::chrono::seconds(30);

struct reconciler_state {
  reconciler_config cfg;
  panel_round round;
  std::unique_ptr<actor_probe> probe;
};

using actor_t = caf::stateful_actor<reconciler_state>;

void count_run(actor_t* self, const std::string& panel, const std::string& outcome) {
  self->state.cfg.registry
      ->get_counter("vpnbot_reconcile_runs_total", "Reconcile runs by panel and outcome",
                    {{"panel", panel}, {"outcome", outcome}})
      .inc();
}

void record(actor_t* self, const std::string& panel, const reconcile_plan& plan) {
  auto& reg = *self->state.cfg.registry;
  auto add = [&](const char* action, std::size_t n) {
    if (n == 0) return;
    reg.get_counter("vpnbot_reconcile_actions_total", "Reconcile actions planned",
                    {{"panel", panel}, {"action", action}})
        .inc(static_cast<double>(n));
  };
  add("create", plan.create.size());
  add("enable", plan.enable.size());
  add("disable", plan.disable.size());
  add("extend", plan.extend.size());
  add("quarantine", plan.quarantine.size());
  add("remove", plan.remove.size());
  reg.get_gauge("vpnbot_reconcile_clients", "Clients on the panel at the last run",
                {{"panel", panel}, {"owner", "ours"}})
      .set(plan.ours);
  reg.get_gauge("vpnbot_reconcile_clients", "Clients on the panel at the last run",
                {{"panel", panel}, {"owner", "foreign"}})
      .set(plan.foreign);
}

void next_panel(actor_t* self);

void reconcile_panel(actor_t* self, const std::string& name,
                     std::vector<panel::xui_client> clients) {
  auto grace = self->state.cfg.grace;
  auto dry_run = self->state.cfg.dry_run;
  auto owner = self->state.cfg.lease_owner;
  auto ttl = std::chrono::duration_cast<std::chrono::seconds>(self->state.cfg.interval) * 3 +
             std::chrono::seconds(30);
  auto now = self->state.cfg.clock();
  storage::db_request<std::optional<reconcile_plan>>(
      self, "reconcile.apply",
      [name, clients, grace, dry_run, owner, ttl,
       now](pqxx::dbtransaction& tx) -> std::optional<reconcile_plan> {
        auto panel = db::find_panel_by_name(tx, name);
        if (!panel) return std::nullopt;
        if (!owner.empty() && !db::try_acquire_lease(tx, "reconcile", owner, ttl)) {
          reconcile_plan standby;
          standby.standby = true;
          return standby;
        }
        std::vector<std::string> emails;
        for (const auto& c : clients) emails.push_back(c.email);
        auto plan = plan_reconcile(expected_clients(tx, panel->id, emails), clients,
                                   quarantined_clients(tx, panel->id), now, grace);
        plan.refused = implausible_listing(plan);
        if (!dry_run && !plan.refused)
          apply_reconcile(tx, panel->id, plan, now,
                          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()));
        return plan;
      },
      db_timeout,
      [self, name](caf::expected<std::optional<reconcile_plan>> plan) {
        if (!plan || !*plan) {
          count_run(self, name, "db_failed");
          log::warn(
              component, "reconcile could not use the database; nothing changed",
              {{"panel", name}, {"error", plan ? "panel not seeded" : to_string(plan.error())}});
        } else if ((*plan)->standby) {
          count_run(self, name, "standby");
        } else if ((*plan)->refused) {
          count_run(self, name, "implausible_listing");
          log::warn(component,
                    "the listing holds none of our clients although many are sold on this "
                    "panel; not believed, nothing changed",
                    {{"panel", name},
                     {"foreign", (*plan)->foreign},
                     {"missing", (*plan)->create.size()}});
        } else {
          const auto& p = **plan;
          count_run(self, name, self->state.cfg.dry_run ? "dry_run" : "applied");
          record(self, name, p);
          log::info(component, self->state.cfg.dry_run ? "reconcile plan (dry run)" : "reconciled",
                    {{"panel", name},
                     {"ours", p.ours},
                     {"foreign", p.foreign},
                     {"create", p.create.size()},
                     {"enable", p.enable.size()},
                     {"disable", p.disable.size()},
                     {"extend", p.extend.size()},
                     {"quarantine", p.quarantine.size()},
                     {"remove", p.remove.size()}});
        }
        next_panel(self);
      });
}

void next_panel(actor_t* self) {
  auto& st = self->state;
  auto next = st.round.next(st.cfg.panels, [self](const std::string& name) {
    count_run(self, name, "panel_not_running");
  });
  if (!next) return;
  auto name = next->first;
  self->request(next->second, st.cfg.call_timeout, panel_list_clients{})
      .then(
          [self, name](std::vector<panel::xui_client>& clients) {
            reconcile_panel(self, name, std::move(clients));
          },
          [self, name](caf::error& e) {
            count_run(self, name, "listing_failed");
            log::warn(component, "the panel's client list failed; this run changes nothing",
                      {{"panel", name}, {"error", to_string(e)}});
            next_panel(self);
          });
}

void run(actor_t* self) {
  auto& st = self->state;
  self->delayed_send(self, st.cfg.interval, tick_atom_v);
  if (st.round.begin(st.cfg.panels)) next_panel(self);
}

caf::behavior reconciler_actor(actor_t* self, reconciler_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe = std::make_unique<actor_probe>("reconciler", *self->state.cfg.registry);
  self->delayed_send(self, self->state.cfg.interval, tick_atom_v);
  return {instrumented(self, *self->state.probe, [self](tick_atom) { run(self); })};
}

}  // namespace

caf::actor spawn_reconciler(caf::actor_system& sys, reconciler_config cfg) {
  return sys.spawn(reconciler_actor, std::move(cfg));
}

}  // namespace vpnbot::activation
