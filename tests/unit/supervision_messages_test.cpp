#include <gtest/gtest.h>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>
#include <vector>

#include "messages/supervision.hpp"

namespace vpnbot {
namespace {

TEST(SupervisionMessages, ChildStatusSurvivesSerialization) {
  std::vector<child_status> in{{"db-1", child_state::running, 0},
                               {"db-2", child_state::restarting, 3}};
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  ASSERT_FALSE(sink(in));
  std::vector<child_status> out;
  caf::binary_deserializer source{nullptr, buf};
  ASSERT_FALSE(source(out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].name, "db-2");
  EXPECT_EQ(out[1].state, child_state::restarting);
  EXPECT_EQ(out[1].restarts, 3u);
}

TEST(SupervisionMessages, ChildStatusCanBePrinted) {
  auto text = caf::deep_to_string(child_status{"db-2", child_state::stopping, 1});
  EXPECT_NE(text.find("db-2"), std::string::npos) << text;
}

}  // namespace
}  // namespace vpnbot
