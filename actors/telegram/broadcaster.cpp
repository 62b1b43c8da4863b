#include "actors/telegram/broadcaster.hpp"

#include <caf/all.hpp>

#include "actors/actor_probe.hpp"
#include "actors/storage/db_request.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/log/logger.hpp"
#include "domain/bot/admin_broadcast_progress.hpp"
#include "domain/broadcasts/broadcast_claim.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::telegram {
namespace {

constexpr const char* broadcaster_component = "telegram_broadcaster";
constexpr auto broadcaster_db_timeout = std::chrono::seconds(15);

struct broadcaster_state {
  broadcaster_config cfg;
  std::unique_ptr<actor_probe> probe;
};

using broadcaster_actor_t = caf::stateful_actor<broadcaster_state>;

void step(broadcaster_actor_t* self) {
  auto window = self->state.cfg.window;
  auto paid_window = self->state.cfg.paid_window;
  auto catalog = self->state.cfg.catalog;
  auto progress_interval = self->state.cfg.progress_interval;
  storage::db_request<broadcasts::claim_report>(
      self, self->state.cfg.wiring.db, "broadcasts.claim",
      [window, paid_window, catalog, progress_interval,
       fence = self->state.cfg.wiring.fence](pqxx::dbtransaction& tx) {
        // On a cluster only the leader turns recipients into messages.
        if (fence && !fence->holds(tx)) return broadcasts::claim_report{};
        auto report = broadcasts::claim_next(tx, window, paid_window);
        outbox_writer out(tx);
        screens::refresh_progress_messages(tx, *catalog, out, progress_interval);
        report.outbox_ids.insert(report.outbox_ids.end(), out.ids().begin(), out.ids().end());
        return report;
      },
      broadcaster_db_timeout,
      [self](caf::expected<broadcasts::claim_report> r) {
        auto& st = self->state;
        if (!r && r.error() == db::db_errc::unavailable) {
          // The pool is between restarts: its supervisor's business.
          self->delayed_send(self, st.cfg.interval, tick_atom_v);
          return;
        }
        if (!r) {
          log::error(broadcaster_component,
                     "claiming recipients failed; the supervisor restarts it",
                     {{"error", to_string(r.error())}});
          self->quit(r.error());
          return;
        }
        if (r->finished > 0)
          log::info(broadcaster_component, "broadcasts done", {{"count", r->finished}});
        st.cfg.wiring.kick_outbox(std::move(r->outbox_ids));
        self->delayed_send(self, st.cfg.interval, tick_atom_v);
      });
}

caf::behavior broadcaster(broadcaster_actor_t* self, broadcaster_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.probe =
      std::make_unique<actor_probe>(broadcaster_component, *self->state.cfg.registry);
  self->send(self, tick_atom_v);
  return {instrumented(self, *self->state.probe, [self](tick_atom) { step(self); })};
}

}  // namespace

caf::actor spawn_broadcaster(caf::actor_system& sys, broadcaster_config cfg) {
  return sys.spawn(broadcaster, std::move(cfg));
}

}  // namespace vpnbot::telegram
