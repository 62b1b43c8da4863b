#pragma once

// Debian's `chromium` in headless mode, driven over the DevTools protocol
// (a websocket to its first page): navigate, evaluate JavaScript in the
// page, take a screenshot. For the browser tests of the sandbox's web chat.

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace vpnbot::testing_support {

class headless_chromium {
 public:
  // Starts the browser with a fresh profile; throws std::runtime_error when
  // no `chromium` is on PATH (scripts/install-deps.sh installs it) or it
  // does not open its DevTools port in time.
  headless_chromium();
  ~headless_chromium();
  headless_chromium(const headless_chromium&) = delete;
  headless_chromium& operator=(const headless_chromium&) = delete;

  void navigate(const std::string& url);
  // The expression's value (promises awaited); throws when it throws.
  nlohmann::json evaluate(const std::string& expression);
  // True once the expression is truthy, polling until `timeout`; an
  // expression that throws (the page is still loading) counts as false.
  bool wait_until(const std::string& expression, std::chrono::milliseconds timeout);
  // The viewport as PNG bytes.
  std::string screenshot_png();

  struct session;

 private:
  nlohmann::json call(const std::string& method, nlohmann::json params);

  pid_t pid_ = -1;
  std::string profile_dir_;
  std::unique_ptr<session> session_;
  int next_id_ = 1;
};

}  // namespace vpnbot::testing_support
