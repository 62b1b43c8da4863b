#include "adapters/panel/client_identity.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

namespace vpnbot::panel {
namespace {

TEST(PanelIdentity, UuidIsVersion4LowerCase) {
  for (int i = 0; i < 1000; ++i) {
    auto u = new_client_uuid();
    ASSERT_TRUE(is_uuid(u)) << u;
    EXPECT_EQ(u[14], '4') << u;
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
    for (char c : u) EXPECT_FALSE(c >= 'A' && c <= 'F') << u;
  }
}

TEST(PanelIdentity, UuidsAndSubIdsAreUniqueOver100k) {
  std::unordered_set<std::string> uuids;
  std::unordered_set<std::string> subs;
  for (int i = 0; i < 100000; ++i) {
    ASSERT_TRUE(uuids.insert(new_client_uuid()).second);
    ASSERT_TRUE(subs.insert(new_sub_id()).second);
  }
}

TEST(PanelIdentity, UuidShapeCheck) {
  EXPECT_TRUE(is_uuid("B831381D-6324-4D53-AD4F-8CDA48B30811"));
  EXPECT_FALSE(is_uuid("b831381d63244d53ad4f8cda48b30811"));
  EXPECT_FALSE(is_uuid("b831381d-6324-4d53-ad4f-8cda48b3081g"));
  EXPECT_FALSE(is_uuid("b831381d-6324-4d53-ad4f-8cda48b308111"));
}

TEST(PanelIdentity, SubIdIsSixteenLowerAlphanumerics) {
  for (int i = 0; i < 1000; ++i) {
    auto s = new_sub_id();
    ASSERT_TRUE(is_sub_id(s)) << s;
  }
  EXPECT_FALSE(is_sub_id("ABCDEFGH12345678"));
  EXPECT_FALSE(is_sub_id("abc"));
}

TEST(PanelIdentity, EmailRoundTrips) {
  EXPECT_EQ(client_email({123, 45}), "tg123-45");
  EXPECT_EQ(parse_client_email("tg123-45"), (client_owner{123, 45}));
  EXPECT_EQ(parse_client_email("tg9223372036854775807-1"), (client_owner{9223372036854775807, 1}));
  EXPECT_THROW(client_email({0, 1}), std::invalid_argument);
}

TEST(PanelIdentity, ForeignEmailsAreNotOurs) {
  for (const char* foreign : {"user1", "tg123", "tg12-3x", "tg-3", "tg12-", "TG12-3", "tg012-3",
                              "tg12-03", "tg+12-3", "tg12--3", "tg12-3-4", " tg12-3", "tg12-3 ",
                              "tg12_3", "tg9223372036854775808-1", "tg0-1", "tg1-0", "", "tg"})
    EXPECT_FALSE(parse_client_email(foreign)) << foreign;
}

}  // namespace
}  // namespace vpnbot::panel
