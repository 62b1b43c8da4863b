#include "domain/cluster/rendezvous.hpp"

namespace vpnbot::cluster {

uint64_t rendezvous_weight(const std::string& node, int64_t user) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : node) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // The user id mixed in after the name (splitmix64's finaliser), so close
  // ids spread over the nodes.
  h ^= static_cast<uint64_t>(user) + 0x9e3779b97f4a7c15ull;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

std::string owner_of(int64_t user, const std::vector<std::string>& nodes) {
  std::string best;
  uint64_t best_weight = 0;
  for (const auto& n : nodes) {
    auto w = rendezvous_weight(n, user);
    // Ties (practically never) go to the smaller name, so every node agrees.
    if (best.empty() || w > best_weight || (w == best_weight && n < best)) {
      best = n;
      best_weight = w;
    }
  }
  return best;
}

}  // namespace vpnbot::cluster
