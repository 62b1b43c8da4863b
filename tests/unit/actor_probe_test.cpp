#include "actors/actor_probe.hpp"

#include <gtest/gtest.h>

#include <caf/all.hpp>

#include "messages/type_ids.hpp"

namespace vpnbot {
namespace {

struct echo_state {
  std::unique_ptr<actor_probe> probe;
};

caf::behavior echo(caf::stateful_actor<echo_state>* self, metrics::registry* reg) {
  self->state.probe = std::make_unique<actor_probe>("echo", *reg);
  return {
      instrumented(self, *self->state.probe, [](int x) { return x * 2; }),
      instrumented(
          self, *self->state.probe,
          [](const std::string& s, int n) -> std::string { return s + std::to_string(n); }),
  };
}

TEST(ActorProbe, CountsAndTimesEveryHandledMessage) {
  metrics::registry reg;
  caf::actor_system_config cfg;
  register_message_types(cfg);
  caf::actor_system sys{cfg};
  auto a = sys.spawn(echo, &reg);
  caf::scoped_actor self{sys};
  for (int i = 0; i < 3; ++i)
    self->request(a, caf::infinite, i)
        .receive([&](int r) { EXPECT_EQ(r, i * 2); },
                 [](caf::error& e) { FAIL() << to_string(e); });
  self->request(a, caf::infinite, std::string("n"), 7)
      .receive([](const std::string& r) { EXPECT_EQ(r, "n7"); },
               [](caf::error& e) { FAIL() << to_string(e); });
  EXPECT_EQ(reg.value("vpnbot_actor_messages_total", {{"kind", "echo"}}), 4);
  EXPECT_EQ(reg.value("vpnbot_actor_handling_seconds", {{"kind", "echo"}}), 4);
  EXPECT_NE(reg.render().find("vpnbot_actor_mailbox_depth{kind=\"echo\"}"), std::string::npos);
  self->send_exit(a, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace vpnbot
