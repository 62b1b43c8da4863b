#include "adapters/telegram/outbox_queue.hpp"

#include <algorithm>
#include <set>

namespace vpnbot::telegram {

outbox_queue::outbox_queue(outbox_settings s)
    : settings_(std::move(s)), global_(settings_.global_rate, settings_.global_burst) {}

std::optional<std::size_t> outbox_queue::top_lane(const chat_state& c) {
  for (std::size_t l = 0; l < lane_count; ++l)
    if (!c.pending[l].empty()) return l;
  return std::nullopt;
}

outbox_queue::chat_state* outbox_queue::live(std::int64_t chat, std::uint64_t ticket) {
  auto it = chats_.find(chat);
  if (it == chats_.end() || it->second.ticket != ticket) return nullptr;
  return &it->second;
}

void outbox_queue::make_ready(std::int64_t chat, chat_state& c) {
  if (c.at != place::ready) ++ready_count_;
  c.at = place::ready;
  c.ticket = next_ticket_++;
  ready_[*top_lane(c)].push_back({chat, c.ticket});
}

void outbox_queue::make_timed(std::int64_t chat, chat_state& c, time_point when) {
  if (c.at == place::ready) --ready_count_;
  c.at = place::timed;
  c.ticket = next_ticket_++;
  timed_.push({when, chat, c.ticket});
}

void outbox_queue::make_idle(std::int64_t chat, chat_state& c) {
  if (c.at == place::ready) --ready_count_;
  c.at = place::nowhere;
  c.ticket = next_ticket_++;
  idle_.push({c.bucket.full_at(), chat, c.ticket});
}

// The chat's item left flight: its next item, if any, queues behind the
// chats already waiting in its lane (the round robin).
void outbox_queue::release(std::int64_t chat, chat_state& c) {
  c.busy = false;
  if (top_lane(c))
    make_ready(chat, c);
  else
    make_idle(chat, c);
}

std::size_t outbox_queue::queued() const {
  std::size_t n = 0;
  for (auto q : queued_) n += q;
  return n;
}

outbox_queue::item_id outbox_queue::push(lane l, api_request request) {
  item it{next_id_++, l, std::move(request), {}};
  auto id = it.id;
  ++queued_[static_cast<std::size_t>(l)];
  if (!it.request.chat_id) {
    unmetered_.push_back(std::move(it));
    return id;
  }
  auto chat = *it.request.chat_id;
  auto& c = chats_.try_emplace(chat, settings_).first->second;
  auto before = top_lane(c);
  c.pending[static_cast<std::size_t>(l)].push_back(std::move(it));
  if (c.busy || c.at == place::timed) return id;  // looked at again when it lands or wakes
  if (c.at == place::nowhere || static_cast<std::size_t>(l) < *before) make_ready(chat, c);
  return id;
}

void outbox_queue::wake(time_point now) {
  while (!unmetered_later_.empty() && unmetered_later_.begin()->first <= now) {
    unmetered_.push_back(std::move(unmetered_later_.begin()->second));
    unmetered_later_.erase(unmetered_later_.begin());
  }
  while (!timed_.empty() && timed_.top().when <= now) {
    auto e = timed_.top();
    timed_.pop();
    if (auto* c = live(e.chat, e.ticket)) make_ready(e.chat, *c);
  }
  while (!idle_.empty() && idle_.top().when <= now) {
    auto e = idle_.top();
    idle_.pop();
    auto* c = live(e.chat, e.ticket);
    if (!c) continue;
    if (c->bucket.full_at() <= now)
      chats_.erase(e.chat);
    else
      make_idle(e.chat, *c);  // held longer after it went idle
  }
}

std::optional<outbox_queue::time_point> outbox_queue::earliest_wake() {
  while (!timed_.empty() && !live(timed_.top().chat, timed_.top().ticket)) timed_.pop();
  std::optional<time_point> t;
  if (!timed_.empty()) t = timed_.top().when;
  if (!unmetered_later_.empty() && (!t || unmetered_later_.begin()->first < *t))
    t = unmetered_later_.begin()->first;
  return t;
}

outbox_queue::next outbox_queue::next_ready(time_point now) {
  wake(now);
  if (!unmetered_.empty()) {
    auto it = std::move(unmetered_.front());
    unmetered_.pop_front();
    --queued_[static_cast<std::size_t>(it.lane)];
    in_flight_.emplace(it.id, it);
    return {std::move(it), std::nullopt};
  }
  if (ready_count_ > 0) {
    if (auto g = global_.next_available(now); g > now) {
      auto other = earliest_wake();
      return {std::nullopt, other && *other < g ? *other : g};
    }
    for (auto& lane_queue : ready_) {
      while (!lane_queue.empty()) {
        auto e = lane_queue.front();
        lane_queue.pop_front();
        auto* c = live(e.chat, e.ticket);
        if (!c) continue;
        if (auto t = c->bucket.next_available(now); t > now) {
          make_timed(e.chat, *c, t);
          continue;
        }
        --ready_count_;
        c->at = place::nowhere;
        c->busy = true;
        c->bucket.try_take(now);
        global_.try_take(now);
        auto& q = c->pending[*top_lane(*c)];
        auto it = std::move(q.front());
        q.pop_front();
        --queued_[static_cast<std::size_t>(it.lane)];
        in_flight_.emplace(it.id, it);
        return {std::move(it), std::nullopt};
      }
    }
  }
  return {std::nullopt, earliest_wake()};
}

outbox_queue::outcome outbox_queue::succeeded(item_id id) {
  auto f = in_flight_.find(id);
  if (f == in_flight_.end()) return {verdict::give_up, std::nullopt, false, {}, "unknown item"};
  auto chat = f->second.request.chat_id;
  in_flight_.erase(f);
  if (chat) release(*chat, chats_.at(*chat));
  return {};
}

void outbox_queue::note_flood(std::int64_t chat, time_point now, time_point until) {
  recent_floods_.emplace_back(now, chat);
  while (!recent_floods_.empty() && recent_floods_.front().first + settings_.flood_window <= now)
    recent_floods_.pop_front();
  std::set<std::int64_t> chats;
  for (const auto& f : recent_floods_) chats.insert(f.second);
  if (chats.size() >= settings_.flood_chats_for_global_hold) global_.hold_until(until);
}

outbox_queue::outcome outbox_queue::failed(item_id id, const telegram_error& e, time_point now) {
  auto f = in_flight_.find(id);
  if (f == in_flight_.end()) return {verdict::give_up, std::nullopt, false, {}, "unknown item"};
  auto it = std::move(f->second);
  in_flight_.erase(f);
  auto d = decide(e, it.attempts, settings_.retry);
  outcome out{d.what, std::nullopt, d.mark_blocked, {}, d.reason};
  if (e.kind == error_kind::flood) ++it.attempts.floods;
  if (e.kind == error_kind::server_error || e.kind == error_kind::transport) ++it.attempts.failures;
  auto chat = it.request.chat_id;

  if (d.what == verdict::retry) {
    auto at = now + d.delay;
    out.retry_at = at;
    ++queued_[static_cast<std::size_t>(it.lane)];
    if (!chat) {
      unmetered_later_.emplace(at, std::move(it));
      return out;
    }
    auto& c = chats_.at(*chat);
    c.busy = false;
    c.bucket.hold_until(at);
    if (e.kind == error_kind::flood) note_flood(*chat, now, at);
    // First in its lane again: nothing queued behind it may overtake it.
    c.pending[static_cast<std::size_t>(it.lane)].push_front(std::move(it));
    make_timed(*chat, c, at);
    return out;
  }
  if (!chat) return out;
  auto& c = chats_.at(*chat);
  if (d.what == verdict::unreachable) {
    for (std::size_t l = 0; l < lane_count; ++l) {
      for (const auto& dropped : c.pending[l]) out.dropped.push_back(dropped.id);
      queued_[l] -= c.pending[l].size();
    }
    chats_.erase(*chat);  // leaves only stale entries behind
    return out;
  }
  release(*chat, c);
  return out;
}

}  // namespace vpnbot::telegram
