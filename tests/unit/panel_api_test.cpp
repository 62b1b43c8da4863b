// The panel `version` setting: auto, legacy, 3.1 or an exact version.

#include "adapters/panel/panel_api.hpp"

#include <gtest/gtest.h>

#include "adapters/panel/panel_protocol.hpp"

namespace vpnbot::panel {
namespace {

TEST(PanelApi, TheSettingPicksTheApiOrLeavesItToTheProbe) {
  for (const auto* text : {"", "auto"}) {
    auto c = parse_api_choice(text);
    ASSERT_TRUE(c) << text;
    EXPECT_FALSE(c->api) << text;
    EXPECT_FALSE(c->version) << text;
  }
  auto legacy = parse_api_choice("legacy");
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->api, panel_api::legacy);
  EXPECT_FALSE(legacy->version);
  auto v31 = parse_api_choice("3.1");
  ASSERT_TRUE(v31);
  EXPECT_EQ(v31->api, panel_api::v3_1);
  EXPECT_EQ(v31->version, (xui_version{3, 1, 0}));
  EXPECT_EQ(parse_api_choice("3.0.2")->api, panel_api::legacy);
  EXPECT_EQ(parse_api_choice("2.8.5")->api, panel_api::legacy);
  EXPECT_EQ(parse_api_choice("v3.2.0")->api, panel_api::v3_1);
  EXPECT_FALSE(parse_api_choice("latest"));
  EXPECT_FALSE(parse_api_choice("Auto"));
}

TEST(PanelApi, CheckNamesTheForms) {
  EXPECT_FALSE(check_panel_version("auto"));
  EXPECT_FALSE(check_panel_version("3.1"));
  EXPECT_FALSE(check_panel_version("3.1.0"));
  auto bad = check_panel_version("newest");
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("auto, legacy, 3.1"), std::string::npos);
}

TEST(PanelApi, LabelsAndImplementations) {
  EXPECT_EQ(to_string(panel_api::legacy), "legacy");
  EXPECT_EQ(to_string(panel_api::v3_1), "3.1");
  EXPECT_EQ(make_panel_protocol(panel_api::legacy)->api(), panel_api::legacy);
  EXPECT_EQ(make_panel_protocol(panel_api::v3_1)->api(), panel_api::v3_1);
}

}  // namespace
}  // namespace vpnbot::panel
