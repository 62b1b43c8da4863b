#include "adapters/resilience/backoff.hpp"

#include <algorithm>
#include <stdexcept>

namespace vpnbot::resilience {
namespace {

void validate(const backoff_settings& s) {
  if (s.min <= duration::zero() || s.max < s.min || s.factor < 1 || s.jitter_percent > 100)
    throw std::invalid_argument("backoff needs 0 < min <= max, factor >= 1, jitter <= 100");
}

}  // namespace

duration backoff_ceiling(const backoff_settings& settings, unsigned attempt) {
  validate(settings);
  auto ticks = settings.min.count();
  const auto cap = settings.max.count();
  for (unsigned i = 0; i < attempt && ticks < cap; ++i) {
    // Multiply without overflow: anything past the cap is the cap.
    if (ticks > cap / static_cast<int64_t>(settings.factor)) return settings.max;
    ticks *= settings.factor;
  }
  return duration(std::min(ticks, cap));
}

backoff::backoff(backoff_settings settings, uint64_t seed) : settings_(settings), engine_(seed) {
  validate(settings_);
}

duration backoff::next() {
  const auto ceiling = backoff_ceiling(settings_, attempt_);
  if (attempt_ < UINT32_MAX) ++attempt_;
  const auto span = ceiling.count() / 100 * settings_.jitter_percent +
                    ceiling.count() % 100 * settings_.jitter_percent / 100;
  const auto low = std::max(settings_.min.count(), ceiling.count() - span);
  std::uniform_int_distribution<int64_t> pick(low, ceiling.count());
  return duration(pick(engine_));
}

}  // namespace vpnbot::resilience
