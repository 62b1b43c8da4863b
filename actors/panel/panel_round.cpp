#include "actors/panel/panel_round.hpp"

namespace vpnbot::activation {

bool panel_round::begin(const panels& all) {
  if (running_) return false;
  running_ = true;
  queue_.clear();
  for (const auto& [name, handle] : all) queue_.push_back(name);
  return true;
}

std::optional<std::pair<std::string, caf::actor>> panel_round::next(
    const panels& all, const std::function<void(const std::string&)>& skipped) {
  while (!queue_.empty()) {
    auto name = queue_.back();
    queue_.pop_back();
    auto it = all.find(name);
    if (it != all.end() && *it->second) return std::make_pair(name, *it->second);
    if (skipped) skipped(name);
  }
  running_ = false;
  return std::nullopt;
}

void panel_round::abandon() {
  queue_.clear();
  running_ = false;
}

}  // namespace vpnbot::activation
