#include "adapters/log/logger.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace vpnbot::log {
namespace {

std::atomic<level> g_level{level::info};
std::mutex g_mutex;
std::function<void(const std::string&)> g_sink;

std::string timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

void set_level(level lvl) {
  g_level = lvl;
}
level current_level() {
  return g_level;
}

void set_sink(std::function<void(const std::string&)> sink) {
  std::lock_guard guard{g_mutex};
  g_sink = std::move(sink);
}

nlohmann::json redact(nlohmann::json fields) {
  if (fields.is_object()) {
    for (auto& [k, v] : fields.items()) {
      if (is_secret_name(k) && !v.is_null())
        v = "***";
      else
        v = redact(std::move(v));
    }
  } else if (fields.is_array()) {
    for (auto& v : fields) v = redact(std::move(v));
  }
  return fields;
}

void write(level lvl, std::string_view component, std::string_view message, nlohmann::json fields) {
  if (lvl < g_level.load()) return;
  nlohmann::json line = {{"time", timestamp()},
                         {"level", to_string(lvl)},
                         {"component", component},
                         {"message", message}};
  if (!fields.is_null() && !fields.empty()) line["fields"] = redact(std::move(fields));
  auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard guard{g_mutex};
  if (g_sink) {
    g_sink(text);
  } else {
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}

}  // namespace vpnbot::log
