#include "adapters/telegram/html_markup.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace vpnbot::telegram {
namespace {

constexpr std::array<std::string_view, 16> known_tags = {
    "b",   "strong", "i",    "em",  "u",          "ins",        "s",        "strike",
    "del", "a",      "code", "pre", "blockquote", "tg-spoiler", "tg-emoji", "span"};

bool is_known(std::string_view name) {
  return std::find(known_tags.begin(), known_tags.end(), name) != known_tags.end();
}

// The entity starting at s[i] ('&'), its length; 0 when it is not one.
std::size_t entity_at(std::string_view s, std::size_t i) {
  for (std::string_view named : {"&lt;", "&gt;", "&amp;", "&quot;"})
    if (s.substr(i).starts_with(named)) return named.size();
  auto end = s.find(';', i);
  if (end == std::string_view::npos || end - i < 3 || s[i + 1] != '#') return 0;
  auto digits = s.substr(i + 2, end - i - 2);
  bool hex = digits.front() == 'x' || digits.front() == 'X';
  if (hex) digits.remove_prefix(1);
  if (digits.empty()) return 0;
  for (char c : digits)
    if (!(hex ? std::isxdigit(static_cast<unsigned char>(c))
              : std::isdigit(static_cast<unsigned char>(c))))
      return 0;
  return end - i + 1;
}

}  // namespace

std::optional<std::string> html_markup_problem(std::string_view text) {
  std::vector<std::string> open;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      auto n = entity_at(text, i);
      if (n == 0) return std::string("a bare '&' (write &amp;)");
      i += n - 1;
      continue;
    }
    if (text[i] != '<') continue;
    auto close = text.find('>', i);
    if (close == std::string_view::npos) return std::string("a bare '<' (write &lt;)");
    auto tag = text.substr(i + 1, close - i - 1);
    bool closing = tag.starts_with('/');
    if (closing) tag.remove_prefix(1);
    auto name = std::string(tag.substr(0, tag.find_first_of(" \t\n")));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!is_known(name)) return "a tag Telegram does not know: <" + std::string(tag) + ">";
    if (closing) {
      if (open.empty() || open.back() != name)
        return "</" + name + "> closes no open <" + name + ">";
      open.pop_back();
    } else {
      if (name == "a" && tag.find("href=") == std::string_view::npos)
        return std::string("<a> without href");
      open.push_back(name);
    }
    i = close;
  }
  if (!open.empty()) return "<" + open.back() + "> is not closed";
  return std::nullopt;
}

}  // namespace vpnbot::telegram
