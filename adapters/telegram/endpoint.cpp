#include "adapters/telegram/endpoint.hpp"

namespace vpnbot::telegram {

namespace {

bool is_token_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' ||
         c == '_' || c == '-';
}

bool looks_like_token(std::string_view s) {
  if (s.empty() || s.find(':') == std::string_view::npos) return false;
  for (char c : s)
    if (!is_token_char(c)) return false;
  return true;
}

// In text that may hold a percent-encoded URL.
bool is_encoded_token_char(char c) {
  return is_token_char(c) || c == '%';
}

bool looks_like_encoded_token(std::string_view s) {
  return s.find(':') != std::string_view::npos || s.find("%3A") != std::string_view::npos ||
         s.find("%3a") != std::string_view::npos;
}

}  // namespace

result<endpoint, std::string> endpoint::make(std::string_view base_url, std::string_view token) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto scheme_end = base.find("://");
  if (scheme_end == std::string::npos ||
      (base.compare(0, scheme_end, "http") != 0 && base.compare(0, scheme_end, "https") != 0) ||
      scheme_end + 3 >= base.size())
    return fail(std::string("telegram.api_base: expected an http:// or https:// URL with a host"));
  if (base.find_first_of("?# \r\n") != std::string::npos)
    return fail(std::string("telegram.api_base: expected no query, fragment or whitespace"));
  // A token is "<bot id>:<secret>"; checking the shape keeps it from
  // smuggling '/', '?' or spaces into the request target.
  auto colon = token.find(':');
  if (!looks_like_token(token) || colon == 0 || colon + 1 == token.size())
    return fail(std::string("telegram.token: expected <digits>:<secret> as issued by @BotFather"));
  for (std::size_t i = 0; i < colon; ++i)
    if (token[i] < '0' || token[i] > '9')
      return fail(
          std::string("telegram.token: expected <digits>:<secret> as issued by @BotFather"));
  return endpoint(std::move(base), std::string(token));
}

std::string endpoint::path(std::string_view method) const {
  std::string p = "/bot";
  p.append(token_).append("/").append(method);
  return p;
}

std::string endpoint::redacted_url(std::string_view method) const {
  std::string u = base_ + "/bot***/";
  u.append(method);
  return u;
}

std::string redact(std::string_view text) {
  static constexpr std::string_view marker = "/bot";
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (true) {
    auto hit = text.find(marker, pos);
    if (hit == std::string_view::npos) break;
    auto start = hit + marker.size();
    auto end = start;
    while (end < text.size() && is_encoded_token_char(text[end])) ++end;
    out.append(text.substr(pos, start - pos));
    if (looks_like_encoded_token(text.substr(start, end - start))) {
      out.append("***");
      pos = end;
    } else {
      pos = start;
    }
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace vpnbot::telegram
