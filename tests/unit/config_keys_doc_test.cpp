// config/vpnbot.example.toml documents every setting: each key of the
// schema (config/schema/) is written in its section there, set or commented
// out, and the example names no key the schema does not know.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <utility>

#include "config/schema/schema.hpp"

namespace vpnbot::config {
namespace {

using section_key = std::pair<std::string, std::string>;

// "key = value" lines, commented out or not, under "[section]",
// "[[panels]]" or "# [[panels]]".
std::set<section_key> example_keys() {
  std::ifstream in(std::string(VPNBOT_SOURCE_DIR) + "/config/vpnbot.example.toml");
  std::set<section_key> out;
  std::regex header(R"(^\s*#?\s*\[\[?([a-z_]+)\]\]?\s*$)");
  std::regex assignment(R"(^\s*#?\s*([a-z_0-9]+)\s*=)");
  std::string section;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, header))
      section = m[1];
    else if (std::regex_search(line, m, assignment))
      out.insert({section, m[1]});
  }
  return out;
}

TEST(ConfigKeysDoc, EverySchemaKeyIsInTheExampleFile) {
  auto example = example_keys();
  ASSERT_GT(example.size(), 50u);  // the file was found and read
  for (const auto& k : schema())
    EXPECT_TRUE(example.count({k.section, k.key}))
        << k.section << "." << k.key << " is missing from config/vpnbot.example.toml";
  for (const auto& k : panel_schema())
    EXPECT_TRUE(example.count({"panels", k.key}))
        << "[[panels]] " << k.key << " is missing from config/vpnbot.example.toml";
}

TEST(ConfigKeysDoc, EveryKeyInTheExampleFileIsInTheSchema) {
  for (const auto& [section, key] : example_keys()) {
    if (section == "panels")
      EXPECT_NE(find_panel_key(key), nullptr) << "[[panels]] " << key << " is not a key";
    else
      EXPECT_NE(find_key(section, key), nullptr) << section << "." << key << " is not a key";
  }
}

}  // namespace
}  // namespace vpnbot::config
