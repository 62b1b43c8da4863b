#include "adapters/codec/utf8.hpp"

#include <gtest/gtest.h>

namespace vpnbot::codec {
namespace {

using unit = text_unit;

// "Привет" is 6 letters of 2 bytes; U+1F512 (a padlock) is 4 bytes, one
// code point, two UTF-16 units.
const std::string privet = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";
const std::string lock = "\xF0\x9F\x94\x92";

TEST(Utf8Truncate, TextWithinTheLimitIsKeptWhole) {
  EXPECT_EQ(truncate_utf8(privet, 6, unit::code_points), privet);
  EXPECT_EQ(truncate_utf8(privet, 12, unit::bytes), privet);
  EXPECT_EQ(truncate_utf8(privet, 100, unit::utf16_units), privet);
  EXPECT_EQ(truncate_utf8("", 0, unit::bytes), "");
}

TEST(Utf8Truncate, CodePointsCountLettersNotBytes) {
  EXPECT_EQ(truncate_utf8(privet, 3, unit::code_points), privet.substr(0, 6));
  EXPECT_EQ(truncate_utf8("a" + privet, 2, unit::code_points), "a" + privet.substr(0, 2));
  EXPECT_EQ(truncate_utf8(privet, 0, unit::code_points), "");
}

TEST(Utf8Truncate, ByteLimitsStopBeforeALetterThatWouldNotFit) {
  // 5 bytes would end inside the third letter: two letters remain.
  EXPECT_EQ(truncate_utf8(privet, 5, unit::bytes), privet.substr(0, 4));
  EXPECT_EQ(truncate_utf8("a" + privet, 4, unit::bytes), "a" + privet.substr(0, 2));
  EXPECT_EQ(truncate_utf8(lock + "x", 3, unit::bytes), "");
}

TEST(Utf8Truncate, Utf16UnitsCountACharacterBeyondTheBmpTwice) {
  auto text = "ab" + lock + "c";
  EXPECT_EQ(truncate_utf8(text, 3, unit::utf16_units), "ab");
  EXPECT_EQ(truncate_utf8(text, 4, unit::utf16_units), "ab" + lock);
  EXPECT_EQ(truncate_utf8(text, 4, unit::code_points), text);
  EXPECT_EQ(truncate_utf8(privet, 4, unit::utf16_units), privet.substr(0, 8));
}

TEST(Utf8Truncate, InvalidBytesCountOneEachAndAreNeverOverrun) {
  // A stray continuation byte, and a lead byte whose sequence is cut short.
  EXPECT_EQ(truncate_utf8("\x80x", 1, unit::code_points), "\x80");
  EXPECT_EQ(truncate_utf8("\xD0", 5, unit::bytes), "\xD0");
  EXPECT_EQ(truncate_utf8("\xE2\x82x", 1, unit::code_points), "\xE2\x82");
  EXPECT_EQ(truncate_utf8("\xE2\x82x", 2, unit::code_points), "\xE2\x82x");
}

TEST(Utf8Truncate, NoCutEverEndsInsideACharacter) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "a" + privet + lock;
  for (std::size_t max = 0; max <= text.size(); ++max)
    for (auto u : {unit::bytes, unit::code_points, unit::utf16_units}) {
      auto cut = truncate_utf8(text, max, u);
      ASSERT_EQ(text.compare(0, cut.size(), cut), 0);
      if (cut.size() < text.size()) {
        ASSERT_NE(static_cast<unsigned char>(text[cut.size()]) & 0xC0, 0x80)
            << "cut inside a character at " << cut.size();
      }
    }
}

// Unicode's table 3-7, and the maximal subpart of what breaks it.
TEST(Utf8WellFormed, SequencesAreMeasuredAndBrokenOnesGiveTheirMaximalSubpart) {
  auto measure = [](std::string_view text) {
    std::size_t ill = 0;
    auto n = well_formed_sequence(text, 0, ill);
    return std::pair{n, n ? 0 : ill};
  };
  EXPECT_EQ(measure("a"), (std::pair<std::size_t, std::size_t>{1, 0}));
  EXPECT_EQ(measure("\xd0\xb6"), (std::pair<std::size_t, std::size_t>{2, 0}));
  EXPECT_EQ(measure("\xe2\x82\xac"), (std::pair<std::size_t, std::size_t>{3, 0}));
  EXPECT_EQ(measure("\xf0\x9f\x99\x82"), (std::pair<std::size_t, std::size_t>{4, 0}));
  EXPECT_EQ(measure("\x80"), (std::pair<std::size_t, std::size_t>{0, 1}));      // stray
  EXPECT_EQ(measure("\xc0\xaf"), (std::pair<std::size_t, std::size_t>{0, 1}));  // overlong
  EXPECT_EQ(measure("\xe0\x80\xaf"), (std::pair<std::size_t, std::size_t>{0, 1}));
  EXPECT_EQ(measure("\xed\xa0\x80"), (std::pair<std::size_t, std::size_t>{0, 1}));  // surrogate
  EXPECT_EQ(measure("\xf4\x90\x80\x80"), (std::pair<std::size_t, std::size_t>{0, 1}));
  EXPECT_EQ(measure("\xe2\x82"), (std::pair<std::size_t, std::size_t>{0, 2}));  // cut short
  EXPECT_EQ(measure("\xf0\x9f\x99"
                    "a"),
            (std::pair<std::size_t, std::size_t>{0, 3}));
}

}  // namespace
}  // namespace vpnbot::codec
