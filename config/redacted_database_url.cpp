#include "config/redacted_database_url.hpp"

#include <cctype>

namespace vpnbot::config {
namespace {

constexpr std::string_view mask = "***";

bool is_password_key(std::string_view key) {
  constexpr std::string_view name = "password";
  if (key.size() != name.size()) return false;
  for (std::size_t i = 0; i < key.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(key[i])) != name[i]) return false;
  return true;
}

std::string redacted_uri(std::string_view url, std::size_t after_scheme) {
  auto query = url.find('?', after_scheme);
  auto head = url.substr(0, query);
  std::string out;
  // Host names hold no '@': the last one ends the user info.
  auto at = head.rfind('@');
  auto colon = at == std::string_view::npos ? std::string_view::npos : head.find(':', after_scheme);
  if (colon != std::string_view::npos && colon < at)
    out = std::string(head.substr(0, colon + 1)) + std::string(mask) + std::string(head.substr(at));
  else
    out = std::string(head);
  if (query == std::string_view::npos) return out;
  out += '?';
  auto rest = url.substr(query + 1);
  bool first = true;
  while (true) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    if (!first) out += '&';
    first = false;
    if (eq != std::string_view::npos && is_password_key(pair.substr(0, eq)))
      out += std::string(pair.substr(0, eq + 1)) + std::string(mask);
    else
      out += std::string(pair);
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return out;
}

// key = value pairs separated by spaces; a value may be single-quoted with
// backslash escapes.
std::string redacted_conninfo(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto eq = text.find('=', i);
    if (eq == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    auto key_end = eq;
    while (key_end > i && std::isspace(static_cast<unsigned char>(text[key_end - 1]))) --key_end;
    auto key_start =
        key_end == 0 ? std::string_view::npos : text.find_last_of(" \t\n", key_end - 1);
    key_start = key_start == std::string_view::npos || key_start < i ? i : key_start + 1;
    auto key = text.substr(key_start, key_end - key_start);
    auto v = eq + 1;
    while (v < text.size() && std::isspace(static_cast<unsigned char>(text[v]))) ++v;
    auto end = v;
    if (end < text.size() && text[end] == '\'') {
      ++end;
      while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, text.size());
    } else {
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    }
    out += text.substr(i, v - i);
    out += is_password_key(key) ? std::string(mask) : std::string(text.substr(v, end - v));
    i = end;
  }
  return out;
}

}  // namespace

std::string redacted_database_url(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) return redacted_uri(url, scheme + 3);
  return redacted_conninfo(url);
}

}  // namespace vpnbot::config
