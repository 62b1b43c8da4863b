// config/locales/en.json and the code are one list of texts: every key in
// the file is used by the code, and every key the code names in a call of
// message(, label( or plural( is in the file. (ru.json is held to en.json's
// keys by texts::parse itself.)
//
// A key is used when the code spells it as a string literal, or when it is
// one of the few keys the code builds at run time from a prefix listed in
// `dynamic` below, with the suffixes that prefix can really get.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "domain/bot/ui/texts.hpp"

namespace vpnbot::telegram {
namespace {

namespace fs = std::filesystem;

const fs::path source_dir = VPNBOT_SOURCE_DIR;

struct source_file {
  std::string path;
  std::string text;
};

// The code that may talk to users: everything but the tests.
std::vector<source_file> code() {
  std::vector<source_file> out;
  for (const char* floor : {"app", "actors", "domain", "adapters"}) {
    for (const auto& e : fs::recursive_directory_iterator(source_dir / floor)) {
      auto ext = e.path().extension();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
      std::ifstream in(e.path(), std::ios::binary);
      out.push_back(
          {fs::relative(e.path(), source_dir).string(), {std::istreambuf_iterator<char>(in), {}}});
    }
  }
  return out;
}

std::vector<std::string> en_keys() {
  auto loaded = texts::load(source_dir / "config" / "locales");
  if (!loaded) {
    ADD_FAILURE() << loaded.error();
    return {};
  }
  return loaded->keys(language::en);
}

// A key the code builds as `"<prefix>" + suffix`, and every suffix it can get.
struct dynamic_prefix {
  std::string prefix;
  std::vector<std::string> suffixes;
};

std::vector<dynamic_prefix> dynamic() {
  // domain/bot/ui/keyboards.cpp: "btn.method." + method, for the configured
  // methods (config::settings' default lists every one the loader accepts)
  // and "balance", which the purchase screen adds itself.
  dynamic_prefix methods{"btn.method.", config::settings{}.bot.payment_methods};
  methods.suffixes.push_back("balance");
  return {
      methods,
      // domain/bot/account_screens.cpp: "subs.status." + status, the
      // subscriptions.status values (migration 0001's CHECK) and "pending"
      // (active, the client not made yet).
      {"subs.status.", {"active", "expired", "disabled", "pending"}},
      // domain/bot/ui/display.cpp: "month." + 1..12.
      {"month.", {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}},
      // domain/bot/admin_broadcast_screens.cpp: "btn.segment." + the
      // broadcasts::segment names (language with its two languages), and
      // "plain.broadcast_state." + the broadcasts::run_state names.
      {"btn.segment.",
       {"all", "active_paid", "trial", "expired", "never_paid", "language_en", "language_ru"}},
      {"plain.broadcast_state.", {"running", "paused", "cancelled", "done"}},
  };
}

// The text of the call whose '(' is at `open`, up to its closing ')'
// (string and character literals skipped).
std::string call_arguments(const std::string& s, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      for (++i; i < s.size() && s[i] != c; ++i)
        if (s[i] == '\\') ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return s.substr(open, i - open + 1);
    }
  }
  return s.substr(open);
}

TEST(LocaleKeys, EveryKeyInEnJsonIsUsedByTheCode) {
  auto keys = en_keys();
  ASSERT_GT(keys.size(), 50u);
  auto files = code();
  ASSERT_GT(files.size(), 50u);

  std::set<std::string> literals;
  std::regex literal(R"re("([a-z_]+(?:\.[a-z0-9_]+)*)")re");
  for (const auto& f : files)
    for (std::sregex_iterator it(f.text.begin(), f.text.end(), literal), end; it != end; ++it)
      literals.insert((*it)[1]);

  std::set<std::string> built;
  for (const auto& d : dynamic()) {
    bool prefix_in_code = false;
    std::regex concatenation("\"" + std::regex_replace(d.prefix, std::regex(R"(\.)"), R"(\.)") +
                             R"("\s*\+)");
    for (const auto& f : files)
      prefix_in_code = prefix_in_code || std::regex_search(f.text, concatenation);
    EXPECT_TRUE(prefix_in_code) << "no code builds keys as \"" << d.prefix
                                << "\" + ...; drop it from this test's list";
    for (const auto& s : d.suffixes) built.insert(d.prefix + s);
  }

  std::set<std::string> in_file(keys.begin(), keys.end());
  for (const auto& k : keys)
    EXPECT_TRUE(literals.count(k) || built.count(k))
        << "config/locales/en.json has \"" << k << "\", which no code uses";
  for (const auto& k : built)
    EXPECT_TRUE(in_file.count(k)) << "the code builds the key \"" << k
                                  << "\", which config/locales/en.json lacks";
}

TEST(LocaleKeys, EveryKeyTheCodeAsksForIsInEnJson) {
  auto keys = en_keys();
  ASSERT_GT(keys.size(), 50u);
  std::set<std::string> in_file(keys.begin(), keys.end());

  // A key-shaped literal anywhere in the arguments (ternaries included), not
  // followed by '+' (a dynamic prefix, checked above).
  std::regex call(R"(\b(message|label|plural)\()");
  std::regex key(R"re("([a-z_]+(?:\.[a-z0-9_]+)+\.?)"(\s*\+)?)re");
  std::size_t asked = 0;
  for (const auto& f : code()) {
    for (std::sregex_iterator it(f.text.begin(), f.text.end(), call), end; it != end; ++it) {
      auto open = static_cast<std::size_t>(it->position(0) + it->length(0) - 1);
      auto args = call_arguments(f.text, open);
      for (std::sregex_iterator k(args.begin(), args.end(), key), kend; k != kend; ++k) {
        if ((*k)[2].matched) continue;
        ++asked;
        EXPECT_TRUE(in_file.count((*k)[1]))
            << f.path << " asks for \"" << (*k)[1] << "\", which config/locales/en.json lacks";
      }
    }
  }
  EXPECT_GT(asked, 80u);  // the calls were found
}

}  // namespace
}  // namespace vpnbot::telegram
