// The [cluster] keys: several nodes as one.

#include <chrono>

#include "config/schema/schema.hpp"

namespace vpnbot::config {

void add_cluster_keys(std::vector<key_spec>& k) {
  using namespace std::chrono_literals;
  k.push_back(optional_host_port_key("cluster", "listen",
                                     "this node's cluster address (host:port); empty: a single "
                                     "node",
                                     &settings::cluster, &cluster_settings::listen_host,
                                     &cluster_settings::listen_port));
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
