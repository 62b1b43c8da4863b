#include "domain/bot/ui/texts.hpp"

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "domain/bot/ui/embedded_locales.hpp"

namespace vpnbot::telegram {

namespace {

using nlohmann::json;

std::size_t index(language l) {
  return static_cast<std::size_t>(l);
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of the placeholder "{name}" starting at s[i], or 0 when there is none.
std::size_t placeholder_at(std::string_view s, std::size_t i) {
  if (s[i] != '{') return 0;
  auto j = i + 1;
  while (j < s.size() && is_name_char(s[j])) ++j;
  if (j == i + 1 || j >= s.size() || s[j] != '}') return 0;
  return j - i + 1;
}

std::set<std::string> placeholders(std::string_view s) {
  std::set<std::string> out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (auto n = placeholder_at(s, i)) {
      out.insert(std::string(s.substr(i + 1, n - 2)));
      i += n - 1;
    }
  return out;
}

std::string join(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "{" : ", {") + n + "}";
  return out.empty() ? "none" : out;
}

bool is_plain_key(std::string_view key) {
  for (std::string_view prefix : {"btn.", "invoice.", "callback.", "plain."})
    if (key.starts_with(prefix)) return true;
  return false;
}

// What makes a template unfit for its kind: markup in plain text, or HTML
// that Telegram would reject.
std::optional<std::string> markup_problem(std::string_view key, std::string_view t) {
  if (is_plain_key(key)) {
    if (t.find_first_of("<>") != std::string_view::npos) return "plain-text key holds markup";
    return std::nullopt;
  }
  // <s>: a discounted order strikes its list price through.
  static constexpr std::array<std::string_view, 8> tags = {"<b>",    "</b>",    "<i>", "</i>",
                                                           "<code>", "</code>", "<s>", "</s>"};
  static constexpr std::array<std::string_view, 4> entities = {"&amp;", "&lt;", "&gt;", "&quot;"};
  // Tags and entities are skipped whole, so any '<', '>' or '&' met
  // outside them is bare.
  auto skip = [&](std::size_t i, auto candidates) -> std::size_t {
    for (auto c : candidates)
      if (t.substr(i).starts_with(c)) return c.size();
    return 0;
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '<') {
      auto n = skip(i, tags);
      if (n == 0) return "HTML tag other than <b>, <i>, <code>, <s>";
      i += n - 1;
    } else if (t[i] == '&') {
      auto n = skip(i, entities);
      if (n == 0) return "a bare '&' (write &amp;)";
      i += n - 1;
    } else if (t[i] == '>') {
      return "a bare '>' (write &gt;)";
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> categories(language l) {
  if (l == language::ru) return {"one", "few", "many"};
  return {"one", "other"};
}

void escape_html(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

std::string_view plural_category(language l, std::int64_t n) {
  std::uint64_t a = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  if (l == language::ru) {
    auto d = a % 10, h = a % 100;
    if (d == 1 && h != 11) return "one";
    if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return "few";
    return "many";
  }
  return a == 1 ? "one" : "other";
}

std::uint64_t texts::next_id() {
  static std::atomic<std::uint64_t> made{0};
  return ++made;
}

result<texts, std::string> texts::parse(const std::vector<locale_document>& documents) {
  texts t;
  std::array<bool, all_languages.size()> seen{};
  for (const auto& doc : documents) {
    auto where = std::string(code(doc.lang)) + " (" + doc.source + ")";
    if (seen[index(doc.lang)]) return fail("locale " + where + " given twice");
    seen[index(doc.lang)] = true;
    t.sources_[index(doc.lang)] = doc.source;
    auto j = json::parse(doc.json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail("locale " + where + ": not a JSON object");
    auto& cat = t.catalogs_[index(doc.lang)];
    for (const auto& [key, value] : j.items()) {
      auto bad = [&](const std::string& what) {
        return fail("locale " + where + ", key \"" + key + "\": " + what);
      };
      entry e;
      if (value.is_string()) {
        e.text = value.get<std::string>();
        if (auto p = markup_problem(key, e.text)) return bad(*p);
      } else if (value.is_object()) {
        e.plural = true;
        for (auto c : categories(doc.lang)) {
          auto form = value.find(c);
          if (form == value.end() || !form->is_string())
            return bad("plural form \"" + std::string(c) + "\" missing");
          e.forms.emplace(c, form->get<std::string>());
          auto names = placeholders(form->get<std::string>());
          if (!names.empty() && names != std::set<std::string>{"n"})
            return bad("a plural form may use only {n}");
        }
        if (value.size() != e.forms.size())
          return bad("plural forms must be exactly " + std::to_string(e.forms.size()) +
                     " for this language");
      } else {
        return bad("expected a string or an object of plural forms");
      }
      cat.emplace(key, std::move(e));
    }
  }
  for (auto l : all_languages)
    if (!seen[index(l)]) return fail("locale " + std::string(code(l)) + " missing");

  // English is the reference every other locale is held to.
  const auto& ref = t.catalogs_[index(language::en)];
  for (auto l : all_languages) {
    if (l == language::en) continue;
    const auto& cat = t.catalogs_[index(l)];
    auto where = std::string(code(l)) + " (" + t.sources_[index(l)] + ")";
    for (const auto& [key, e] : ref) {
      auto it = cat.find(key);
      if (it == cat.end()) return fail("locale " + where + " lacks key \"" + key + "\"");
      if (it->second.plural != e.plural)
        return fail("locale " + where + ", key \"" + key + "\": plural in one locale only");
      if (!e.plural && placeholders(e.text) != placeholders(it->second.text))
        return fail("locale " + where + ", key \"" + key + "\": placeholders " +
                    join(placeholders(it->second.text)) + ", English has " +
                    join(placeholders(e.text)));
    }
    for (const auto& [key, e] : cat)
      if (!ref.contains(key)) return fail("locale " + where + " has extra key \"" + key + "\"");
  }
  return t;
}

const texts& texts::builtin() {
  static const texts catalog = [] {
    std::vector<locale_document> docs;
    for (auto l : all_languages)
      docs.push_back({l, "built-in", std::string(embedded_locale(code(l)))});
    auto parsed = parse(docs);
    // Only a broken build gets here; the locale unit tests catch it first.
    if (!parsed) throw std::logic_error("built-in locales: " + parsed.error());
    return std::move(*parsed);
  }();
  return catalog;
}

result<texts, std::string> texts::load(const std::filesystem::path& dir) {
  std::vector<locale_document> docs;
  for (auto l : all_languages) {
    auto path = dir / (std::string(code(l)) + ".json");
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      docs.push_back({l, "built-in", std::string(embedded_locale(code(l)))});
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (!in) return fail("cannot read " + path.string());
    docs.push_back({l, path.string(), content.str()});
  }
  return parse(docs);
}

std::string texts::render(language l, std::string_view key, text_args args, bool html) const {
  const auto& cat = catalogs_[index(l)];
  auto it = cat.find(key);
  // Unknown keys show up as themselves: visible in a test, harmless to a user.
  if (it == cat.end() || it->second.plural) return std::string(key);
  std::string_view t = it->second.text;
  std::string out;
  out.reserve(t.size() + 32);
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (auto n = placeholder_at(t, i)) {
      auto name = t.substr(i + 1, n - 2);
      const std::pair<std::string_view, std::string_view>* arg = nullptr;
      for (const auto& a : args)
        if (a.first == name) arg = &a;
      if (!arg) {
        out.append(t.substr(i, n));
      } else if (html) {
        escape_html(out, arg->second);
      } else {
        out.append(arg->second);
      }
      i += n - 1;
    } else {
      out += t[i];
    }
  }
  return out;
}

std::string texts::message(language l, std::string_view key, text_args args) const {
  return render(l, key, args, true);
}

std::string texts::label(language l, std::string_view key, text_args args) const {
  return render(l, key, args, false);
}

std::string texts::plural(language l, std::string_view key, std::int64_t n) const {
  const auto& cat = catalogs_[index(l)];
  auto it = cat.find(key);
  if (it == cat.end() || !it->second.plural) return std::string(key);
  auto form = it->second.forms.at(std::string(plural_category(l, n)));
  auto at = form.find("{n}");
  if (at != std::string::npos) form.replace(at, 3, std::to_string(n));
  return form;
}

bool texts::has(language l, std::string_view key) const {
  return catalogs_[index(l)].contains(key);
}

std::vector<std::string> texts::keys(language l) const {
  std::vector<std::string> out;
  for (const auto& [k, e] : catalogs_[index(l)]) out.push_back(k);
  return out;
}

const std::string& texts::source(language l) const {
  return sources_[index(l)];
}

}  // namespace vpnbot::telegram
