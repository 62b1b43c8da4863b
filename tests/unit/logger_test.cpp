#include "adapters/log/logger.hpp"

#include <gtest/gtest.h>

namespace vpnbot::log {
namespace {

struct captured : testing::Test {
  std::vector<nlohmann::json> lines;
  void SetUp() override {
    set_sink([this](const std::string& l) { lines.push_back(nlohmann::json::parse(l)); });
    set_level(level::info);
  }
  void TearDown() override { set_sink(nullptr); }
};

TEST_F(captured, WritesOneJsonObjectPerLine) {
  info("http_server", "listening", {{"port", 8080}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[0]["component"], "http_server");
  EXPECT_EQ(lines[0]["message"], "listening");
  EXPECT_EQ(lines[0]["fields"]["port"], 8080);
  EXPECT_TRUE(lines[0]["time"].get<std::string>().ends_with("Z"));
}

TEST_F(captured, LevelFiltersLines) {
  debug("x", "hidden");
  set_level(level::error);
  warn("x", "hidden too");
  error("x", "shown");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["message"], "shown");
}

TEST_F(captured, SecretFieldsAreRedactedAtAnyDepth) {
  info("x", "cfg", {{"bot_token", "123:abc"}, {"nested", {{"password", "p"}, {"user", "u"}}}});
  auto dump = lines[0].dump();
  EXPECT_EQ(dump.find("123:abc"), std::string::npos);
  EXPECT_EQ(lines[0]["fields"]["bot_token"], "***");
  EXPECT_EQ(lines[0]["fields"]["nested"]["password"], "***");
  EXPECT_EQ(lines[0]["fields"]["nested"]["user"], "u");
}

TEST_F(captured, InvalidUtf8DoesNotBreakTheLine) {
  info("x", std::string("bad \xff byte"));
  ASSERT_EQ(lines.size(), 1u);
}

}  // namespace
}  // namespace vpnbot::log
