#include "actors/telegram/session_manager.hpp"

#include <caf/all.hpp>
#include <deque>
#include <set>
#include <unordered_map>

#include "actors/actor_probe.hpp"
#include "actors/cluster/cluster_metrics.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/session.hpp"
#include "adapters/db/telegram_repository.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "adapters/telegram/http_transport.hpp"
#include "adapters/telegram/update_parser.hpp"
#include "domain/cluster/rendezvous.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::telegram {
namespace {

// Time comes from the actor clock, so tests on the test coordinator move it.
using clock = caf::actor_clock;
constexpr const char* session_manager_component = "telegram_sessions";
constexpr unsigned crashes_before_give_up = 3;

struct manager_state {
  session_manager_config cfg;
  // What its sessions share, the bot's profile included: set once getMe answered.
  std::shared_ptr<const session_context> shared;
  std::unordered_map<int64_t, caf::actor> sessions;
  std::unordered_map<caf::actor_addr, int64_t> users_of;
  std::set<int64_t> waiting;  // kicked before the profile was known
  std::unordered_map<int64_t, std::deque<clock::time_point>> crashes;
  // On a cluster: the nodes the router routes to and this node's name.
  std::vector<std::string> cluster_nodes;
  std::string cluster_self;
  std::unique_ptr<cluster::cluster_metrics> cluster_metrics;
  std::unique_ptr<actor_probe> probe;
  std::chrono::milliseconds get_me_retry{500};

  std::shared_ptr<const telegram_metrics> metrics;
};

// The public interface plus the getMe retries and the idle sweep it sends
// itself.
using manager_impl =
    session_manager_actor::extend<caf::reacts_to<tick_atom>, caf::reacts_to<idle_atom>>;

using session_manager_actor_t = manager_impl::stateful_base<manager_state>;

void update_gauge(session_manager_actor_t* self) {
  auto& st = self->state;
  st.metrics->sessions_live().set(static_cast<double>(st.sessions.size()));
  if (st.cluster_metrics)
    st.cluster_metrics->sessions_owned().set(static_cast<double>(st.sessions.size()));
}

// Users another node owns now are its to serve: their sessions end here
// (their state is the database's; a transaction under way commits or not
// as a whole, and the owner takes up from there under the user's lock).
void follow_view(session_manager_actor_t* self, std::vector<std::string> nodes, std::string me) {
  auto& st = self->state;
  if (!st.cluster_metrics)
    st.cluster_metrics = std::make_unique<cluster::cluster_metrics>(*st.cfg.registry);
  st.cluster_nodes = std::move(nodes);
  st.cluster_self = std::move(me);
  for (auto it = st.sessions.begin(); it != st.sessions.end();) {
    if (cluster::owner_of(it->first, st.cluster_nodes) == st.cluster_self) {
      ++it;
      continue;
    }
    st.users_of.erase(it->second.address());
    self->send_exit(it->second, caf::exit_reason::user_shutdown);
    st.metrics->sessions_passivated().inc();
    it = st.sessions.erase(it);
  }
  update_gauge(self);
}

void kick(session_manager_actor_t* self, int64_t user, bool give_up_first = false) {
  auto& st = self->state;
  if (!st.shared) {
    st.waiting.insert(user);
    return;
  }
  auto it = st.sessions.find(user);
  if (it == st.sessions.end()) {
    session_config sc;
    sc.user_id = user;
    sc.manager = caf::actor_cast<caf::actor>(self);
    sc.context = st.shared;
    auto session = spawn_session(self, std::move(sc), give_up_first);
    st.users_of[session.address()] = user;
    it = st.sessions.emplace(user, session).first;
    st.metrics->sessions_spawned().inc();
    update_gauge(self);
  }
  caf::anon_send(it->second, session_kick_atom_v);
}

// Every session is asked now and then whether it has been idle for
// idle_timeout; those that have offer to be forgotten (idle_atom, user).
// Passivation thus comes between idle_timeout and 1.5 × idle_timeout.
void sweep_idle(session_manager_actor_t* self) {
  auto& st = self->state;
  for (const auto& [user, session] : st.sessions) caf::anon_send(session, idle_atom_v);
  auto every = std::max(st.cfg.idle_timeout / 2, std::chrono::milliseconds(50));
  self->delayed_send(self, every, idle_atom_v);
}

void recover(session_manager_actor_t* self) {
  storage::db_request<std::vector<int64_t>>(
      self, self->state.cfg.wiring.db, "telegram.pending_users",
      [](pqxx::dbtransaction& tx) { return db::users_with_pending_updates(tx); },
      std::chrono::seconds(15),
      [self](caf::expected<std::vector<int64_t>> users) {
        if (!users) {
          log::warn(session_manager_component, "recovery query failed, retrying",
                    {{"error", to_string(users.error())}});
          self->delayed_send(self, std::chrono::seconds(1), recover_atom_v);
          return;
        }
        if (!users->empty())
          log::info(session_manager_component, "resuming updates left unhandled",
                    {{"users", users->size()}});
        for (auto user : *users) kick(self, user);
      });
}

void ask_get_me(session_manager_actor_t* self) {
  auto& st = self->state;
  auto request = build(st.cfg.bot.api, get_me{});
  self->request(st.cfg.http, std::chrono::seconds(60), to_http_request(*request))
      .then(
          [self](http_client_response& r) {
            auto& st = self->state;
            auto result = from_http_result(caf::expected<http_client_response>{std::move(r)});
            auto me = result ? parse_user(*result) : fail(std::string());
            if (!result || !me || !me->username) {
              auto why = result ? std::string("no username in getMe") : result.error().description;
              log::error(session_manager_component, "getMe failed; is telegram.token right?",
                         {{"error", why}, {"retry_in_ms", st.get_me_retry.count()}});
              self->delayed_send(self, st.get_me_retry, tick_atom_v);
              st.get_me_retry = std::min(st.get_me_retry * 2, std::chrono::milliseconds(30000));
              return;
            }
            auto profile = st.cfg.bot;
            profile.username = *me->username;
            auto context = std::make_shared<session_context>();
            context->bot = std::make_shared<const bot_profile>(std::move(profile));
            context->idle_timeout = st.cfg.idle_timeout;
            context->metrics = st.metrics;
            context->wiring = st.cfg.wiring;
            st.shared = std::move(context);
            log::info(session_manager_component, "bot identity confirmed",
                      {{"username", *me->username}});
            auto waiting = std::move(st.waiting);
            st.waiting.clear();
            for (auto user : waiting) kick(self, user);
            recover(self);
          },
          [self](caf::error& e) {
            auto& st = self->state;
            log::warn(session_manager_component, "getMe did not answer, retrying",
                      {{"error", to_string(e)}});
            self->delayed_send(self, st.get_me_retry, tick_atom_v);
            st.get_me_retry = std::min(st.get_me_retry * 2, std::chrono::milliseconds(30000));
          });
}

void on_down(session_manager_actor_t* self, const caf::down_msg& down) {
  auto& st = self->state;
  auto found = st.users_of.find(down.source);
  if (found == st.users_of.end()) return;
  auto user = found->second;
  st.users_of.erase(found);
  if (auto it = st.sessions.find(user);
      it != st.sessions.end() && it->second.address() == down.source)
    st.sessions.erase(it);
  update_gauge(self);
  if (!down.reason) return;
  // A crash: the user's updates are still in the database; start over now.
  st.metrics->session_crashes().inc();
  log::warn(session_manager_component, "session crashed, restarting it",
            {{"user", user}, {"reason", to_string(down.reason)}});
  auto& times = st.crashes[user];
  auto now = self->clock().now();
  times.push_back(now);
  while (!times.empty() && now - times.front() > std::chrono::minutes(1)) times.pop_front();
  bool give_up_first = times.size() >= crashes_before_give_up;
  if (give_up_first) times.clear();
  kick(self, user, give_up_first);
}

manager_impl::behavior_type session_manager_behavior(session_manager_actor_t* self,
                                                     session_manager_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.probe = std::make_unique<actor_probe>("telegram_session_manager", *st.cfg.registry);
  st.metrics = std::make_shared<const telegram_metrics>(*st.cfg.registry);
  publish(self, self->state.cfg.wiring.sessions);
  self->set_down_handler([self](caf::down_msg& down) { on_down(self, down); });
  ask_get_me(self);
  sweep_idle(self);
  auto& probe = *st.probe;
  return {
      instrumented(self, probe, [self](session_kick_atom, int64_t user) { kick(self, user); }),
      instrumented(self, probe, [self](recover_atom) { recover(self); }),
      instrumented(self, probe, [self](tick_atom) { ask_get_me(self); }),
      instrumented(self, probe, [self](idle_atom) { sweep_idle(self); }),
      instrumented(self, probe,
                   [self](idle_atom, int64_t user) {
                     auto& st = self->state;
                     auto it = st.sessions.find(user);
                     if (it == st.sessions.end()) return true;
                     if (it->second.address() !=
                         caf::actor_cast<caf::actor_addr>(self->current_sender()))
                       return true;
                     st.sessions.erase(it);
                     st.metrics->sessions_passivated().inc();
                     update_gauge(self);
                     return true;
                   }),
      instrumented(
          self, probe,
          [self](live_sessions_atom) -> std::size_t { return self->state.sessions.size(); }),
      instrumented(self, probe,
                   [self](cluster_view_atom, std::vector<std::string>& nodes, std::string& me) {
                     follow_view(self, std::move(nodes), std::move(me));
                   }),
      instrumented(self, probe,
                   [self](session_of_atom, int64_t user) {
                     auto it = self->state.sessions.find(user);
                     return it == self->state.sessions.end() ? caf::actor{} : it->second;
                   }),
  };
}

}  // namespace

session_manager_actor spawn_session_manager(caf::actor_system& sys, session_manager_config cfg) {
  return caf::actor_cast<session_manager_actor>(
      sys.spawn(session_manager_behavior, std::move(cfg)));
}

}  // namespace vpnbot::telegram
