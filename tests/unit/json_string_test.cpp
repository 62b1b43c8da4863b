#include "adapters/codec/json_string.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vpnbot::codec {
namespace {

std::string literal(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// Written as nlohmann writes it, and read back as the same text.
TEST(JsonString, IsWhatADocumentWouldDumpAndReadsBackTheSame) {
  std::string every_control;
  for (int c = 0; c < 0x20; ++c) every_control += static_cast<char>(c);
  for (const std::string& text :
       {std::string(), std::string("handled"), std::string("say \"hi\" \\ there"),
        std::string("line\nbreak\ttab\rreturn\bback\fform"), every_control,
        std::string("\x7f delete"), std::string("Привет, 世界 🙂"),
        std::string("a\0b", 3)}) {
    EXPECT_EQ(literal(text), nlohmann::json(text).dump()) << text;
    EXPECT_EQ(nlohmann::json::parse(literal(text)).get<std::string>(), text);
  }
}

TEST(JsonString, AppendsToWhatIsThere) {
  std::string out = "{\"note\":";
  append_json_string(out, "flood");
  EXPECT_EQ(out, R"({"note":"flood")");
}

}  // namespace
}  // namespace vpnbot::codec
