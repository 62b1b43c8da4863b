// The bot.plans line with and without per-plan limits, and its refusals.

#include "config/plan_catalog.hpp"

#include <gtest/gtest.h>

namespace vpnbot::config {
namespace {

// The catalogue prints as `printed` and reads back the same.
void expect_round_trip(const std::vector<plan_setting>& plans, const std::string& printed) {
  EXPECT_EQ(print_plan_catalog(plans), printed);
  std::vector<plan_setting> again;
  ASSERT_FALSE(parse_plan_catalog(print_plan_catalog(plans), again));
  EXPECT_EQ(again, plans);
}

TEST(PlanCatalog, LimitsAreOptionalPerPlan) {
  std::vector<plan_setting> plans;
  ASSERT_FALSE(parse_plan_catalog(
      "trial:3:trial:devices=1; m1:30:RUB=19900,XTR=150:gb=100,devices=3; m3:90:RUB=49900", plans));
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].traffic_gb, 0);
  EXPECT_EQ(plans[0].devices, 1);
  EXPECT_EQ(plans[1].traffic_gb, 100);
  EXPECT_EQ(plans[1].devices, 3);
  EXPECT_EQ(plans[2].traffic_gb, 0);
  EXPECT_EQ(plans[2].devices, 0);
  expect_round_trip(
      plans, "trial:3:trial:devices=1; m1:30:RUB=19900,XTR=150:gb=100,devices=3; m3:90:RUB=49900");
}

TEST(PlanCatalog, APlanMayAskForTheRawLink) {
  std::vector<plan_setting> plans;
  ASSERT_FALSE(parse_plan_catalog(
      "trial:3:trial:link=raw; m1:30:RUB=19900:gb=100,link=sub; m3:90:RUB=1:link=raw,devices=2",
      plans));
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_TRUE(plans[0].raw_link);
  EXPECT_FALSE(plans[1].raw_link);
  EXPECT_EQ(plans[1].traffic_gb, 100);
  EXPECT_TRUE(plans[2].raw_link);
  EXPECT_EQ(plans[2].devices, 2);
  // link=sub is the default and is not printed.
  expect_round_trip(
      plans, "trial:3:trial:link=raw; m1:30:RUB=19900:gb=100; m3:90:RUB=1:devices=2,link=raw");
}

TEST(PlanCatalog, BadLimitsAreRefusedNamingTheEntry) {
  std::vector<plan_setting> plans;
  for (const char* bad :
       {"m1:30:RUB=100:gb=0", "m1:30:RUB=100:devices=x", "m1:30:RUB=100:tb=1",
        "m1:30:RUB=100:gb=1,gb=2", "m1:30:RUB=100:gb=1:devices=2", "m1:30:RUB=100:link=vless",
        "m1:30:RUB=100:link", "m1:30:RUB=100:link=raw,link=sub"}) {
    auto e = parse_plan_catalog(bad, plans);
    ASSERT_TRUE(e) << bad;
    EXPECT_NE(e->find("m1:30"), std::string::npos) << *e;
  }
}

}  // namespace
}  // namespace vpnbot::config
