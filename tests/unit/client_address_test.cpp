#include "adapters/http/client_address.hpp"

#include <gtest/gtest.h>

// Who sent a request, given the socket peer, the forwarding headers and
// the trusted proxies.

namespace vpnbot::http {
namespace {

address_ranges proxies() {
  return *address_ranges::parse({"127.0.0.1/32", "10.0.0.0/8", "fd00::/8"});
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItsHeadersSay) {
  http_headers h = {{"x-forwarded-for", "185.71.76.5"}, {"x-real-ip", "185.71.76.5"}};
  EXPECT_EQ(client_address("203.0.113.9", h, proxies()), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", h, address_ranges{}), "127.0.0.1");
}

TEST(ClientAddress, TheRightMostForwardedAddressNotAProxyIsTheClient) {
  http_headers h = {{"x-forwarded-for", "185.71.76.5, 203.0.113.9, 10.1.2.3"}};
  EXPECT_EQ(client_address("127.0.0.1", h, proxies()), "203.0.113.9");
  http_headers two = {{"x-forwarded-for", "185.71.76.5"}, {"x-forwarded-for", "198.51.100.7"}};
  EXPECT_EQ(client_address("::ffff:127.0.0.1", two, proxies()), "198.51.100.7");
  http_headers v6 = {{"x-forwarded-for", "2a02:5180::1, fd00::2"}};
  EXPECT_EQ(client_address("fd00::1", v6, proxies()), "2a02:5180::1");
}

TEST(ClientAddress, XRealIpCountsOnlyWithoutXForwardedFor) {
  EXPECT_EQ(client_address("127.0.0.1", {{"x-real-ip", " 185.71.76.5 "}}, proxies()),
            "185.71.76.5");
  EXPECT_EQ(client_address("127.0.0.1",
                           {{"x-real-ip", "185.71.76.5"}, {"x-forwarded-for", "198.51.100.7"}},
                           proxies()),
            "198.51.100.7");
}

TEST(ClientAddress, AnEntryThatIsNoAddressLeavesThePeer) {
  EXPECT_EQ(client_address("127.0.0.1", {{"x-forwarded-for", "185.71.76.5, unknown"}}, proxies()),
            "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", {{"x-forwarded-for", ""}}, proxies()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", {{"x-real-ip", "a.b.c.d"}}, proxies()), "127.0.0.1");
}

TEST(ClientAddress, OnlyProxiesInTheChainGiveTheFirstOfThem) {
  EXPECT_EQ(client_address("127.0.0.1", {{"x-forwarded-for", "10.0.0.5, 10.0.0.6"}}, proxies()),
            "10.0.0.5");
}

}  // namespace
}  // namespace vpnbot::http
