#include "domain/bot/ui/language.hpp"

#include <cctype>
#include <string>

namespace vpnbot::telegram {

std::string_view code(language l) {
  return l == language::ru ? "ru" : "en";
}

std::optional<language> parse_language(std::string_view c) {
  if (c == "en") return language::en;
  if (c == "ru") return language::ru;
  return std::nullopt;
}

language language_for(std::optional<std::string_view> language_code) {
  if (!language_code) return language::en;
  auto primary = language_code->substr(0, language_code->find_first_of("-_"));
  std::string lower;
  for (char c : primary) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "ru" || lower == "be") return language::ru;
  return language::en;
}

}  // namespace vpnbot::telegram
