#include "actors/telegram/session.hpp"

#include <caf/all.hpp>

#include "actors/storage/db_request.hpp"
#include "actors/telegram/outbox.hpp"
#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::telegram {
namespace {

// Time comes from the actor clock, so tests on the test coordinator move it.
using clock = caf::actor_clock;
constexpr const char* session_component = "telegram_session";
constexpr auto session_db_timeout = std::chrono::seconds(15);
constexpr auto first_backoff = std::chrono::milliseconds(400);
constexpr auto max_backoff = std::chrono::seconds(30);

// Laid out for a small resident session (one per user seen lately).
struct session_state {
  session_config cfg;
  // The user's flood window as of its last turn: this session takes all of
  // them, so the next turn's statement need not read it (flood_memory.hpp).
  // The flags below sit in its tail padding.
  [[no_unique_address]] flood_memory flood;
  bool busy = false;
  bool more = false;
  bool detached = false;  // the manager forgot us: finish the work, then quit
  unsigned failures = 0;
  // The oldest update carries a payment and has failed too often: retried,
  // never given up. 0: none (update ids are positive).
  int64_t held_payment_update = 0;
  // Since when nothing was asked of the session; the manager's sweep asks
  // (idle_atom) and an idle session long enough offers to be forgotten.
  // One sweep for all sessions instead of a pending timer in each keeps a
  // resident session smaller.
  clock::time_point idle_since{};
};

using session_actor_t = caf::stateful_actor<session_state>;

// Sessions' turns waiting together in the pool are read and finished by one
// statement each for all of them (handle_next_updates) instead of two per
// user; alone, a turn runs handle_next_update.
struct merged_turn final : db_merge {
  std::shared_ptr<const bot_profile> bot;
  int64_t user_id = 0;
  std::shared_ptr<const flood_memory> flood;

  merged_turn(std::shared_ptr<const bot_profile> b, int64_t u,
              std::shared_ptr<const flood_memory> f)
      : bot(std::move(b)), user_id(u), flood(std::move(f)) {}

  bool merges_with(const db_merge& other) const override {
    auto* turn = dynamic_cast<const merged_turn*>(&other);
    return turn && turn->bot == bot && turn->user_id != user_id;
  }

  std::vector<std::any> run_merged(pqxx::dbtransaction& tx,
                                   const std::vector<const db_merge*>& calls) const override {
    std::vector<turn_ask> asks;
    for (const auto* c : calls) {
      const auto* turn = static_cast<const merged_turn*>(c);
      asks.push_back({turn->user_id, turn->flood.get()});
    }
    std::vector<std::any> values;
    for (auto& h : handle_next_updates(tx, *bot, asks)) values.emplace_back(std::move(h));
    return values;
  }
};

void step(session_actor_t* self);

void arm_idle(session_actor_t* self) {
  auto& st = self->state;
  if (st.detached) return self->quit();
  st.idle_since = self->clock().now();
}

void after_update(session_actor_t* self, handled_update& h, clock::time_point started) {
  const auto& m = *self->state.cfg.context->metrics;
  m.updates.with({h.outcome}).inc();
  m.update_seconds().observe(std::chrono::duration<double>(self->clock().now() - started).count());
  const auto& wiring = self->state.cfg.context->wiring;
  if (h.outbox_rows.empty())
    wiring.kick_outbox(h.outbox_ids);
  else
    wiring.hand_outbox(std::move(h.outbox_rows));
}

// 400 ms, doubling per failure, at most max_backoff (an update carrying a
// payment may be retried for as long as the database is down).
clock::duration_type backoff(unsigned failures) {
  auto doublings = std::min(failures == 0 ? 0u : failures - 1, 10u);
  return std::min<clock::duration_type>(first_backoff * (1u << doublings), max_backoff);
}

void retry_later(session_actor_t* self) {
  self->state.busy = false;
  self->delayed_send(self, backoff(self->state.failures), session_kick_atom_v);
}

// An update carrying money is retried until it succeeds; every retry past
// the point where another update would have been given up is counted and
// logged as an error, so an operator is alerted.
void hold_payment_update(session_actor_t* self, int64_t update_id, const std::string& reason) {
  auto& st = self->state;
  st.held_payment_update = update_id;
  st.cfg.context->metrics->payment_update_retries().inc();
  log::error(session_component,
             "an update carrying a payment keeps failing; it is retried, never skipped",
             {{"user", st.cfg.user_id},
              {"update_id", update_id},
              {"attempt", st.failures},
              {"error", reason}});
  retry_later(self);
}

void give_up(session_actor_t* self, std::string reason) {
  auto uid = self->state.cfg.user_id;
  auto bot = self->state.cfg.context->bot;
  storage::db_request<std::optional<handled_update>>(
      self, self->state.cfg.context->wiring.db, "telegram.give_up",
      [uid, bot, reason](pqxx::dbtransaction& tx) {
        return give_up_next_update(tx, *bot, uid, reason);
      },
      session_db_timeout,
      [self, reason](caf::expected<std::optional<handled_update>> r) {
        auto& st = self->state;
        if (r && *r && (*r)->outcome == "held")
          return hold_payment_update(self, (*r)->update_id, reason);
        if (r && *r) {
          st.flood = std::move((*r)->flood);
          log::error(session_component, "update given up after repeated failures",
                     {{"update_id", (*r)->update_id}, {"reason", reason}});
          after_update(self, **r, self->clock().now());
          st.failures = 0;
          return step(self);
        }
        // The database itself is failing: wait and start over.
        st.more = true;
        retry_later(self);
      });
}

void step(session_actor_t* self) {
  auto& st = self->state;
  st.busy = true;
  st.more = false;
  auto uid = st.cfg.user_id;
  auto bot = st.cfg.context->bot;
  auto started = self->clock().now();
  // Lent to the turn (which runs on a database thread); its answer brings
  // it back updated.
  auto flood = std::make_shared<const flood_memory>(std::move(st.flood));
  st.flood = {};
  storage::db_request<std::optional<handled_update>>(
      self, self->state.cfg.context->wiring.db, "telegram.handle_update",
      [uid, bot, flood](pqxx::dbtransaction& tx) {
        return handle_next_update(tx, *bot, uid, flood.get());
      },
      std::make_shared<merged_turn>(bot, uid, flood), session_db_timeout,
      [self, started, flood](caf::expected<std::optional<handled_update>> r) {
        auto& st = self->state;
        // A turn that failed may still have committed (a timeout): the
        // window is read again (st.flood stays not known).
        if (!r) {
          ++st.failures;
          auto reason = to_string(r.error());
          log::warn(session_component, "handling an update failed",
                    {{"user", st.cfg.user_id}, {"attempt", st.failures}, {"error", reason}});
          if (st.held_payment_update != 0)
            return hold_payment_update(self, st.held_payment_update, reason);
          if (st.failures >= st.cfg.context->max_failures) return give_up(self, reason);
          return retry_later(self);
        }
        st.failures = 0;
        st.held_payment_update = 0;
        st.flood = *r ? std::move((*r)->flood) : *flood;
        if (*r) {
          after_update(self, **r, started);
          // An update stored after this turn's look comes with a kick (more).
          if ((*r)->more_pending || st.more) return step(self);
        }
        st.busy = false;
        if (st.more) return step(self);
        arm_idle(self);
      });
}

caf::behavior session_actor(session_actor_t* self, session_config cfg, bool give_up_first) {
  self->state.cfg = std::move(cfg);
  self->state.idle_since = self->clock().now();
  // Sessions live and die with their manager.
  self->monitor(self->state.cfg.manager);
  self->set_down_handler([self](caf::down_msg&) { self->quit(); });
  if (give_up_first) {
    self->state.busy = true;
    self->state.failures = self->state.cfg.context->max_failures;
    give_up(self, "its session crashed repeatedly");
  }
  return {
      [self](session_kick_atom) {
        auto& st = self->state;
        if (st.busy)
          st.more = true;
        else
          step(self);
      },
      [self](idle_atom) {
        auto& st = self->state;
        if (st.busy || st.more || st.detached ||
            self->clock().now() - st.idle_since < st.cfg.context->idle_timeout)
          return;
        self->request(st.cfg.manager, std::chrono::seconds(5), idle_atom_v, st.cfg.user_id)
            .then(
                [self](bool forgotten) {
                  auto& st = self->state;
                  if (!forgotten) return arm_idle(self);
                  st.detached = true;
                  if (!st.busy && !st.more) self->quit();
                },
                [self](caf::error&) { arm_idle(self); });
      },
  };
}

}  // namespace

caf::actor spawn_session(caf::local_actor* parent, session_config cfg, bool give_up_first) {
  return parent->spawn<caf::monitored>(session_actor, std::move(cfg), give_up_first);
}

}  // namespace vpnbot::telegram
