#include <gtest/gtest.h>

#include <fstream>

#include "domain/bot/ui/texts.hpp"

namespace vpnbot::telegram {
namespace {

const std::string source_dir = std::string(VPNBOT_SOURCE_DIR) + "/config/locales";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

result<texts, std::string> parse_pair(const std::string& en, const std::string& ru) {
  return texts::parse({{language::en, "en-test", en}, {language::ru, "ru-test", ru}});
}

TEST(TelegramTexts, BuiltInLocalesHaveTheSameKeys) {
  const auto& t = texts::builtin();
  auto en = t.keys(language::en);
  EXPECT_GT(en.size(), 50u);
  EXPECT_EQ(en, t.keys(language::ru));
  EXPECT_EQ(t.source(language::ru), "built-in");
}

TEST(TelegramTexts, SourceTreeLocalesParseAndMatchTheBuiltIn) {
  auto loaded = texts::load(source_dir);
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded->source(language::en), source_dir + "/en.json");
  for (auto l : all_languages) {
    ASSERT_EQ(loaded->keys(l), texts::builtin().keys(l));
    for (const auto& k : loaded->keys(l))
      EXPECT_EQ(loaded->label(l, k), texts::builtin().label(l, k)) << "rebuild to re-embed " << k;
  }
}

TEST(TelegramTexts, MissingDirectoryFallsBackToBuiltIn) {
  auto t = texts::load("/nonexistent/locales");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->source(language::en), "built-in");
  EXPECT_EQ(t->keys(language::en), texts::builtin().keys(language::en));
}

TEST(TelegramTexts, SubstitutesAndEscapes) {
  const auto& t = texts::builtin();
  EXPECT_TRUE(t.message(language::en, "greeting", {{"name", "<Ann & Bob>"}})
                  .starts_with("Hi, &lt;Ann &amp; Bob&gt;! 👋\n\n"));
  EXPECT_EQ(t.label(language::en, "btn.pay", {{"price", "<5 $>"}}), "Pay <5 $>");
  EXPECT_EQ(t.label(language::ru, "btn.pay", {{"price", "150 ₽"}}), "Оплатить 150 ₽");
  // A missing argument stays visible instead of vanishing.
  EXPECT_EQ(t.label(language::en, "btn.pay"), "Pay {price}");
  EXPECT_EQ(t.message(language::en, "no.such.key"), "no.such.key");
}

TEST(TelegramTexts, RussianPlurals) {
  const auto& t = texts::builtin();
  auto days = [&](int n) { return t.plural(language::ru, "plural.days", n); };
  EXPECT_EQ(days(1), "1 день");
  EXPECT_EQ(days(2), "2 дня");
  EXPECT_EQ(days(4), "4 дня");
  EXPECT_EQ(days(5), "5 дней");
  EXPECT_EQ(days(11), "11 дней");
  EXPECT_EQ(days(12), "12 дней");
  EXPECT_EQ(days(21), "21 день");
  EXPECT_EQ(days(22), "22 дня");
  EXPECT_EQ(days(30), "30 дней");
  EXPECT_EQ(days(111), "111 дней");
  EXPECT_EQ(days(101), "101 день");
  EXPECT_EQ(t.plural(language::ru, "plural.minutes", 1), "1 минуту");
  EXPECT_EQ(t.plural(language::en, "plural.days", 1), "1 day");
  EXPECT_EQ(t.plural(language::en, "plural.days", 0), "0 days");
  EXPECT_EQ(t.plural(language::en, "plural.days", 30), "30 days");
  EXPECT_EQ(plural_category(language::ru, -3), "few");
}

TEST(TelegramTexts, RefusesCatalogsThatDisagree) {
  auto missing = parse_pair(R"({"a":"x","b":"y"})", R"({"a":"x"})");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("lacks key \"b\""), std::string::npos);
  auto extra = parse_pair(R"({"a":"x"})", R"({"a":"x","c":"z"})");
  ASSERT_FALSE(extra);
  EXPECT_NE(extra.error().find("extra key \"c\""), std::string::npos);
  auto placeholders = parse_pair(R"({"a":"Hi {name}"})", R"({"a":"Привет {nam}"})");
  ASSERT_FALSE(placeholders);
  EXPECT_NE(placeholders.error().find("placeholders {nam}, English has {name}"), std::string::npos);
  EXPECT_FALSE(
      parse_pair(R"({"p":{"one":"{n}","other":"{n}"}})", R"({"p":{"one":"{n}","few":"{n}"}})"));
  EXPECT_FALSE(parse_pair(R"({"p":{"one":"{n}","other":"{n}"}})", R"({"p":"x"})"));
  EXPECT_FALSE(parse_pair(R"({"p":{"one":"{x}","other":"{n}"}})",
                          R"({"p":{"one":"{n}","few":"{n}","many":"{n}"}})"));
  EXPECT_FALSE(parse_pair(R"({"a":1})", R"({"a":1})"));
  EXPECT_FALSE(parse_pair("not json", "{}"));
  EXPECT_FALSE(texts::parse({{language::en, "x", "{}"}}));
  EXPECT_TRUE(parse_pair(R"({"a":"Hi {name}"})", R"({"a":"{name}, привет"})"));
}

TEST(TelegramTexts, RefusesMarkupTelegramWouldReject) {
  auto html = [](const std::string& key, const std::string& value) {
    auto doc = R"({")" + key + R"(":")" + value + R"("})";
    return parse_pair(doc, doc);
  };
  EXPECT_TRUE(html("m", "<b>bold</b> <i>it</i> <code>c</code> &amp; &lt;3"));
  EXPECT_FALSE(html("m", "<u>underline</u>"));
  EXPECT_FALSE(html("m", "Tom & Jerry"));
  EXPECT_FALSE(html("m", "a > b"));
  EXPECT_FALSE(html("btn.x", "<b>label</b>"));
  EXPECT_TRUE(html("btn.x", "Tom & Jerry"));
}

TEST(TelegramTexts, LoadReportsABrokenFile) {
  auto dir = std::filesystem::temp_directory_path() / "vpnbot_texts_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "en.json") << read(source_dir + "/en.json");
    std::ofstream(dir / "ru.json") << R"({"greeting":"Привет"})";
  }
  auto r = texts::load(dir);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find((dir / "ru.json").string()), std::string::npos);
  std::filesystem::remove(dir / "ru.json");
  auto mixed = texts::load(dir);  // ru falls back to the built-in copy
  ASSERT_TRUE(mixed) << mixed.error();
  EXPECT_EQ(mixed->source(language::ru), "built-in");
  std::filesystem::remove_all(dir);
}

TEST(TelegramLanguage, ChoosesFromTelegramLanguageCode) {
  EXPECT_EQ(language_for(std::nullopt), language::en);
  EXPECT_EQ(language_for("ru"), language::ru);
  EXPECT_EQ(language_for("ru-RU"), language::ru);
  EXPECT_EQ(language_for("RU"), language::ru);
  EXPECT_EQ(language_for("be"), language::ru);
  EXPECT_EQ(language_for("uk"), language::en);
  EXPECT_EQ(language_for("en-US"), language::en);
  EXPECT_EQ(language_for("de"), language::en);
  EXPECT_EQ(language_for(""), language::en);
  EXPECT_EQ(parse_language("ru"), language::ru);
  EXPECT_FALSE(parse_language("ru-RU"));
  EXPECT_EQ(code(language::ru), "ru");
}

}  // namespace
}  // namespace vpnbot::telegram
