// The [cluster] keys: several nodes as one.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_cluster_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back({"cluster", "listen", "this node's cluster address (host:port); empty: a single node",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 if (v.empty()) {
                   s.cluster.listen_host.clear();
                   s.cluster.listen_port = 0;
                   return std::nullopt;
                 }
                 return parse_host_port(v, s.cluster.listen_host, s.cluster.listen_port);
               },
               [](const settings& s) {
                 if (s.cluster.listen_host.empty()) return std::string();
                 return print_host_port(s.cluster.listen_host, s.cluster.listen_port);
               }});
  k.push_back({"cluster", "seeds", "other nodes' cluster addresses (host:port, comma-separated)",
               [](settings& s, const std::string& v) -> std::optional<std::string> {
                 auto seeds = comma_list(v);
                 for (const auto& seed : seeds) {
                   std::string host;
                   uint16_t port = 0;
                   if (auto err = parse_host_port(seed, host, port)) return *err + ": " + seed;
                   if (port == 0) return "expected a port other than 0: " + seed;
                 }
                 s.cluster.seeds = std::move(seeds);
                 return std::nullopt;
               },
               [](const settings& s) {
                 std::string out;
                 for (const auto& seed : s.cluster.seeds) out += (out.empty() ? "" : ",") + seed;
                 return out;
               }});
  k.push_back(duration_key("cluster", "lease_ttl",
                           "the leader's lease; a dead leader is replaced within about this long",
                           &settings::cluster, &cluster_settings::lease_ttl, 1500ms));
}

}  // namespace vpnbot::config
