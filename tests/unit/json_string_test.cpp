#include "adapters/codec/json_string.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

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

std::string replaced(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Ill-formed UTF-8 becomes U+FFFD per maximal subpart, as nlohmann's dump
// with replace writes it: overlong forms, surrogates, code points above
// U+10FFFF, stray continuation bytes, sequences cut short mid-text and at
// the end.
TEST(JsonString, WritesIllFormedUtf8AsReplacementCharactersAsADocumentWould) {
  for (const std::string& text :
       {std::string("\x80"),
        std::string("a\xbf\x80"
                    "b"),
        std::string("\xc0\xaf"), std::string("\xc1\xbf"), std::string("\xe0\x80\xaf"),
        std::string("\xe0\x9f\x80"), std::string("\xed\xa0\x80"), std::string("\xf0\x8f\xbf\xbf"),
        std::string("\xf4\x90\x80\x80"), std::string("\xf5\x80\x80\x80"), std::string("\xff\xfe"),
        std::string("\xe2\x82"
                    "A"),
        std::string("\xf0\x9f\x99"), std::string("\xf0\x9f\x99\"q"),
        std::string("ok \xe2\x82\xac \xe2\x82"), std::string("\xc3")}) {
    auto out = literal(text);
    EXPECT_EQ(out, replaced(text)) << out;
    EXPECT_NO_THROW(nlohmann::json::parse(out)) << out;
  }
  EXPECT_EQ(literal("\xe2\x82"
                    "A"),
            "\"\xEF\xBF\xBD"
            "A\"");
}

// Random bytes, weighted towards lead and continuation bytes so that most
// strings hold both well-formed and ill-formed sequences.
TEST(JsonString, AgreesWithADocumentOnRandomBytes) {
  std::mt19937 rng(20261206);
  const std::string alphabet = std::string(
      "a\"\\\n\x01\x7f\x80\x8f\x90\x9f\xa0\xbf\xc0\xc2\xdf"
      "\xe0\xe1\xed\xee\xf0\xf1\xf4\xf5\xff");
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), length(0, 12);
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    for (auto k = length(rng); k > 0; --k) text += alphabet[pick(rng)];
    auto out = literal(text);
    ASSERT_EQ(out, replaced(text)) << "case " << n;
    ASSERT_NO_THROW(nlohmann::json::parse(out)) << "case " << n;
  }
}

TEST(JsonString, AppendsToWhatIsThere) {
  std::string out = "{\"note\":";
  append_json_string(out, "flood");
  EXPECT_EQ(out, R"({"note":"flood")");
}

}  // namespace
}  // namespace vpnbot::codec
