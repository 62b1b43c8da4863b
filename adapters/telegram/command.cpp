#include "adapters/telegram/command.hpp"

#include <algorithm>

#include "adapters/codec/ascii.hpp"

namespace vpnbot::telegram {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_word_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

}  // namespace

std::optional<command> parse_command(std::string_view text, std::string_view bot_username) {
  if (text.empty() || text.front() != '/') return std::nullopt;
  std::size_t end = 1;
  while (end < text.size() && !is_space(text[end])) ++end;
  auto word = text.substr(1, end - 1);
  auto at = word.find('@');
  auto name = word.substr(0, at);
  if (name.empty() || name.size() > 32 || !std::all_of(name.begin(), name.end(), is_word_char))
    return std::nullopt;
  if (at != std::string_view::npos && !bot_username.empty() &&
      codec::ascii_lower(word.substr(at + 1)) != codec::ascii_lower(bot_username))
    return std::nullopt;
  auto rest = text.substr(end);
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
  return command{codec::ascii_lower(name), std::string(rest)};
}

std::optional<std::string> start_payload(std::string_view args) {
  if (args.empty() || args.size() > 64) return std::nullopt;
  for (char c : args)
    if (!is_word_char(c) && c != '-') return std::nullopt;
  return std::string(args);
}

}  // namespace vpnbot::telegram
