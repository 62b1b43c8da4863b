#include "actors/telegram/update_poller.hpp"

#include <caf/all.hpp>
#include <charconv>

#include "actors/actor_probe.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/session_manager.hpp"
#include "actors/telegram/telegram_metrics.hpp"
#include "adapters/db/telegram_repository.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/telegram/bot_api.hpp"
#include "adapters/telegram/http_transport.hpp"
#include "adapters/telegram/result_elements.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "domain/outbox/update_store.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::telegram {
namespace {

constexpr const char* update_poller_component = "telegram_poller";
constexpr auto update_poller_db_timeout = std::chrono::seconds(15);
const std::vector<std::string> wanted_updates = {"message", "edited_message", "callback_query",
                                                 "pre_checkout_query", "my_chat_member"};

struct poller_state {
  update_poller_config cfg;
  std::optional<int64_t> offset;  // next update_id wanted
  bool offset_known = false;
  std::chrono::milliseconds backoff{0};
  std::unique_ptr<actor_probe> probe;
  std::unique_ptr<telegram_metrics> metrics;
};

using update_poller_actor_t = caf::stateful_actor<poller_state>;

void retry_later(update_poller_actor_t* self, std::chrono::milliseconds delay) {
  self->delayed_send(self, delay, poll_atom_v);
}

void back_off(update_poller_actor_t* self) {
  auto& b = self->state.backoff;
  b = std::min(std::max(b * 2, std::chrono::milliseconds(500)), std::chrono::milliseconds(30000));
  retry_later(self, b);
}

void count(update_poller_actor_t* self, const std::string& outcome) {
  self->state.metrics->polls.with({outcome}).inc();
}

void store_batch(update_poller_actor_t* self, std::vector<std::string> batch) {
  auto bot_id = self->state.cfg.bot_id;
  storage::db_request<std::optional<stored_updates>>(
      self, self->state.cfg.wiring.db, "telegram.store_updates",
      [bot_id, batch = std::move(batch), fence = self->state.cfg.wiring.fence](
          pqxx::dbtransaction& tx) -> std::optional<stored_updates> {
        // On a cluster only the leader stores, and so confirms, what it polled.
        if (fence && !fence->holds(tx)) return std::nullopt;
        auto stored = store_updates(tx, batch);
        if (stored.last_update_id) db::advance_offset(tx, bot_id, *stored.last_update_id);
        return stored;
      },
      update_poller_db_timeout,
      [self](caf::expected<std::optional<stored_updates>> answer) {
        auto& st = self->state;
        if (!answer) {
          // Not acknowledged: Telegram hands the same batch out again.
          log::warn(update_poller_component, "could not store updates",
                    {{"error", to_string(answer.error())}});
          return back_off(self);
        }
        if (!*answer) {
          count(self, "not_leader");
          log::warn(update_poller_component,
                    "polled updates left to the leader: this node no longer leads");
          return back_off(self);
        }
        const auto& stored = **answer;
        if (stored.last_update_id) st.offset = *stored.last_update_id + 1;
        if (stored.malformed > 0)
          log::warn(update_poller_component, "malformed updates skipped",
                    {{"count", stored.malformed}});
        st.metrics->updates_received().inc(stored.new_updates);
        for (auto user : stored.users) self->state.cfg.wiring.kick_session(user);
        st.backoff = std::chrono::milliseconds(0);
        self->send(self, poll_atom_v);
      });
}

// The usual answer, a success with updates, is split into the updates'
// texts without a document; anything else is read in full.
std::optional<std::vector<std::string>> updates_in(const caf::expected<http_client_response>& r) {
  if (!r) return std::nullopt;
  auto elements = success_array_elements(r->body);
  if (!elements) return std::nullopt;
  return std::vector<std::string>(elements->begin(), elements->end());
}

void on_batch(update_poller_actor_t* self, std::vector<std::string> batch) {
  count(self, "ok");
  if (batch.empty()) {
    self->state.backoff = std::chrono::milliseconds(0);
    return self->send(self, poll_atom_v);
  }
  store_batch(self, std::move(batch));
}

void on_answer(update_poller_actor_t* self, caf::expected<http_client_response> response) {
  auto& st = self->state;
  if (auto batch = updates_in(response)) return on_batch(self, std::move(*batch));
  auto result = from_http_result(response);
  if (!result) {
    const auto& e = result.error();
    if (e.code == 409) {
      count(self, "conflict");
      log::error(
          update_poller_component,
          "Telegram refuses getUpdates: another poller runs with this token or a webhook "
          "is set (use telegram.mode = \"webhook\", or deleteWebhook)",
          {{"description", e.description}, {"retry_in_ms", st.cfg.conflict_backoff.count()}});
      return retry_later(self, st.cfg.conflict_backoff);
    }
    if (e.code == 401 || e.code == 404) {
      count(self, "unauthorized");
      log::error(update_poller_component, "Telegram rejects the bot token; check telegram.token",
                 {{"code", e.code}, {"retry_in_ms", st.cfg.conflict_backoff.count()}});
      return retry_later(self, st.cfg.conflict_backoff);
    }
    count(self, e.code == 429 ? "rate_limited" : "error");
    log::warn(update_poller_component, "getUpdates failed",
              {{"code", e.code}, {"error", e.description}});
    if (e.retry_after) return retry_later(self, std::chrono::seconds(*e.retry_after));
    return back_off(self);
  }
  if (!result->is_array()) {
    count(self, "error");
    log::warn(update_poller_component, "getUpdates answered something other than an array");
    return back_off(self);
  }
  std::vector<std::string> batch;
  for (const auto& u : *result)
    batch.push_back(u.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  on_batch(self, std::move(batch));
}

void poll(update_poller_actor_t* self) {
  auto& st = self->state;
  if (!st.offset_known) {
    auto bot_id = st.cfg.bot_id;
    storage::db_request<std::optional<int64_t>>(
        self, self->state.cfg.wiring.db, "telegram.offset",
        [bot_id](pqxx::dbtransaction& tx) { return db::offset_of(tx, bot_id); },
        update_poller_db_timeout,
        [self](caf::expected<std::optional<int64_t>> last) {
          auto& st = self->state;
          if (!last) return back_off(self);
          st.offset_known = true;
          if (*last) st.offset = **last + 1;
          self->send(self, poll_atom_v);
        });
    return;
  }
  get_updates params;
  params.offset = st.offset;
  params.limit = 100;
  params.timeout_seconds = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(st.cfg.poll_timeout).count());
  params.allowed_updates = wanted_updates;
  auto request = build(st.cfg.api, params);
  auto http = to_http_request(*request);
  auto timeout = http.total_timeout + std::chrono::seconds(5);
  self->request(st.cfg.http, timeout, std::move(http))
      .then([self](http_client_response& r) { on_answer(self, std::move(r)); },
            [self](caf::error& e) { on_answer(self, std::move(e)); });
}

caf::behavior update_poller_actor(update_poller_actor_t* self, update_poller_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.probe = std::make_unique<actor_probe>("telegram_poller", *st.cfg.registry);
  st.metrics = std::make_unique<telegram_metrics>(*st.cfg.registry);
  self->send(self, poll_atom_v);
  return {instrumented(self, *st.probe, [self](poll_atom) { poll(self); })};
}

}  // namespace

caf::actor spawn_update_poller(caf::actor_system& sys, update_poller_config cfg) {
  return sys.spawn(update_poller_actor, std::move(cfg));
}

int64_t bot_id_of_token(std::string_view token) {
  auto colon = token.find(':');
  int64_t id = 0;
  auto digits = token.substr(0, colon);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (colon == std::string_view::npos || ec != std::errc{} || p != digits.data() + digits.size())
    return 0;
  return id;
}

}  // namespace vpnbot::telegram
