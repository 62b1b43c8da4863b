#pragma once

// `vpnbot --sandbox` as a child process for end-to-end tests: its own data
// directory (the sandbox's embedded PostgreSQL goes below it), a free
// loopback port, and helpers for the JSON behind the web chat.

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/emulators/http_call.hpp"
#include "support/service_process.hpp"

namespace vpnbot::testing_support {

class sandbox_process {
 public:
  // Starts the binary and waits until /readyz answers 200; throws
  // std::runtime_error with the log's tail when it does not in time.
  sandbox_process();
  ~sandbox_process();
  sandbox_process(const sandbox_process&) = delete;
  sandbox_process& operator=(const sandbox_process&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path) const;

  emulators::http_result get(const std::string& target) const;
  emulators::http_result post(const std::string& target, const nlohmann::json& body) const;

  // GET /sandbox/api/chat for the user, parsed.
  nlohmann::json chat(int64_t user_id) const;
  // The newest message of the user's chat with a button whose text
  // contains `label`, waiting up to `timeout`; nullopt when none came.
  std::optional<nlohmann::json> message_with_button(int64_t user_id, const std::string& label,
                                                    std::chrono::milliseconds timeout) const;

 private:
  std::string data_dir_;
  std::unique_ptr<service_process> process_;
  uint16_t port_ = 0;
};

// The button of `message` whose text contains `label`, or null.
nlohmann::json button_of(const nlohmann::json& message, const std::string& label);

}  // namespace vpnbot::testing_support
