#include "app/sandbox/sandbox_users.hpp"

namespace vpnbot::sandbox {

const std::vector<sandbox_user>& sandbox_users() {
  static const std::vector<sandbox_user> users{
      {1, "Alice", "Alice", "alice", "en", false},
      {2, "Boris", "Борис", "boris", "ru", false},
      {3, "Carol (admin)", "Carol", "carol", "en", true},
  };
  return users;
}

std::optional<sandbox_user> find_sandbox_user(int64_t id) {
  for (const auto& u : sandbox_users())
    if (u.id == id) return u;
  return std::nullopt;
}

std::vector<int64_t> sandbox_admin_ids() {
  std::vector<int64_t> out;
  for (const auto& u : sandbox_users())
    if (u.admin) out.push_back(u.id);
  return out;
}

}  // namespace vpnbot::sandbox
