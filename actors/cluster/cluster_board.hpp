#pragma once

// What this node knows of its cluster, for /readyz: the leader elector
// writes it after each claim (this node, whether it leads and in which
// term, the leader, the live nodes); the HTTP server reads it. A shared
// snapshot rather than a question to the elector, so /readyz answers even
// while the elector waits on the database.

#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>

namespace vpnbot::cluster {

class cluster_board {
 public:
  void set(nlohmann::json state) {
    std::lock_guard<std::mutex> lock(mutex_);
    state_ = std::move(state);
  }
  nlohmann::json get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_;
  }

 private:
  mutable std::mutex mutex_;
  nlohmann::json state_ = nlohmann::json::object();
};

}  // namespace vpnbot::cluster
