#pragma once

// Where Bot API calls go: a base URL (Telegram, a local Bot API server or a
// test emulator) and the bot token, which is a credential. The token lives in
// the URL path, so anything that prints a URL must pass it through redact().

#include <string>
#include <string_view>

#include "adapters/telegram/result.hpp"

namespace vpnbot::telegram {

class endpoint {
 public:
  // base_url: http(s)://host[:port][/prefix], a trailing slash is ignored.
  // token: as issued by @BotFather; only [A-Za-z0-9:_-] can appear in one.
  // Error texts never contain the token.
  // Empty, for holders that assign a made one later (actor states).
  endpoint() = default;
  static result<endpoint, std::string> make(std::string_view base_url, std::string_view token);

  const std::string& base_url() const { return base_; }
  // "/bot<token>/<method>" — the path part of the request target.
  std::string path(std::string_view method) const;
  std::string url(std::string_view method) const { return base_ + path(method); }
  // The URL with the token replaced, for logs and error texts.
  std::string redacted_url(std::string_view method) const;

 private:
  endpoint(std::string base, std::string token)
      : base_(std::move(base)), token_(std::move(token)) {}
  std::string base_;
  std::string token_;
};

// Replaces the token in every "/bot<token>" of a text (a URL, an exception
// message, a proxy's error page) by "***", also when its ':' is
// percent-encoded. A run of token characters after "/bot" counts as a token
// when it contains a ':'; "/botany" and "/bot/" stay as they are.
std::string redact(std::string_view text);

}  // namespace vpnbot::telegram
