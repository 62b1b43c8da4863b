// A pass over the panels: each running panel once, stopped ones skipped and
// reported, no second pass while one runs.

#include "actors/panel/panel_round.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <caf/all.hpp>

namespace vpnbot::activation {
namespace {

TEST(PanelRound, EachRunningPanelOnceThenTheNextPassMayBegin) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto running = sys.spawn([]() -> caf::behavior { return {[](int) {}}; });
  panel_round::panels all{{"a", std::make_shared<caf::actor>(running)},
                          {"b", std::make_shared<caf::actor>()},
                          {"c", std::make_shared<caf::actor>(running)}};
  panel_round round;
  ASSERT_TRUE(round.begin(all));
  EXPECT_FALSE(round.begin(all));  // one pass at a time
  std::vector<std::string> seen, skipped;
  while (auto next = round.next(all, [&](const std::string& n) { skipped.push_back(n); })) {
    EXPECT_EQ(next->second, running);
    seen.push_back(next->first);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(skipped, (std::vector<std::string>{"b"}));
  EXPECT_TRUE(round.begin(all));  // the pass ended with the last panel
  round.abandon();
  EXPECT_TRUE(round.begin(all));
  caf::anon_send_exit(running, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace vpnbot::activation
