#pragma once

// Everything the bot says, per language, from config/locales/<code>.json.
//
// A locale file is a JSON object: key -> template, or key -> plural forms
// ({"one": .., "other": ..} in English; {"one", "few", "many"} in Russian).
// Templates name their arguments as {placeholder}. Message texts are
// Telegram HTML (only <b>, <i>, <code> and the entities &amp; &lt; &gt;
// &quot;); keys starting with btn., invoice., callback. or plain. are plain
// text (button labels, invoice fields, callback toasts, share text).
//
// Every locale must have exactly English's keys with the same placeholders;
// a catalog that breaks this is refused as a whole, so a missing text is
// found when the files are loaded, not when a user reaches that screen.

#include <array>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/telegram/result.hpp"
#include "domain/bot/ui/language.hpp"

namespace vpnbot::telegram {

// {name} -> value for one rendering.
using text_args = std::initializer_list<std::pair<std::string_view, std::string_view>>;

struct locale_document {
  language lang;
  std::string source;  // a path, or "built-in"
  std::string json;
};

class texts {
 public:
  // The catalog from documents covering every language exactly once.
  static result<texts, std::string> parse(const std::vector<locale_document>& documents);
  // The locale files as compiled into the binary.
  static const texts& builtin();
  // <dir>/<code>.json for each language; a missing file (or directory) means
  // the built-in copy of that locale, a broken one is an error.
  static result<texts, std::string> load(const std::filesystem::path& dir);
  // Relative to the working directory, like the data directory.
  static std::filesystem::path default_directory() { return "config/locales"; }

  // Telegram HTML: argument values are escaped.
  std::string message(language l, std::string_view key, text_args args = {}) const;
  // Plain text: argument values are inserted as they are.
  std::string label(language l, std::string_view key, text_args args = {}) const;
  // The plural form for n with {n} filled in, e.g. plural(ru, "plural.days", 3) == "3 дня".
  std::string plural(language l, std::string_view key, std::int64_t n) const;

  // Distinct for every catalog made (a copy keeps it): what keys a memo of
  // things built from the texts, since an address can be reused.
  std::uint64_t id() const { return id_; }

  bool has(language l, std::string_view key) const;
  std::vector<std::string> keys(language l) const;
  const std::string& source(language l) const;

 private:
  struct entry {
    std::string text;                          // a template, unless plural
    std::map<std::string, std::string> forms;  // plural category -> template
    bool plural = false;
  };
  using catalog = std::map<std::string, entry, std::less<>>;

  std::string render(language l, std::string_view key, text_args args, bool html) const;

  static std::uint64_t next_id();

  std::uint64_t id_ = next_id();
  std::array<catalog, all_languages.size()> catalogs_;
  std::array<std::string, all_languages.size()> sources_;
};

// The plural category of n: "one"/"other" in English, "one"/"few"/"many" in Russian.
std::string_view plural_category(language l, std::int64_t n);

}  // namespace vpnbot::telegram
