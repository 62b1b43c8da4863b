#include "adapters/resilience/rolling_window.hpp"

#include <stdexcept>

namespace vpnbot::resilience {

rolling_window::rolling_window(duration span, unsigned slices) {
  if (span <= duration::zero() || slices == 0)
    throw std::invalid_argument("rolling_window needs a positive span and slice count");
  width_ = (span + duration(slices - 1)) / slices;
  slices_.resize(slices);
}

int64_t rolling_window::index_of(time_point t) const {
  auto ticks = t.time_since_epoch().count();
  auto w = width_.count();
  // Floor division, so times before the clock's epoch slice correctly too.
  return ticks >= 0 ? ticks / w : -((-ticks + w - 1) / w);
}

void rolling_window::add(time_point now, std::size_t kind, uint64_t n) {
  const int64_t i = index_of(now);
  const auto size = static_cast<int64_t>(slices_.size());
  auto& s = slices_[static_cast<std::size_t>(((i % size) + size) % size)];
  if (s.index != i) s = slice{i, {}};
  s.counts.at(kind) += n;
}

uint64_t rolling_window::count(time_point now, std::size_t kind) const {
  const int64_t i = index_of(now);
  const auto size = static_cast<int64_t>(slices_.size());
  uint64_t sum = 0;
  for (const auto& s : slices_)
    if (s.index <= i && s.index > i - size) sum += s.counts.at(kind);
  return sum;
}

void rolling_window::clear() {
  for (auto& s : slices_) s = slice{};
}

}  // namespace vpnbot::resilience
