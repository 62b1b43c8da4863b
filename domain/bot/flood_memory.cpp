#include "domain/bot/flood_memory.hpp"

#include <algorithm>
#include <chrono>

namespace vpnbot::telegram {
namespace {

int64_t window_us(const db::flood_rule& rule) {
  return std::chrono::duration_cast<std::chrono::microseconds>(rule.window).count();
}

// As the database counts: received strictly after the update's time less
// the window.
bool in_window(int64_t t, int64_t received_us, const db::flood_rule& rule) {
  return t > received_us - window_us(rule);
}

}  // namespace

flood_memory seeded_flood_memory(const db::flood_window& window) {
  flood_memory m;
  m.known = true;
  m.received_us.assign(window.earlier_us.begin(), window.earlier_us.end());
  std::sort(m.received_us.begin(), m.received_us.end());
  m.warned_us = window.warned_us;
  return m;
}

flood_verdict judge_flood(const flood_memory& memory, int64_t received_us,
                          const db::flood_rule& rule) {
  flood_verdict v;
  v.earlier_in_window =
      std::min<int64_t>(std::count_if(memory.received_us.begin(), memory.received_us.end(),
                                      [&](int64_t t) { return in_window(t, received_us, rule); }),
                        rule.limit);
  v.warned_in_window = memory.warned_us != 0 && in_window(memory.warned_us, received_us, rule);
  return v;
}

void remember_update(flood_memory& memory, int64_t received_us, bool warned,
                     const db::flood_rule& rule) {
  auto& times = memory.received_us;
  times.insert(std::upper_bound(times.begin(), times.end(), received_us), received_us);
  if (warned) memory.warned_us = std::max(memory.warned_us, received_us);
  // Later updates come later: what is out of this one's window is out of theirs.
  auto stale = std::partition_point(times.begin(), times.end(),
                                    [&](int64_t t) { return !in_window(t, received_us, rule); });
  times.erase(times.begin(), stale);
  auto limit = static_cast<std::size_t>(std::max<int64_t>(rule.limit, 0));
  if (times.size() > limit)
    times.erase(times.begin(), times.end() - static_cast<std::ptrdiff_t>(limit));
  if (memory.warned_us != 0 && !in_window(memory.warned_us, received_us, rule))
    memory.warned_us = 0;
}

}  // namespace vpnbot::telegram
