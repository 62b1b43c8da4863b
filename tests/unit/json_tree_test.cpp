#include "adapters/codec/json_tree.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "support/random_json.hpp"

namespace vpnbot::codec {
namespace {

using nlohmann::json;

// The tree read back as a document, to compare with what nlohmann reads.
json as_document(const json_value& v) {
  if (v.is_null()) return nullptr;
  if (v.is_boolean()) return v.boolean();
  if (v.is_string()) return v.text();
  if (v.is_array()) {
    json out = json::array();
    for (const auto& e : v.elements()) out.push_back(as_document(e));
    return out;
  }
  if (v.is_object()) {
    json out = json::object();
    // Members in order: a later duplicate overwrites, as in a document.
    for (const auto& e : v.elements()) out[e.key()] = as_document(e);
    return out;
  }
  if (auto n = v.as_int64()) return *n;
  return "(a number beyond int64)";
}

json normalised(const json& j) {
  if (j.is_number_float() || (j.is_number_unsigned() && j.get<std::uint64_t>() > INT64_MAX))
    return "(a number beyond int64)";
  if (j.is_array()) {
    json out = json::array();
    for (const auto& e : j) out.push_back(normalised(e));
    return out;
  }
  if (j.is_object()) {
    json out = json::object();
    for (const auto& [k, e] : j.items()) out[k] = normalised(e);
    return out;
  }
  return j;
}

TEST(JsonTree, ReadsValuesAndFindsMembersByName) {
  auto tree = json_tree::parse(
      R"( {"id": 42, "neg": -7, "name": "\u00e9 \"q\"\n", "on": true, "off": false,
           "none": null, "list": [1, "two", {"three": 3}], "inner": {"a": {"b": []}}} )");
  ASSERT_TRUE(tree);
  auto root = tree->root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.find("id")->as_int64(), 42);
  EXPECT_EQ(root.find("neg")->as_int64(), -7);
  EXPECT_EQ(root.find("name")->text(), "\xc3\xa9 \"q\"\n");
  EXPECT_TRUE(root.find("on")->boolean());
  EXPECT_TRUE(root.find("off")->is_boolean());
  EXPECT_FALSE(root.find("off")->boolean());
  EXPECT_TRUE(root.find("none")->is_null());
  EXPECT_FALSE(root.find("missing"));
  auto list = root.find("list")->elements();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[1].text(), "two");
  EXPECT_EQ(list[2].find("three")->as_int64(), 3);
  EXPECT_TRUE(root.find("inner")->find("a")->find("b")->is_array());
  EXPECT_TRUE(root.find("inner")->find("a")->find("b")->elements().empty());
  EXPECT_FALSE(root.find("list")->find("three")) << "an array has no members";
  EXPECT_FALSE(root.find("id")->find("x")) << "nor has a number";
}

TEST(JsonTree, TakesOnlyIntegersThatFitInInt64) {
  auto tree = json_tree::parse(
      R"([9223372036854775807, -9223372036854775808, 9223372036854775808, 1.5, 1e3, "1"])");
  ASSERT_TRUE(tree);
  auto e = tree->root().elements();
  EXPECT_EQ(e[0].as_int64(), INT64_MAX);
  EXPECT_EQ(e[1].as_int64(), INT64_MIN);
  for (std::size_t i = 2; i < e.size(); ++i) EXPECT_FALSE(e[i].as_int64()) << i;
  EXPECT_TRUE(e[3].is_number());
  EXPECT_FALSE(e[5].is_number());
}

TEST(JsonTree, ALaterDuplicateMemberWinsAsInADocument) {
  auto tree = json_tree::parse(R"({"a": 1, "b": 2, "a": {"c": 3}})");
  ASSERT_TRUE(tree);
  EXPECT_TRUE(tree->root().find("a")->is_object());
  EXPECT_EQ(as_document(tree->root()), json::parse(R"({"a": 1, "b": 2, "a": {"c": 3}})"));
}

TEST(JsonTree, RefusesWhatIsNotOneValidJsonValue) {
  for (std::string bad :
       {"", " ", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "{} {}", "[1] x", "tru", "01", "\"abc",
        "\"\\ud800\"", "\"\\x41\"", "\"\xff\"", "\"a\x01\"", "{'a': 1}", "NaN", "[1 2]"})
    EXPECT_FALSE(json_tree::parse(bad)) << bad;
  EXPECT_TRUE(json_tree::parse("\xEF\xBB\xBF{}"))
      << "a byte order mark is skipped, as nlohmann does";
}

// Random documents, written compactly or indented, read both ways; then
// the same texts with a byte changed, accepted or refused both ways.
TEST(JsonTree, AgreesWithADocumentOnRandomTexts) {
  std::mt19937_64 rng(20261206);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const std::vector<std::string> words = {"id", "a",  "text", "é", "\"",
                                          "\\", "\n", "日本", "",  "x y"};
  int accepted = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    auto doc = testing_support::random_json(rng, words, 4);
    auto text = doc.dump(pick(2) == 0 ? -1 : 2);
    auto tree = json_tree::parse(text);
    ASSERT_TRUE(tree) << text;
    ASSERT_EQ(as_document(tree->root()), normalised(json::parse(text))) << text;
    if (text.empty()) continue;
    text[static_cast<std::size_t>(pick(static_cast<int>(text.size())))] =
        "{}[],:\"\\ 0a-.e\x80"[pick(16)];
    auto theirs = json::parse(text, nullptr, false);
    auto ours = json_tree::parse(text);
    ASSERT_EQ(ours.has_value(), !theirs.is_discarded()) << text;
    if (ours) {
      ASSERT_EQ(as_document(ours->root()), normalised(theirs)) << text;
      ++accepted;
    } else {
      ++refused;
    }
  }
  EXPECT_GT(accepted, 100);
  EXPECT_GT(refused, 100);
}

}  // namespace
}  // namespace vpnbot::codec
