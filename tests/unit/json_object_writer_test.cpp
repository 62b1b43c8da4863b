#include "adapters/codec/json_object_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vpnbot::codec {
namespace {

TEST(JsonObjectWriter, WritesMembersInTheOrderGiven) {
  EXPECT_EQ(json_object_writer().finish(), "{}");
  auto text = json_object_writer()
                  .number("chat_id", -1001234567890)
                  .boolean("ok", false)
                  .json("reply_markup", R"({"inline_keyboard":[]})")
                  .string("text", "say \"hi\"\n")
                  .finish();
  EXPECT_EQ(text, R"({"chat_id":-1001234567890,"ok":false,"reply_markup":{"inline_keyboard":[]},)"
                  R"("text":"say \"hi\"\n"})");
  auto back = nlohmann::json::parse(text);
  EXPECT_EQ(back["chat_id"], -1001234567890);
  EXPECT_EQ(back["text"], "say \"hi\"\n");
}

TEST(JsonObjectWriter, WritesNullForAnAbsentValue) {
  EXPECT_EQ(json_object_writer()
                .number_or_null("chat", std::nullopt)
                .number_or_null("user", 42)
                .string_or_null("note", std::nullopt)
                .string_or_null("state", std::string("flood"))
                .finish(),
            R"({"chat":null,"user":42,"note":null,"state":"flood"})");
}

TEST(JsonObjectWriter, WritesAStringArrayAsADocumentWould) {
  const std::vector<std::string> kinds = {"message", "callback_query", "a\"b"};
  EXPECT_EQ(json_string_array(kinds), nlohmann::json(kinds).dump());
  EXPECT_EQ(json_string_array({}), "[]");
}

}  // namespace
}  // namespace vpnbot::codec
