// Session ownership by rendezvous hashing: one owner per user whatever the
// order of the nodes, a fair share each, and only the leaving node's users
// move when it leaves.

#include "domain/cluster/rendezvous.hpp"

#include <gtest/gtest.h>

#include <map>

namespace vpnbot::cluster {
namespace {

const std::vector<std::string> three{"node-1", "node-2", "node-3"};

TEST(Rendezvous, TheOwnerDoesNotDependOnTheOrderOfTheNodes) {
  std::vector<std::string> reversed(three.rbegin(), three.rend());
  for (int64_t user = 1; user <= 1000; ++user)
    EXPECT_EQ(owner_of(user, three), owner_of(user, reversed));
}

TEST(Rendezvous, EachNodeOwnsAboutAThird) {
  std::map<std::string, int> owned;
  for (int64_t user = 100000; user < 103000; ++user) ++owned[owner_of(user, three)];
  ASSERT_EQ(owned.size(), 3u);
  for (const auto& [node, count] : owned) {
    EXPECT_GT(count, 850) << node;
    EXPECT_LT(count, 1150) << node;
  }
}

TEST(Rendezvous, WhenANodeLeavesOnlyItsUsersMove) {
  std::vector<std::string> two{"node-1", "node-3"};
  int moved = 0;
  for (int64_t user = 1; user <= 3000; ++user) {
    auto before = owner_of(user, three);
    auto after = owner_of(user, two);
    if (before != "node-2") {
      EXPECT_EQ(before, after) << "user " << user;
    } else {
      EXPECT_NE(after, "node-2");
      ++moved;
    }
  }
  EXPECT_GT(moved, 0);
}

TEST(Rendezvous, NoNodesNoOwnerAndOneNodeOwnsAll) {
  EXPECT_EQ(owner_of(5, {}), "");
  EXPECT_EQ(owner_of(5, {"solo"}), "solo");
}

TEST(Rendezvous, TheWeightIsFixedByItsDefinition) {
  // Nodes built apart must agree, so the value is pinned: FNV-1a 64 of the
  // name, the id added with the golden-ratio constant, splitmix64's
  // finaliser (computed apart from this code, in Python).
  EXPECT_EQ(rendezvous_weight("node-1", 42), 9119795796868615811ull);
  EXPECT_EQ(rendezvous_weight("node-2", 42), 4796521505413655575ull);
}

}  // namespace
}  // namespace vpnbot::cluster
