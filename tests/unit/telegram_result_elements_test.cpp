#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "adapters/telegram/result_elements.hpp"
#include "support/random_json.hpp"

namespace vpnbot::telegram {
namespace {

using nlohmann::json;

std::vector<std::string> texts(std::string_view body) {
  auto found = success_array_elements(body);
  if (!found) return {"(none)"};
  return {found->begin(), found->end()};
}

TEST(TelegramResultElements, SplitsASuccessfulArrayIntoEachElementsText) {
  EXPECT_EQ(
      texts(R"({"ok":true,"result":[{"update_id":1},{"update_id":2,"message":{"text":"]}"}}]})"),
      (std::vector<std::string>{R"({"update_id":1})",
                                R"({"update_id":2,"message":{"text":"]}"}})"}));
  EXPECT_EQ(
      texts(
          " {\n \"result\" : [ 1 , \"a\\\"]\" ,null,[[]], {} ] ,\"ok\": true,\"x\":{\"y\":[1]} } "),
      (std::vector<std::string>{"1", "\"a\\\"]\"", "null", "[[]]", "{}"}));
  EXPECT_EQ(texts(R"({"ok":true,"result":[]})"), std::vector<std::string>{});
}

TEST(TelegramResultElements, LeavesEverythingElseToTheFullReading) {
  for (std::string_view other :
       {R"({"ok":false,"error_code":409,"description":"Conflict"})", R"({"ok":true,"result":{}})",
        R"({"ok":true,"result":true})", R"({"result":[]})", R"({"ok":"true","result":[]})",
        R"({"ok":true})", R"({"ok":true,"result":[],"result":[1]})",
        R"({"ok":true,"ok":true,"result":[]})", R"({"o\u006b":true,"result":[]})",
        R"({"ok":true,"result":[1]} x)", R"({"ok":true,"result":[1})",
        R"({"ok":true,"result":[{]}]})", R"({"ok":true,"result":[1,]})",
        R"({"ok":true,"result":["abc]})", "", "[]", "{}", R"({"ok":true,"result":[1])"})
    EXPECT_FALSE(success_array_elements(other)) << other;
}

// Bodies written from random arrays, compactly or indented: each element's
// text reads back as that element.
TEST(TelegramResultElements, EachElementReadsAsTheDocumentsOwn) {
  std::mt19937_64 rng(6122026);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const std::vector<std::string> strings = {"]", "}", "\"", "\\", "[{", "é", "", "\\\"]"};
  for (int round = 0; round < 2000; ++round) {
    json result = json::array();
    for (int i = pick(5); i > 0; --i)
      result.push_back(testing_support::random_json(rng, strings, 3));
    json body = {{"ok", true}, {"result", result}};
    if (pick(2) == 1) body["description"] = testing_support::random_json(rng, strings, 2);
    auto text = body.dump(pick(2) == 0 ? -1 : 1);
    auto found = success_array_elements(text);
    ASSERT_TRUE(found) << text;
    ASSERT_EQ(found->size(), result.size()) << text;
    for (std::size_t i = 0; i < found->size(); ++i)
      ASSERT_EQ(json::parse((*found)[i]), result[i]) << text;
  }
}

}  // namespace
}  // namespace vpnbot::telegram
