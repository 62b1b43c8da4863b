#include "domain/cluster/leader_term.hpp"

namespace vpnbot::cluster {

bool leader_term::on_claim(time_point asked, time_point now, std::optional<int64_t> granted) {
  auto before = token;
  auto deadline = asked + ttl - margin;
  // A grant that arrives after its own deadline proves nothing about now.
  if (granted && deadline > now) {
    token = *granted;
    until = deadline;
  } else if (!granted) {
    token = 0;
  }
  on_clock(now);
  return token != before;
}

bool leader_term::on_clock(time_point now) {
  if (token == 0 || now < until) return false;
  token = 0;
  return true;
}

}  // namespace vpnbot::cluster
