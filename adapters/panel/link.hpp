#pragma once

// Share links for a panel client, built the way 3x-ui's subscription
// service builds them (genVlessLink, v2.9 to v3.0; PROTOCOLS.md §1.7), so
// the link a user gets from the bot equals the one the panel shows:
//
//   vless://{uuid}@{host}:{port}?{query}#{remark}
//
// * query keys sorted and values escaped like Go's url.Values.Encode
//   (space '+', '/' %2F); the remark escaped like URL.String (space %20,
//   UTF-8 percent-encoded); no '#' when the remark is empty;
// * transports tcp (http header), ws, grpc, httpupgrade, xhttp; security
//   tls, reality or none; flow only for tcp with tls or reality;
// * one link per streamSettings.externalProxy entry when there are any.
//
// Where the panel differs on purpose: it reads nested keys with a search
// over Go maps in random order; we look at the key itself first and then
// search in key order. An IPv6 host is written in brackets (the panel
// writes it bare, which clients cannot parse). Networks other than the five
// above and inbounds the panel's code would panic on are errors
// (panel_errc::unsupported_inbound), not half-built links. Newer panels'
// xhttp extras (x_padding_bytes, extra) are not emitted.
//
// The panel picks some values at random: the reality sni (an entry of
// serverNames), sid (an entry of shortIds) and spx ("/" and 15 characters
// of [0-9a-zA-Z]). They come from link_settings::random, called in exactly
// that order (sni, sid, then 15 times for spx), so tests can fix them.

#include <caf/expected.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/panel/xui_model.hpp"

namespace vpnbot::panel {

// A uniformly distributed index in [0, bound), bound > 0.
using random_index = std::function<std::size_t(std::size_t bound)>;

// random_index from OpenSSL's CSPRNG.
std::size_t secure_random_index(std::size_t bound);

struct link_settings {
  // The address clients connect to when the inbound listens on all
  // interfaces (the panel uses the Host of the subscription request).
  std::string public_host;
  // 3x-ui's remarkModel: an ASCII separator, then the order of i (inbound
  // remark), e (client email) and o (external proxy remark).
  std::string remark_model = "-ieo";
  random_index random = secure_random_index;
};

// The client's links on a vless inbound: one, or one per external proxy.
caf::expected<std::vector<std::string>> vless_links(const xui_inbound& inbound,
                                                    const xui_client& client,
                                                    const link_settings& settings);

// The panel's public subscription URL: its subURI (which ends with '/')
// followed by the subId.
std::string subscription_url(std::string_view sub_base, std::string_view sub_id);

}  // namespace vpnbot::panel
