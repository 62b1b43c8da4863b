#pragma once

// A node's own view of its term as leader, on its own steady clock. A claim
// asked at `asked` and granted leaves the lease running until at least
// asked + ttl on the database's clock (the database computes the expiry
// later than that), so the node may act as leader until asked + ttl -
// margin. Past that without a newer grant it steps down by itself, answer
// or not: the database unreachable, or the process paused, makes it stop
// before another node can take the lease over.

#include <chrono>
#include <cstdint>
#include <optional>

namespace vpnbot::cluster {

struct leader_term {
  using time_point = std::chrono::steady_clock::time_point;

  std::chrono::milliseconds ttl{6000};
  std::chrono::milliseconds margin{1000};
  int64_t token = 0;  // 0: not the leader
  time_point until{};

  bool leader() const { return token != 0; }

  // The answer, received at `now`, to a claim asked at `asked`: the term's
  // token, or nullopt when another node holds the lease. True when this
  // node's role or term changed.
  bool on_claim(time_point asked, time_point now, std::optional<int64_t> granted);

  // Steps down when the term ran out by `now`; true when it did.
  bool on_clock(time_point now);
};

}  // namespace vpnbot::cluster
