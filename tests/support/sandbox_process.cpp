#include "support/sandbox_process.hpp"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

#include "support/eventually.hpp"

namespace vpnbot::testing_support {

using namespace std::chrono_literals;
using json = nlohmann::json;

sandbox_process::sandbox_process() {
  char tmpl[] = "/tmp/vpnbot-sandbox-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  data_dir_ = tmpl;
  process_ = std::make_unique<service_process>(
      std::vector<std::string>{"--sandbox"},
      std::map<std::string, std::string>{{"VPNBOT_HTTP_LISTEN", "127.0.0.1:0"},
                                         {"VPNBOT_SERVICE_DATA_DIR", data_dir_},
                                         {"VPNBOT_LOG_LEVEL", "info"},
                                         {"VPNBOT_SERVICE_SHUTDOWN_TIMEOUT", "10s"}});
  auto port = process_->wait_for_http_port(90s);
  auto tail = [this] {
    std::string out;
    for (const auto& l : process_->lines()) out += l + "\n";
    return out;
  };
  if (!port) throw std::runtime_error("the sandbox never listened:\n" + tail());
  port_ = *port;
  if (!eventually([&] { return get("/readyz").status == 200; }, 60s))
    throw std::runtime_error("the sandbox never got ready:\n" + tail());
}

sandbox_process::~sandbox_process() {
  process_->signal(SIGTERM);
  process_->wait_exit(30s);
  process_.reset();
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
}

std::string sandbox_process::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

emulators::http_result sandbox_process::get(const std::string& target) const {
  return emulators::http_call(port_, "GET", target);
}

emulators::http_result sandbox_process::post(const std::string& target, const json& body) const {
  return emulators::http_call(port_, "POST", target, body.dump(),
                              {{"Content-Type", "application/json"}});
}

json sandbox_process::chat(int64_t user_id) const {
  auto r = get("/sandbox/api/chat?user_id=" + std::to_string(user_id));
  if (r.status != 200) return json::array();
  return json::parse(r.body);
}

std::optional<json> sandbox_process::message_with_button(int64_t user_id, const std::string& label,
                                                         std::chrono::milliseconds timeout) const {
  std::optional<json> found;
  eventually(
      [&] {
        auto messages = chat(user_id);
        for (auto it = messages.rbegin(); it != messages.rend(); ++it)
          if (!button_of(*it, label).is_null()) {
            found = *it;
            return true;
          }
        std::this_thread::sleep_for(100ms);
        return false;
      },
      timeout);
  return found;
}

json button_of(const json& message, const std::string& label) {
  if (!message.contains("reply_markup")) return nullptr;
  for (const auto& row : message["reply_markup"].value("inline_keyboard", json::array()))
    for (const auto& b : row)
      if (b.value("text", "").find(label) != std::string::npos) return b;
  return nullptr;
}

}  // namespace vpnbot::testing_support
