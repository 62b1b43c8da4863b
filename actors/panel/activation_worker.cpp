#include "actors/panel/activation_worker.hpp"

#include <caf/all.hpp>

#include "actors/actor_probe.hpp"
#include "actors/panel/panel_metrics.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/outbox.hpp"
#include "adapters/codec/utf8.hpp"
#include "adapters/db/jobs_repository.hpp"
#include "adapters/http/url.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/panel/link.hpp"
#include "adapters/panel/panel_error.hpp"
#include "domain/subscriptions/activation.hpp"
#include "messages/panel.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::activation {
namespace {

constexpr const char* activation_worker_component = "activation";
constexpr auto activation_worker_db_timeout = std::chrono::seconds(15);

struct worker_state {
  activation_worker_config cfg;
  // Panels whose last call found the circuit open, until when.
  std::map<std::string, caf::actor_clock::time_point> unhealthy_until;  // on the actor clock
  unsigned in_flight = 0;
  bool leasing = false;
  bool lease_again = false;  // told of new jobs while a lease ran
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<panel_metrics> metrics;
};

using activation_worker_actor_t = caf::stateful_actor<worker_state>;

void count(activation_worker_actor_t* self, const std::string& kind, const std::string& outcome) {
  self->state.metrics->activation_jobs.with({kind, outcome}).inc();
}

void set_in_flight(activation_worker_actor_t* self) {
  self->state.metrics->activation_in_flight().set(self->state.in_flight);
}

void lease(activation_worker_actor_t* self);

void finished(activation_worker_actor_t* self) {
  --self->state.in_flight;
  set_in_flight(self);
  lease(self);
}

void fail(activation_worker_actor_t* self, activation_task task, std::string error) {
  auto& st = self->state;
  auto owner = st.cfg.owner;
  auto max_attempts = st.cfg.max_attempts;
  auto retry_min = st.cfg.retry_min;
  log::warn(activation_worker_component, "activation attempt failed",
            {{"job", task.job.id},
             {"kind", task.job.kind},
             {"attempt", task.job.attempts},
             {"error", error}});
  storage::db_request<failure_recorded>(
      self, self->state.cfg.wiring.db, "activation.fail",
      [task, owner, error, max_attempts, retry_min](pqxx::dbtransaction& tx) {
        return record_activation_failure(tx, task, owner, error, max_attempts, retry_min);
      },
      activation_worker_db_timeout,
      [self, kind = task.job.kind](caf::expected<failure_recorded> r) {
        if (r) {
          count(self, kind,
                r->fate == db::job_fate::dead         ? "dead"
                : r->fate == db::job_fate::lease_lost ? "lease_lost"
                                                      : "retry");
          self->state.cfg.wiring.kick_outbox(r->outbox_ids);
        }
        finished(self);
      });
}

void defer(activation_worker_actor_t* self, activation_task task, std::string reason) {
  auto owner = self->state.cfg.owner;
  auto retry_in = self->state.cfg.circuit_retry;
  storage::db_request<bool>(
      self, self->state.cfg.wiring.db, "activation.defer",
      [task, owner, reason, retry_in](pqxx::dbtransaction& tx) {
        return db::defer_job(tx, task.job.id, owner,
                             codec::truncate_utf8(reason, 500, codec::text_unit::bytes), retry_in);
      },
      activation_worker_db_timeout,
      [self, kind = task.job.kind](caf::expected<bool> r) {
        if (r) count(self, kind, *r ? "deferred" : "lease_lost");
        finished(self);
      });
}

// created: the client as the panel answered a create (its secrets may be
// the panel's own), stored with the job's success.
void succeed(activation_worker_actor_t* self, activation_task task, std::optional<std::string> link,
             std::optional<std::string> sub_url = std::nullopt,
             std::optional<panel::xui_client> created = std::nullopt) {
  auto owner = self->state.cfg.owner;
  storage::db_request<recorded>(
      self, self->state.cfg.wiring.db, "activation.done",
      [task, owner, link, sub_url, created](pqxx::dbtransaction& tx) {
        return record_activation_success(tx, task, owner, link, sub_url, created);
      },
      activation_worker_db_timeout,
      [self, kind = task.job.kind](caf::expected<recorded> r) {
        if (r) {
          count(self, kind, r->done ? "done" : "lease_lost");
          self->state.cfg.wiring.kick_outbox(r->outbox_ids);
        } else {
          log::warn(activation_worker_component,
                    "could not record a done job; its lease will expire and it runs "
                    "again (idempotent)",
                    {{"error", to_string(r.error())}});
        }
        finished(self);
      });
}

const config::panel_settings* settings_of(activation_worker_actor_t* self,
                                          const std::string& name) {
  for (const auto& p : self->state.cfg.panel_settings)
    if (p.name == name) return &p;
  return nullptr;
}

// The first vless:// key, else the first of any scheme; none when the
// panel made no key (no enabled host reaches the user's squads).
std::optional<std::string> raw_link_of(const std::vector<std::string>& keys) {
  for (const auto& k : keys)
    if (k.starts_with("vless://")) return k;
  if (keys.empty()) return std::nullopt;
  return keys.front();
}

// A Remnawave user's key is the subscription URL the panel answered with;
// a plan with a raw link asks the panel for the user's connection keys and
// sends the first next to it.
void remnawave_link_and_succeed(activation_worker_actor_t* self, panel_actor panel,
                                activation_task task, panel::xui_client created) {
  if (created.sub_url.empty())
    return fail(self, task, "the Remnawave panel answered the user without a subscriptionUrl");
  auto url = created.sub_url;
  if (!task.raw_link) return succeed(self, task, url, url, std::move(created));
  self->request(panel, self->state.cfg.call_timeout, panel_get_links{created.email})
      .then(
          [self, task, url, created](std::vector<std::string>& keys) {
            auto link = raw_link_of(keys);
            if (!link)
              log::warn(activation_worker_component,
                        "the Remnawave panel made no connection key for the user (no enabled host "
                        "in its squads); the key sent is the subscription URL alone",
                        {{"job", task.job.id}, {"panel", task.panel}});
            succeed(self, task, link.value_or(url), url, created);
          },
          [self, task](caf::error& e) {
            // The user exists; only its link is missing: retried like the
            // 3x-ui inbound read below.
            fail(self, task, "connection keys for the raw link: " + to_string(e));
          });
}

// The created client's share link, built from the panel's inbound (3x-ui).
void link_and_succeed(activation_worker_actor_t* self, panel_actor panel, activation_task task,
                      panel::xui_client created) {
  if (const auto* ps = settings_of(self, task.panel); ps && ps->kind == "remnawave")
    return remnawave_link_and_succeed(self, panel, std::move(task), std::move(created));
  self->request(panel, self->state.cfg.call_timeout, panel_get_inbound{})
      .then(
          [self, task, created](panel::xui_inbound& inbound) {
            std::optional<std::string> link, sub_url;
            const auto* ps = settings_of(self, task.panel);
            if (ps && !ps->sub_base.empty())
              sub_url = panel::subscription_url(ps->sub_base, created.sub_id);
            panel::link_settings ls;
            if (ps) {
              ls.public_host = ps->public_host;
              if (ls.public_host.empty())
                if (auto u = http::parse_url(ps->base_url)) ls.public_host = u->host;
            }
            if (auto links = panel::vless_links(inbound, created, ls); links && !links->empty())
              link = links->front();
            else
              link = sub_url;
            succeed(self, task, link, sub_url, created);
          },
          [self, task](caf::error& e) {
            // The client exists; only its link is missing. The job stays
            // done-able: retry it (adding again adopts the client).
            fail(self, task, "inbound for the link: " + to_string(e));
          });
}

// A panel refusing calls (open circuit) gets no new clients for a while and
// the job waits for the circuit; any other error is a failed attempt.
void on_panel_error(activation_worker_actor_t* self, activation_task task, const caf::error& e) {
  if (e != panel::panel_errc::circuit_open) return fail(self, std::move(task), to_string(e));
  self->state.unhealthy_until[task.panel] = self->clock().now() + self->state.cfg.circuit_retry;
  defer(self, std::move(task), to_string(e));
}

void run(activation_worker_actor_t* self, activation_task task) {
  if (task.skipped) {
    log::info(activation_worker_component, "job overtaken by a renewal; done without a panel call",
              {{"job", task.job.id}, {"kind", task.job.kind}, {"note", *task.skipped}});
    count(self, task.job.kind, "skipped");
    return finished(self);
  }
  auto it = self->state.cfg.panels.find(task.panel);
  auto panel =
      task.panel.empty() || it == self->state.cfg.panels.end() ? panel_actor{} : it->second->get();
  if (!panel)
    return fail(self, task, "panel \"" + task.panel + "\" is not configured or not running");
  auto timeout = self->state.cfg.call_timeout;
  auto on_error = [self, task](caf::error& e) { on_panel_error(self, task, e); };
  if (task.kind == subscriptions::job_kind::create_client) {
    self->request(panel, timeout, panel_add_client{task.client})
        .then(
            [self, panel, task](panel::xui_client& created) {
              link_and_succeed(self, panel, task, std::move(created));
            },
            on_error);
  } else if (task.kind == subscriptions::job_kind::remove_client) {
    self->request(panel, timeout, panel_delete_client{task.client.id, task.client.email})
        .then([self, task](caf::ok_atom) { succeed(self, task, std::nullopt); }, on_error);
  } else {
    self->request(panel, timeout, panel_update_client{task.client})
        .then([self, task](caf::ok_atom) { succeed(self, task, std::nullopt); },
              [self, panel, task, timeout](caf::error& e) {
                if (e != panel::panel_errc::client_not_found) return on_panel_error(self, task, e);
                if (task.kind == subscriptions::job_kind::disable_client)
                  return succeed(self, task, std::nullopt);
                // Lost on the panel: the same identity again.
                self->request(panel, timeout, panel_add_client{task.client})
                    .then(
                        [self, task](panel::xui_client& created) {
                          succeed(self, task, std::nullopt, std::nullopt, std::move(created));
                        },
                        [self, task](caf::error& e2) { on_panel_error(self, task, e2); });
              });
  }
}

void lease(activation_worker_actor_t* self) {
  auto& st = self->state;
  if (st.leasing) {
    st.lease_again = true;
    return;
  }
  if (st.in_flight >= st.cfg.max_in_flight) return;
  st.leasing = true;
  st.lease_again = false;
  auto owner = st.cfg.owner;
  auto limit = static_cast<int>(st.cfg.max_in_flight - st.in_flight);
  auto lease_for = st.cfg.lease_for;
  auto fallback = st.cfg.default_panel;
  std::vector<std::string> healthy;
  auto now = self->clock().now();
  for (const auto& p : st.cfg.panel_settings) {
    auto it = st.unhealthy_until.find(p.name);
    if (it == st.unhealthy_until.end() || it->second <= now) healthy.push_back(p.name);
  }
  storage::db_request<std::vector<activation_task>>(
      self, self->state.cfg.wiring.db, "activation.lease",
      [owner, limit, lease_for, healthy, fallback](pqxx::dbtransaction& tx) {
        return lease_activation_tasks(tx, owner, limit, lease_for, healthy, fallback);
      },
      activation_worker_db_timeout,
      [self](caf::expected<std::vector<activation_task>> tasks) {
        auto& st = self->state;
        st.leasing = false;
        if (tasks && !tasks->empty()) {
          st.in_flight += static_cast<unsigned>(tasks->size());
          set_in_flight(self);
          for (auto& t : *tasks) run(self, std::move(t));
        }
        if (st.lease_again) lease(self);
      });
}

caf::behavior activation_worker_actor(activation_worker_actor_t* self,
                                      activation_worker_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe = std::make_unique<actor_probe>("activation", *self->state.cfg.registry);
  self->state.metrics = std::make_unique<panel_metrics>(*self->state.cfg.registry);
  publish(self, self->state.cfg.published_as);
  self->send(self, tick_atom_v);
  return {
      instrumented(self, *self->state.probe,
                   [self](tick_atom) {
                     lease(self);
                     self->delayed_send(self, self->state.cfg.interval, tick_atom_v);
                   }),
      instrumented(self, *self->state.probe, [self](jobs_queued_atom) { lease(self); }),
  };
}

}  // namespace

caf::actor spawn_activation_worker(caf::actor_system& sys, activation_worker_config cfg) {
  return sys.spawn(activation_worker_actor, std::move(cfg));
}

}  // namespace vpnbot::activation
