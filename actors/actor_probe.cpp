#include "actors/actor_probe.hpp"

namespace vpnbot {

actor_probe::actor_probe(const std::string& kind, metrics::registry& reg)
    : handled_(reg.get_counter("vpnbot_actor_messages_total", "Messages handled, by actor kind",
                               {{"kind", kind}})),
      depth_(reg.get_gauge("vpnbot_actor_mailbox_depth",
                           "Mailbox depth seen at the last handled message, by actor kind",
                           {{"kind", kind}})),
      duration_(reg.get_histogram("vpnbot_actor_handling_seconds",
                                  "Time spent in one message handler, by actor kind",
                                  {{"kind", kind}})) {}

actor_probe::scope::~scope() {
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
  probe_.handled_.inc();
  probe_.duration_.observe(took.count());
}

}  // namespace vpnbot
