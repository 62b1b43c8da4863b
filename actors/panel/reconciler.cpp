#include "actors/panel/reconciler.hpp"

#include <caf/all.hpp>

#include "actors/panel/panel_metrics.hpp"
#include "actors/panel/panel_pass.hpp"
#include "actors/storage/db_request.hpp"
#include "adapters/db/leases_repository.hpp"
#include "adapters/db/panels_repository.hpp"
#include "adapters/log/logger.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "domain/subscriptions/reconcile.hpp"
#include "messages/panel.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::activation {
namespace {

constexpr const char* reconciler_component = "reconcile";
constexpr auto reconciler_db_timeout = std::chrono::seconds(30);

// What a visit needs: the settings and the metrics, shared by every visit.
struct reconcile_context {
  reconciler_config cfg;
  panel_metrics metrics;
};

using context_ptr = std::shared_ptr<const reconcile_context>;

void record(const context_ptr& ctx, const std::string& panel, const reconcile_plan& plan) {
  const auto& m = ctx->metrics;
  auto add = [&](const char* action, std::size_t n) {
    if (n == 0) return;
    m.reconcile_actions.with({panel, action}).inc(static_cast<double>(n));
  };
  add("create", plan.create.size());
  add("enable", plan.enable.size());
  add("disable", plan.disable.size());
  add("extend", plan.extend.size());
  add("quarantine", plan.quarantine.size());
  add("remove", plan.remove.size());
  m.reconcile_clients.with({panel, "ours"}).set(plan.ours);
  m.reconcile_clients.with({panel, "foreign"}).set(plan.foreign);
}

void count_run(const context_ptr& ctx, const std::string& panel, const std::string& outcome) {
  ctx->metrics.reconcile_runs.with({panel, outcome}).inc();
}

void reconcile_panel(caf::event_based_actor* self, const context_ptr& ctx, const std::string& name,
                     std::vector<panel::xui_client> clients,
                     std::chrono::system_clock::time_point listed_at, pass_step step) {
  const auto& cfg = ctx->cfg;
  auto grace = cfg.grace;
  auto dry_run = cfg.dry_run;
  auto owner = cfg.lease_owner;
  auto fence = cfg.wiring.fence;
  auto ttl =
      std::chrono::duration_cast<std::chrono::seconds>(cfg.interval) * 3 + std::chrono::seconds(30);
  auto now = cfg.clock();
  storage::db_request<std::optional<reconcile_plan>>(
      self, cfg.wiring.db, "reconcile.apply",
      [name, clients, grace, dry_run, owner, ttl, now, listed_at,
       fence](pqxx::dbtransaction& tx) -> std::optional<reconcile_plan> {
        auto panel = db::find_panel_by_name(tx, name);
        if (!panel) return std::nullopt;
        auto ours = fence ? fence->holds(tx)
                          : owner.empty() || db::try_acquire_lease(tx, "reconcile", owner, ttl);
        if (!ours) {
          reconcile_plan standby;
          standby.standby = true;
          return standby;
        }
        std::vector<std::string> emails;
        for (const auto& c : clients) emails.push_back(c.email);
        auto plan = plan_reconcile(expected_clients(tx, panel->id, emails, listed_at), clients,
                                   quarantined_clients(tx, panel->id), now, grace);
        plan.refused = implausible_listing(plan);
        if (!dry_run && !plan.refused)
          apply_reconcile(tx, panel->id, plan, now,
                          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()));
        return plan;
      },
      reconciler_db_timeout,
      [ctx, name, step](caf::expected<std::optional<reconcile_plan>> plan) {
        if (!plan || !*plan) {
          count_run(ctx, name, "db_failed");
          log::warn(
              reconciler_component, "reconcile could not use the database; nothing changed",
              {{"panel", name}, {"error", plan ? "panel not seeded" : to_string(plan.error())}});
        } else if ((*plan)->standby) {
          count_run(ctx, name, "standby");
        } else if ((*plan)->refused) {
          count_run(ctx, name, "implausible_listing");
          log::warn(reconciler_component,
                    "the listing holds none of our clients although many are sold on this "
                    "panel; not believed, nothing changed",
                    {{"panel", name},
                     {"foreign", (*plan)->foreign},
                     {"missing", (*plan)->create.size()}});
        } else {
          const auto& p = **plan;
          count_run(ctx, name, ctx->cfg.dry_run ? "dry_run" : "applied");
          record(ctx, name, p);
          log::info(reconciler_component,
                    ctx->cfg.dry_run ? "reconcile plan (dry run)" : "reconciled",
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
        step.next();
      });
}

void visit(caf::event_based_actor* self, const context_ptr& ctx, const std::string& name,
           const panel_actor& panel, pass_step step) {
  // Real time, not the workers' clock: it is held against the jobs' update
  // times, which the database writes.
  auto listed_at = std::chrono::system_clock::now();
  self->request(panel, ctx->cfg.call_timeout, panel_list_clients{})
      .then(
          [self, ctx, name, listed_at, step](std::vector<panel::xui_client>& clients) {
            reconcile_panel(self, ctx, name, std::move(clients), listed_at, step);
          },
          [ctx, name, step](caf::error& e) {
            count_run(ctx, name, "listing_failed");
            log::warn(reconciler_component,
                      "the panel's client list failed; this run changes nothing",
                      {{"panel", name}, {"error", to_string(e)}});
            step.next();
          });
}

}  // namespace

caf::actor spawn_reconciler(caf::actor_system& sys, reconciler_config cfg) {
  auto ctx = std::make_shared<const reconcile_context>(
      reconcile_context{cfg, panel_metrics{*cfg.registry}});
  panel_pass_config pass;
  pass.kind = "reconciler";
  pass.panels = cfg.panels;
  pass.interval = cfg.interval;
  pass.registry = cfg.registry;
  pass.skipped = [ctx](const std::string& name) { count_run(ctx, name, "panel_not_running"); };
  pass.visit = [ctx](caf::event_based_actor* self, const std::string& name,
                     const panel_actor& panel,
                     pass_step step) { visit(self, ctx, name, panel, step); };
  return spawn_panel_pass(sys, std::move(pass));
}

}  // namespace vpnbot::activation
