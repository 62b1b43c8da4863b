#include <gtest/gtest.h>

#include "adapters/telegram/command.hpp"

namespace vpnbot::telegram {
namespace {

TEST(TelegramCommand, ParsesNameAndArguments) {
  auto c = parse_command("/start ref_42");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "start");
  EXPECT_EQ(c->args, "ref_42");
  auto bare = parse_command("/HELP");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->name, "help");
  EXPECT_EQ(bare->args, "");
  EXPECT_EQ(parse_command("/start   spaced  \n")->args, "spaced");
}

TEST(TelegramCommand, HonoursTheBotMention) {
  EXPECT_TRUE(parse_command("/start@VpnBot x", "vpnbot"));
  EXPECT_FALSE(parse_command("/start@OtherBot x", "vpnbot"));
  EXPECT_TRUE(parse_command("/start@OtherBot x"));  // no name known: accept
}

TEST(TelegramCommand, RejectsNonCommands) {
  for (const char* t : {"", "hello", "/", " /start", "/@bot", "/пуск", "/a-b"})
    EXPECT_FALSE(parse_command(t)) << t;
}

TEST(TelegramCommand, StartPayload) {
  EXPECT_EQ(start_payload("ref_AbC-9"), "ref_AbC-9");
  EXPECT_FALSE(start_payload(""));
  EXPECT_FALSE(start_payload("has space"));
  EXPECT_FALSE(start_payload(std::string(65, 'a')));
  EXPECT_FALSE(start_payload("ref=1"));
}

}  // namespace
}  // namespace vpnbot::telegram
