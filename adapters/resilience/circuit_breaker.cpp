#include "adapters/resilience/circuit_breaker.hpp"

namespace vpnbot::resilience {

std::string_view to_string(breaker_state state) {
  switch (state) {
    case breaker_state::closed:
      return "closed";
    case breaker_state::open:
      return "open";
    case breaker_state::half_open:
      return "half_open";
  }
  return "unknown";
}

circuit_breaker::circuit_breaker(breaker_settings settings, transition_fn on_transition)
    : settings_(settings), on_transition_(std::move(on_transition)), outcomes_(settings.window) {}

std::optional<circuit_breaker::permit> circuit_breaker::try_acquire(time_point now) {
  switch (state_) {
    case breaker_state::closed:
      return permit{generation_};
    case breaker_state::open:
      if (now < open_until()) return std::nullopt;
      move_to(breaker_state::half_open, now);
      break;
    case breaker_state::half_open:
      if (probe_out_ && now < probe_sent_at_ + settings_.probe_timeout) return std::nullopt;
      // The last probe never reported: its late outcome must not count.
      ++generation_;
      break;
  }
  probe_out_ = true;
  probe_sent_at_ = now;
  return permit{generation_};
}

void circuit_breaker::on_success(permit p, time_point now) {
  if (p.generation != generation_) return;
  if (state_ == breaker_state::half_open) {
    move_to(breaker_state::closed, now);
  } else if (state_ == breaker_state::closed) {
    consecutive_ = 0;
    outcomes_.add(now, success);
  }
}

void circuit_breaker::on_failure(permit p, time_point now) {
  if (p.generation != generation_) return;
  if (state_ == breaker_state::half_open) {
    move_to(breaker_state::open, now);
  } else if (state_ == breaker_state::closed) {
    ++consecutive_;
    outcomes_.add(now, failure);
    if (should_open(now)) move_to(breaker_state::open, now);
  }
}

bool circuit_breaker::should_open(time_point now) const {
  if (settings_.consecutive_failures > 0 && consecutive_ >= settings_.consecutive_failures)
    return true;
  if (settings_.failure_rate_percent == 0) return false;
  const uint64_t failures = outcomes_.count(now, failure);
  const uint64_t total = failures + outcomes_.count(now, success);
  return total > 0 && total >= settings_.minimum_calls &&
         failures * 100 >= total * settings_.failure_rate_percent;
}

void circuit_breaker::move_to(breaker_state next, time_point now) {
  const breaker_state previous = state_;
  state_ = next;
  ++generation_;
  probe_out_ = false;
  if (next == breaker_state::open) opened_at_ = now;
  if (next == breaker_state::closed) {
    consecutive_ = 0;
    outcomes_.clear();
  }
  if (on_transition_) on_transition_(previous, next, now);
}

}  // namespace vpnbot::resilience
