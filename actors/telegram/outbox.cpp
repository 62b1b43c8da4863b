#include "actors/telegram/outbox.hpp"

#include <array>
#include <caf/all.hpp>
#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "actors/actor_probe.hpp"
#include "actors/storage/db_request.hpp"
#include "actors/telegram/telegram_metrics.hpp"
#include "adapters/db/telegram_outbox_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/telegram/http_transport.hpp"
#include "adapters/telegram/in_doubt_policy.hpp"
#include "domain/cluster/leader_fence.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::telegram {
namespace {

// Time comes from the actor clock, so tests on the test coordinator move it.
using clock = caf::actor_clock;
constexpr const char* outbox_component = "telegram_outbox";
constexpr auto outbox_db_timeout = std::chrono::seconds(15);
constexpr std::size_t max_markings = 4;
// Items of the paid broadcast queue carry this bit in the outbox's ids, so
// both queues' ids live in one map.
constexpr outbox_queue::item_id paid_tag = outbox_queue::item_id{1} << 63;

struct sent_row {
  int64_t id;
  std::optional<int64_t> chat_id;
};

struct released_item {
  outbox_queue::item item;
};

struct outbox_state {
  outbox_config cfg;
  std::unique_ptr<outbox_queue> queue;
  // Paid broadcast messages: their own global bucket at paid_broadcast_rate.
  std::unique_ptr<outbox_queue> paid_queue;
  std::unique_ptr<actor_probe> probe;
  std::unordered_map<outbox_queue::item_id, db::outgoing_call> rows;  // queued or in flight
  std::unordered_set<int64_t> known;  // row ids queued, in flight or not yet recorded here
  std::set<int64_t> wanted;           // announced by kicks, not loaded yet
  // Reads of queued rows under way, and the rows recorded sent or failed
  // meanwhile: a read whose snapshot predates that record may still return
  // them as queued, and an unmarked call (needs_mark) has no mark to refuse
  // such a second copy.
  std::size_t reads = 0;
  std::unordered_set<int64_t> settled_during_reads;
  // Rows a scan brought, and the last of them recorded settled since: rows
  // handed over by the transaction that wrote them (outbox_rows) may arrive
  // after a sweep found, sent and settled them, and must not go twice.
  std::unordered_set<int64_t> scanned;
  std::unordered_set<int64_t> settled_scanned;
  std::deque<int64_t> settled_scanned_order;
  bool ready = false;  // in-doubt rows settled and the start scan done
  bool loading = false;
  std::optional<clock::time_point> wake_at;
  std::vector<int64_t> sent;  // to be marked sent
  std::vector<std::pair<int64_t, std::string>> failed;
  std::vector<int64_t> blocked_chats;
  bool flush_scheduled = false;
  bool flushing = false;
  std::vector<released_item> to_mark;  // released, to be marked 'sending'
  std::size_t markings = 0;            // marking transactions under way
  std::size_t marking_rows = 0;        // the rows they mark
  std::deque<released_item> line;      // marked, waiting for their turn to go out
  token_bucket global_send{1, 1};
  token_bucket paid_send{1, 1};
  std::unordered_map<int64_t, token_bucket> chat_send;
  bool pace_scheduled = false;
  std::size_t http_in_flight = 0;
  // Stopping: release nothing new, finish what is marked, record, quit.
  std::optional<caf::error> stopping;

  std::unique_ptr<telegram_metrics> metrics;
};

// The public interface plus the timers and steps it sends itself.
using outbox_impl = outbox_actor::extend<caf::reacts_to<recover_atom>, caf::reacts_to<tick_atom>,
                                         caf::reacts_to<flush_atom>, caf::reacts_to<sweep_atom>,
                                         caf::reacts_to<pace_atom>, caf::reacts_to<shutdown_atom>>;

using outbox_actor_t = outbox_impl::stateful_base<outbox_state>;

void pump(outbox_actor_t* self);
void load(outbox_actor_t* self);
api_request rebuild(const outbox_config& cfg, const db::outgoing_call& row);

outbox_queue& queue_of(outbox_state& st, outbox_queue::item_id id) {
  return (id & paid_tag) ? *st.paid_queue : *st.queue;
}

bool is_paid_broadcast(const db::outgoing_call& row) {
  return row.lane == static_cast<int>(lane::broadcast) && row.paid_broadcast;
}

void count_sent(outbox_actor_t* self, const std::string& method, const std::string& outcome) {
  self->state.metrics->sent.with({method, outcome}).inc();
}

void update_depth(outbox_actor_t* self) {
  static constexpr std::array<std::pair<lane, const char*>, lane_count> lanes{
      {{lane::transactional, "transactional"},
       {lane::interactive, "interactive"},
       {lane::reminder, "reminder"},
       {lane::broadcast, "broadcast"}}};
  for (auto [l, name] : lanes)
    self->state.metrics->outbox_queued.with({name}).set(
        static_cast<double>(self->state.queue->queued(l) + self->state.paid_queue->queued(l)));
}

// How many settled scanned rows are remembered: far more than settle in the
// moment a handed-over row is under way.
constexpr std::size_t settled_scanned_memory = 65536;

void forget(outbox_state& st, int64_t id) {
  st.known.erase(id);
  if (st.reads > 0) st.settled_during_reads.insert(id);
  if (!st.scanned.erase(id)) return;
  st.settled_scanned.insert(id);
  st.settled_scanned_order.push_back(id);
  if (st.settled_scanned_order.size() > settled_scanned_memory) {
    st.settled_scanned.erase(st.settled_scanned_order.front());
    st.settled_scanned_order.pop_front();
  }
}

// A read's rows, less those recorded settled while it was under way.
void read_done(outbox_state& st, caf::expected<std::vector<db::outgoing_call>>& rows) {
  --st.reads;
  if (rows)
    std::erase_if(*rows, [&](const auto& r) { return st.settled_during_reads.count(r.id) > 0; });
  if (st.reads == 0) st.settled_during_reads.clear();
}

void flush(outbox_actor_t* self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  if (st.flushing) return;
  if (st.sent.empty() && st.failed.empty() && st.blocked_chats.empty()) {
    if (st.stopping && st.line.empty() && st.markings == 0 && st.http_in_flight == 0)
      self->quit(*st.stopping);
    return;
  }
  st.flushing = true;
  auto sent = std::move(st.sent);
  auto failed = std::move(st.failed);
  auto blocked = std::move(st.blocked_chats);
  st.sent.clear();
  st.failed.clear();
  st.blocked_chats.clear();
  storage::db_request<bool>(
      self, self->state.cfg.wiring.db, "telegram_outbox.finish",
      [sent, failed, blocked](pqxx::dbtransaction& tx) {
        db::mark_outgoing_sent(tx, sent);
        for (const auto& [id, error] : failed) db::mark_outgoing_failed(tx, id, error);
        for (auto chat : blocked)
          if (auto user = db::find_user_by_telegram_id(tx, chat))
            db::set_blocked_bot(tx, user->id, true);
        return true;
      },
      outbox_db_timeout,
      [self, sent, failed, blocked](caf::expected<bool> r) mutable {
        auto& st = self->state;
        st.flushing = false;
        if (r) {
          // Recorded: a read begun from now on no longer finds them queued.
          for (auto id : sent) forget(st, id);
          for (const auto& f : failed) forget(st, f.first);
        } else {
          // The rows stay as they were ('sending', in doubt after a crash,
          // or 'queued' when unmarked: sent again); try again.
          log::warn(outbox_component, "could not record sent calls",
                    {{"error", to_string(r.error())}});
          st.sent.insert(st.sent.end(), sent.begin(), sent.end());
          st.failed.insert(st.failed.end(), failed.begin(), failed.end());
          st.blocked_chats.insert(st.blocked_chats.end(), blocked.begin(), blocked.end());
        }
        if (!st.sent.empty() || !st.failed.empty() || !st.blocked_chats.empty()) {
          st.flush_scheduled = true;
          self->delayed_send(self, st.cfg.flush_interval, flush_atom_v);
        } else if (st.stopping && st.line.empty() && st.markings == 0 && st.http_in_flight == 0) {
          self->quit(*st.stopping);
        }
      });
}

void schedule_flush(outbox_actor_t* self) {
  auto& st = self->state;
  if (st.flush_scheduled) return;
  st.flush_scheduled = true;
  self->delayed_send(self, st.cfg.flush_interval, flush_atom_v);
}

void finish(outbox_actor_t* self, outbox_queue::item_id item, const std::string& outcome,
            std::optional<std::string> error) {
  auto& st = self->state;
  auto it = st.rows.find(item);
  if (it == st.rows.end()) return;
  count_sent(self, it->second.method, outcome);
  if (error)
    st.failed.emplace_back(it->second.id, *error);
  else
    st.sent.push_back(it->second.id);
  st.rows.erase(it);
  schedule_flush(self);
}

void on_result(outbox_actor_t* self, outbox_queue::item_id item, clock::time_point started,
               const caf::expected<http_client_response>& response) {
  auto& st = self->state;
  --st.http_in_flight;
  auto row = st.rows.find(item);
  if (row == st.rows.end()) return;
  const auto method = row->second.method;
  st.metrics->send_seconds.with({method}).observe(
      std::chrono::duration<double>(self->clock().now() - started).count());
  auto result = outcome_of(response);
  auto& queue = queue_of(st, item);
  auto tag = item & paid_tag;
  if (result) {
    queue.succeeded(item & ~paid_tag);
    finish(self, item, "ok", std::nullopt);
    return pump(self);
  }
  const auto& error = result.error();
  auto outcome = queue.failed(item & ~paid_tag, error, self->clock().now());
  for (auto& dropped : outcome.dropped) dropped |= tag;
  switch (outcome.what) {
    case verdict::done:  // "message is not modified"
      finish(self, item, "ok", std::nullopt);
      break;
    case verdict::retry:
      count_sent(self, method, error.code == 429 ? "rate_limited" : "retry");
      if (error.code == 429) st.metrics->too_many_requests().inc();
      st.metrics->retries().inc();
      break;
    case verdict::unreachable:
      if (row->second.chat_id) st.blocked_chats.push_back(*row->second.chat_id);
      finish(self, item, "unreachable", outcome.reason);
      for (auto dropped : outcome.dropped) finish(self, dropped, "unreachable", outcome.reason);
      break;
    case verdict::give_up:
    case verdict::fatal:
      log::warn(outbox_component, "Bot API call given up",
                {{"method", method}, {"code", error.code}, {"reason", outcome.reason}});
      finish(self, item, "failed", outcome.reason.empty() ? error.description : outcome.reason);
      break;
  }
  pump(self);
}

void send(outbox_actor_t* self, outbox_queue::item item) {
  auto started = self->clock().now();
  auto request = to_http_request(item.request);
  auto timeout = request.total_timeout + std::chrono::seconds(5);
  auto id = item.id;
  ++self->state.http_in_flight;
  self->request(self->state.cfg.http, timeout, std::move(request))
      .then(
          [self, id, started](http_client_response& r) {
            on_result(self, id, started, caf::expected<http_client_response>{std::move(r)});
          },
          [self, id, started](caf::error& e) {
            on_result(self, id, started, caf::expected<http_client_response>{std::move(e)});
          });
}

void schedule_wake(outbox_actor_t* self, clock::time_point when) {
  auto& st = self->state;
  if (st.wake_at && *st.wake_at <= when) return;
  st.wake_at = when;
  auto delay = std::chrono::duration_cast<std::chrono::microseconds>(when - self->clock().now());
  self->delayed_send(self, std::max(delay, std::chrono::microseconds(0)), tick_atom_v);
}

// Sends what is marked as soon as the send-side buckets allow. The queue's
// buckets pace releases; these pace what Telegram actually sees, so a slow
// marking round trip (the database busy with the sessions' work) can
// neither bunch calls up nor hold them back longer than the limits require.
void drain_line(outbox_actor_t* self) {
  auto& st = self->state;
  st.pace_scheduled = false;
  while (!st.line.empty()) {
    auto now = self->clock().now();
    auto& front = st.line.front();
    auto chat = front.item.request.chat_id;
    auto at = now;
    if (chat) {
      auto it = st.chat_send.find(*chat);
      if (it == st.chat_send.end())
        it = st.chat_send
                 .emplace(*chat, token_bucket(st.cfg.rates.chat_rate, st.cfg.rates.chat_burst))
                 .first;
      auto& shared = (front.item.id & paid_tag) ? st.paid_send : st.global_send;
      at = std::max(shared.next_available(now), it->second.next_available(now));
      if (at <= now) {
        shared.try_take(now);
        it->second.try_take(now);
      }
    }
    if (at > now) {
      st.pace_scheduled = true;
      auto delay = std::chrono::duration_cast<std::chrono::microseconds>(at - now);
      self->delayed_send(self, delay, pace_atom_v);
      return;
    }
    auto item = std::move(front.item);
    st.line.pop_front();
    send(self, std::move(item));
  }
  // Chats whose send bucket is full again need no memory.
  if (st.chat_send.size() > 4096) {
    auto now = self->clock().now();
    std::erase_if(st.chat_send, [now](const auto& kv) { return kv.second.full_at() <= now; });
  }
}

// Several marking transactions at once, so a release waits for its own
// commit only, not for the one before it: a row is 'sending' (in doubt after
// a crash) for little more than the moment its call is on the wire. Order is
// safe: the queue releases a chat's next call only after the previous one
// completed, so two marks in flight never hold calls to one chat.
void mark_next(outbox_actor_t* self) {
  auto& st = self->state;
  if (st.markings >= max_markings || st.to_mark.empty()) return;
  ++st.markings;
  auto batch = std::move(st.to_mark);
  st.to_mark.clear();
  st.marking_rows += batch.size();
  std::vector<int64_t> ids;
  for (const auto& r : batch) ids.push_back(st.rows.at(r.item.id).id);
  // Committed before the calls: after a crash these rows are settled by
  // resend_after_crash rather than blindly sent a second time.
  storage::db_request<std::vector<int64_t>>(
      self, self->state.cfg.wiring.db, "telegram_outbox.sending",
      [ids, fence = st.cfg.wiring.fence](pqxx::dbtransaction& tx) {
        // On a cluster only the leader's outbox sends: one that woke up
        // after losing the lead marks, and so sends, nothing.
        if (fence && !fence->holds(tx)) return std::vector<int64_t>{};
        return db::mark_outgoing_sending(tx, ids);
      },
      outbox_db_timeout,
      [self, batch = std::move(batch)](caf::expected<std::vector<int64_t>> r) mutable {
        auto& st = self->state;
        --st.markings;
        st.marking_rows -= batch.size();
        if (r) {
          std::unordered_set<int64_t> marked(r->begin(), r->end());
          for (auto& b : batch) {
            auto row = st.rows.find(b.item.id);
            if (marked.count(row->second.id)) {
              st.line.push_back(std::move(b));
              continue;
            }
            // Recorded sent or failed since a scan read it queued (or
            // this node no longer leads): the copy is dropped, not sent a
            // second time.
            count_sent(self, row->second.method, "already_settled");
            queue_of(st, b.item.id).succeeded(b.item.id & ~paid_tag);
            forget(st, row->second.id);
            st.rows.erase(row);
          }
          if (!st.pace_scheduled) drain_line(self);
          pump(self);
        } else {
          for (auto& b : batch) {
            auto outcome =
                queue_of(st, b.item.id)
                    .failed(b.item.id & ~paid_tag,
                            transport_error("database unavailable: " + to_string(r.error())),
                            self->clock().now());
            if (outcome.what != verdict::retry) finish(self, b.item.id, "failed", outcome.reason);
          }
          pump(self);
        }
        mark_next(self);
      });
}

// A call sent again after a crash whatever its mark (resend_after_crash)
// needs no 'sending' mark on a single node: left 'queued', it is sent again
// all the same, so the mark's transaction would buy nothing. On a cluster
// the mark is also the leader's fence, so every call is marked there.
bool needs_mark(const outbox_state& st, const db::outgoing_call& row) {
  return st.cfg.wiring.fence ||
         !resend_after_crash(row.method, static_cast<lane>(std::clamp(row.lane, 0, 3)));
}

// Released and not yet answered; each answer pumps again.
std::size_t under_way(const outbox_state& st) {
  return st.to_mark.size() + st.marking_rows + st.line.size() + st.http_in_flight;
}

void pump(outbox_actor_t* self) {
  auto& st = self->state;
  if (st.stopping) return;
  std::optional<clock::time_point> wake;
  std::size_t released = 0;
  while (released < st.cfg.batch && under_way(st) < st.cfg.max_in_flight) {
    auto now = self->clock().now();
    auto next = st.queue->next_ready(now);
    if (!next.ready) {
      // Paid broadcast messages go when nothing else is ready.
      auto paid = st.paid_queue->next_ready(now);
      if (!paid.ready) {
        wake = next.wake_at;
        if (paid.wake_at && (!wake || *paid.wake_at < *wake)) wake = paid.wake_at;
        break;
      }
      paid.ready->id |= paid_tag;
      next = std::move(paid);
    }
    if (needs_mark(st, st.rows.at(next.ready->id)))
      st.to_mark.push_back({std::move(*next.ready)});
    else
      st.line.push_back({std::move(*next.ready)});
    ++released;
  }
  update_depth(self);
  if (wake)
    schedule_wake(self, *wake);
  else if (released == st.cfg.batch && under_way(st) < st.cfg.max_in_flight)
    schedule_wake(self, self->clock().now());
  if (!st.line.empty() && !st.pace_scheduled) drain_line(self);
  mark_next(self);
}

api_request rebuild(const outbox_config& cfg, const db::outgoing_call& row) {
  api_request r;
  r.method = row.method;
  r.base_url = cfg.api.base_url();
  r.path = cfg.api.path(row.method);
  r.redacted_url = cfg.api.redacted_url(row.method);
  r.content_type = row.content_type;
  r.body = row.body;
  r.chat_id = row.chat_id;
  return r;
}

enum class source { scan, kick, handed };

void accept(outbox_actor_t* self, std::vector<db::outgoing_call>& rows, source from) {
  auto& st = self->state;
  if (st.stopping) return;
  for (auto& row : rows) {
    if (from == source::handed && st.settled_scanned.count(row.id)) continue;
    if (!st.known.insert(row.id).second) continue;  // from both the scan and a kick
    if (from == source::scan) st.scanned.insert(row.id);
    auto lane_of = static_cast<lane>(std::clamp(row.lane, 0, 3));
    auto item = is_paid_broadcast(row)
                    ? st.paid_queue->push(lane_of, rebuild(st.cfg, row)) | paid_tag
                    : st.queue->push(lane_of, rebuild(st.cfg, row));
    st.rows.emplace(item, std::move(row));
  }
  pump(self);
}

// Every queued row not known here, in pages by id: at start (then the
// outbox is ready for kicks) and every sweep_interval after, the safety net
// for a lost kick (a session that died between its commit and its kick).
void scan(outbox_actor_t* self, int64_t after) {
  if (self->state.stopping) return;
  auto limit = static_cast<int>(self->state.cfg.batch);
  ++self->state.reads;
  storage::db_request<std::vector<db::outgoing_call>>(
      self, self->state.cfg.wiring.db, "telegram_outbox.scan",
      [after, limit](pqxx::dbtransaction& tx) { return db::queued_outgoing(tx, after, limit); },
      outbox_db_timeout,
      [self, after, limit](caf::expected<std::vector<db::outgoing_call>> rows) {
        auto& st = self->state;
        // The page's end and size as read, before read_done drops rows.
        auto last = rows && !rows->empty() ? rows->back().id : after;
        auto full = rows && rows->size() == static_cast<std::size_t>(limit);
        read_done(st, rows);
        if (!rows) {
          log::warn(outbox_component, "could not load queued calls",
                    {{"error", to_string(rows.error())}});
          if (st.ready)
            self->delayed_send(self, st.cfg.sweep_interval, sweep_atom_v);
          else
            self->delayed_send(self, std::chrono::seconds(1), recover_atom_v);
          return;
        }
        accept(self, *rows, source::scan);
        if (full) return scan(self, last);
        if (!st.ready) {
          st.ready = true;
          load(self);
        }
        self->delayed_send(self, st.cfg.sweep_interval, sweep_atom_v);
      });
}

// The rows kicks announced, one query at a time.
void load(outbox_actor_t* self) {
  auto& st = self->state;
  if (!st.ready || st.loading || st.wanted.empty()) return;
  st.loading = true;
  std::vector<int64_t> ids;
  for (auto id : st.wanted)
    if (!st.known.count(id)) ids.push_back(id);
  st.wanted.clear();
  ++st.reads;
  storage::db_request<std::vector<db::outgoing_call>>(
      self, self->state.cfg.wiring.db, "telegram_outbox.load",
      [ids](pqxx::dbtransaction& tx) { return db::queued_outgoing(tx, ids); }, outbox_db_timeout,
      [self, ids](caf::expected<std::vector<db::outgoing_call>> rows) {
        auto& st = self->state;
        st.loading = false;
        read_done(st, rows);
        if (!rows) {
          log::warn(outbox_component, "could not load queued calls",
                    {{"error", to_string(rows.error())}});
          st.wanted.insert(ids.begin(), ids.end());
          self->delayed_send(self, std::chrono::seconds(1), outbox_kick_atom_v,
                             std::vector<int64_t>{});
          return;
        }
        accept(self, *rows, source::kick);
        load(self);
      });
}

void settle_in_doubt(outbox_actor_t* self) {
  storage::db_request<db::settled_in_flight>(
      self, self->state.cfg.wiring.db, "telegram_outbox.settle",
      [](pqxx::dbtransaction& tx) {
        return db::settle_in_flight(tx, [](const std::string& method, int l) {
          return resend_after_crash(method, static_cast<lane>(std::clamp(l, 0, 3)));
        });
      },
      outbox_db_timeout,
      [self](caf::expected<db::settled_in_flight> n) {
        if (!n) {
          log::warn(outbox_component, "database not ready, retrying",
                    {{"error", to_string(n.error())}});
          self->delayed_send(self, std::chrono::milliseconds(500), recover_atom_v);
          return;
        }
        auto& m = *self->state.metrics;
        if (n->resent > 0) {
          log::warn(outbox_component, "calls in flight at the last stop are sent again",
                    {{"count", n->resent}});
          m.resent_after_crash().inc(static_cast<double>(n->resent));
        }
        if (n->in_doubt > 0) {
          log::warn(outbox_component,
                    "calls in flight at the last stop are in doubt and not resent",
                    {{"count", n->in_doubt}});
          m.in_doubt().inc(static_cast<double>(n->in_doubt));
        }
        scan(self, 0);
      });
}

outbox_impl::behavior_type outbox_behavior(outbox_actor_t* self, outbox_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.queue = std::make_unique<outbox_queue>(st.cfg.rates);
  auto paid_rates = st.cfg.rates;
  paid_rates.global_rate = st.cfg.paid_broadcast_rate;
  paid_rates.global_burst = std::max(1u, static_cast<unsigned>(st.cfg.paid_broadcast_rate / 10));
  st.paid_queue = std::make_unique<outbox_queue>(paid_rates);
  // A graceful stop sends what is already in the line (a call marked
  // 'sending' would else be in doubt at the next start) and records the
  // outcomes, within a bound.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    if (msg.reason != caf::exit_reason::user_shutdown || st.stopping) return self->quit(msg.reason);
    st.stopping = msg.reason;
    // Not marked yet: they stay queued for the next start.
    st.to_mark.clear();
    self->delayed_send(self, std::chrono::seconds(3), shutdown_atom_v);
    self->send(self, flush_atom_v);
  });
  st.global_send = token_bucket(st.cfg.rates.global_rate, st.cfg.rates.global_burst);
  st.paid_send = token_bucket(paid_rates.global_rate, paid_rates.global_burst);
  st.probe = std::make_unique<actor_probe>("telegram_outbox", *st.cfg.registry);
  st.metrics = std::make_unique<telegram_metrics>(*st.cfg.registry);
  publish(self, self->state.cfg.wiring.outbox);
  self->send(self, recover_atom_v);
  auto& probe = *st.probe;
  return {
      instrumented(self, probe, [self](recover_atom) { settle_in_doubt(self); }),
      instrumented(self, probe,
                   [self](outbox_kick_atom, std::vector<int64_t>& ids) {
                     self->state.wanted.insert(ids.begin(), ids.end());
                     load(self);
                   }),
      instrumented(self, probe,
                   [self](outbox_rows_atom, std::vector<db::outgoing_call>& rows) {
                     auto& st = self->state;
                     // Before the start's scan is done, as a kick: read back then.
                     if (!st.ready) {
                       for (const auto& r : rows) st.wanted.insert(r.id);
                       return;
                     }
                     accept(self, rows, source::handed);
                   }),
      instrumented(self, probe,
                   [self](tick_atom) {
                     self->state.wake_at.reset();
                     pump(self);
                   }),
      instrumented(self, probe, [self](flush_atom) { flush(self); }),
      instrumented(self, probe, [self](sweep_atom) { scan(self, 0); }),
      instrumented(self, probe, [self](pace_atom) { drain_line(self); }),
      instrumented(self, probe,
                   [self](shutdown_atom) {
                     log::warn(outbox_component, "stopped before every marked call was sent");
                     self->quit(*self->state.stopping);
                   }),
  };
}

}  // namespace

outbox_actor spawn_outbox(caf::actor_system& sys, outbox_config cfg) {
  return caf::actor_cast<outbox_actor>(sys.spawn(outbox_behavior, std::move(cfg)));
}

}  // namespace vpnbot::telegram
