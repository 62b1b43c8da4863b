#pragma once

// Which node owns a user's session: rendezvous (highest random weight)
// hashing of the user id over the live nodes' names. Every node computes the
// same owner from the same set, and a change of the set moves only the
// users of the node that left (or a share of everyone's to one that joined).
// The hash is this file's own (FNV-1a, then a 64-bit mix), not std::hash,
// so nodes built apart agree.

#include <cstdint>
#include <string>
#include <vector>

namespace vpnbot::cluster {

uint64_t rendezvous_weight(const std::string& node, int64_t user);

// The owner among `nodes`; empty when there is none.
std::string owner_of(int64_t user, const std::vector<std::string>& nodes);

}  // namespace vpnbot::cluster
