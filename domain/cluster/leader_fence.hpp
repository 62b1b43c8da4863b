#pragma once

// What a singleton's transaction checks before it writes on a cluster: this
// node holds the leader's lease, of the term it believes it holds. The
// elector sets the term's token when it becomes leader and clears it when it
// steps down; singletons on any thread read it. The check share-locks the
// lease row (db::holds_leadership), so a write it lets through commits
// before any takeover can: a paused old leader that wakes up writes nothing.

#include <atomic>
#include <cstdint>
#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace vpnbot::cluster {

class leader_fence {
 public:
  explicit leader_fence(std::string node) : node_(std::move(node)) {}

  const std::string& node() const { return node_; }
  // The term's token; 0 while this node is not the leader.
  int64_t token() const { return token_.load(); }
  void set_token(int64_t token) { token_.store(token); }

  bool holds(pqxx::dbtransaction& tx) const;

 private:
  std::string node_;
  std::atomic<int64_t> token_{0};
};

// Null on a single node: no fence, singletons run as they always did.
using fence_ref = std::shared_ptr<leader_fence>;

}  // namespace vpnbot::cluster
