#pragma once

// Stops calling a peer that keeps failing, so a dead panel is not hammered
// and callers fail fast while it is down.
//
//   closed ──(N failures in a row, or failure share ≥ rate over the window
//             with enough calls)──► open ──(cooldown over; next acquire)──►
//   half_open: exactly one probe goes out; its success closes the circuit,
//   its failure opens it again for another cooldown.
//
// Every call asks for a permit first and reports its outcome with that
// permit. Permits carry the generation they were issued in, so outcomes of
// calls started before the last transition (a slow call that returns after
// the circuit opened, a probe that was given up on) change nothing. A probe
// that never reports frees the half-open slot after probe_timeout.
// Time is passed in; nothing here reads a clock. Not thread-safe: one
// owner (the actor that makes the calls).

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "adapters/resilience/rolling_window.hpp"

namespace vpnbot::resilience {

enum class breaker_state { closed, open, half_open };

std::string_view to_string(breaker_state state);

struct breaker_settings {
  unsigned consecutive_failures = 5;   // failures in a row that open it; 0: not used
  unsigned failure_rate_percent = 50;  // failure share that opens it; 0: not used
  unsigned minimum_calls = 10;         // outcomes in the window before the rate counts
  duration window = std::chrono::seconds(60);
  duration open_for = std::chrono::seconds(30);
  duration probe_timeout = std::chrono::seconds(30);
};

class circuit_breaker {
 public:
  struct permit {
    uint64_t generation = 0;
  };
  // Called on every change of state (metrics, logs), synchronously.
  using transition_fn = std::function<void(breaker_state from, breaker_state to, time_point at)>;

  explicit circuit_breaker(breaker_settings settings, transition_fn on_transition = {});

  // A permit to make one call now, or nullopt while open (or while the
  // half-open probe is out).
  std::optional<permit> try_acquire(time_point now);
  void on_success(permit p, time_point now);
  void on_failure(permit p, time_point now);

  breaker_state state() const { return state_; }
  // While open: when the next probe may go.
  time_point open_until() const { return opened_at_ + settings_.open_for; }

 private:
  enum outcome : std::size_t { success = 0, failure = 1 };
  void move_to(breaker_state next, time_point now);
  bool should_open(time_point now) const;

  breaker_settings settings_;
  transition_fn on_transition_;
  breaker_state state_ = breaker_state::closed;
  uint64_t generation_ = 0;
  unsigned consecutive_ = 0;
  rolling_window outcomes_;
  time_point opened_at_{};
  time_point probe_sent_at_{};
  bool probe_out_ = false;
};

}  // namespace vpnbot::resilience
