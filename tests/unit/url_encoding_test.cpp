#include "adapters/codec/url_encoding.hpp"

#include <gtest/gtest.h>

namespace vpnbot::codec {
namespace {

// Expected strings follow Go's net/url: QueryEscape keeps only
// [A-Za-z0-9-_.~] and writes space as '+'; fragments keep the reserved
// characters $&+,/:;=?@ and !()*.

TEST(LinkEscape, QueryEscapesReservedCharactersAndSpaceAsPlus) {
  EXPECT_EQ(query_escape("a b/c?d=e&f+g~h.i_j-k"), "a+b%2Fc%3Fd%3De%26f%2Bg~h.i_j-k");
  EXPECT_EQ(query_escape("/ws,h2:@"), "%2Fws%2Ch2%3A%40");
  EXPECT_EQ(query_escape("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(query_escape(""), "");
}

TEST(LinkEscape, FragmentKeepsReservedAndEscapesTheRest) {
  EXPECT_EQ(fragment_escape("Main user/1"), "Main%20user/1");
  EXPECT_EQ(fragment_escape("!()*$&+,;=:@?"), "!()*$&+,;=:@?");
  EXPECT_EQ(fragment_escape("#'\"%<>"), "%23%27%22%25%3C%3E");
  EXPECT_EQ(fragment_escape("\xE2\x9C\x93"), "%E2%9C%93");
}

TEST(LinkEscape, PathSegmentEscapesSlashAndSpace) {
  EXPECT_EQ(path_segment_escape("a/b c@d"), "a%2Fb%20c%40d");
  EXPECT_EQ(path_segment_escape("tg12-34"), "tg12-34");
}

TEST(LinkEscape, FormEncodeKeepsOrder) {
  EXPECT_EQ(form_encode({{"username", "ad min"}, {"password", "p&ss=1"}}),
            "username=ad+min&password=p%26ss%3D1");
}

TEST(LinkEscape, FormDecodeSplitsAndDecodes) {
  auto f = form_decode("a=1&b=x+y%21&&c=&d&e=%D1%8F");
  ASSERT_TRUE(f);
  form_fields expected = {{"a", "1"}, {"b", "x y!"}, {"c", ""}, {"d", ""}, {"e", "\xD1\x8F"}};
  EXPECT_EQ(*f, expected);
}

TEST(LinkEscape, BrokenEscapesAreRejected) {
  EXPECT_FALSE(percent_decode("%4", false));
  EXPECT_FALSE(percent_decode("abc%", false));
  EXPECT_FALSE(percent_decode("%zz", false));
  EXPECT_FALSE(form_decode("a=%G1"));
  EXPECT_EQ(*percent_decode("a+b%2B", false), "a+b+");
  EXPECT_EQ(*percent_decode("a+b%2B", true), "a b+");
}

}  // namespace
}  // namespace vpnbot::codec
