#include "adapters/payments/ip_allowlist.hpp"

#include <gtest/gtest.h>

#include "adapters/payments/payment_error.hpp"

namespace vpnbot::payments {
namespace {

TEST(PaymentIpAllowlist, Ipv4Ranges) {
  auto list = ip_allowlist::parse({"185.71.76.0/27", "77.75.156.11", "77.75.154.128/25"});
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->allows("185.71.76.0"));
  EXPECT_TRUE(list->allows("185.71.76.31"));
  EXPECT_FALSE(list->allows("185.71.76.32"));
  EXPECT_FALSE(list->allows("185.71.75.255"));
  EXPECT_TRUE(list->allows("77.75.156.11"));
  EXPECT_FALSE(list->allows("77.75.156.12"));
  EXPECT_TRUE(list->allows("77.75.154.200"));
  EXPECT_FALSE(list->allows("77.75.154.127"));
}

TEST(PaymentIpAllowlist, Ipv6RangesAndMappedIpv4) {
  auto list = ip_allowlist::parse({"2a02:5180::/32", "185.71.77.0/27", "2001:db8::1"});
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->allows("2a02:5180::1"));
  EXPECT_TRUE(list->allows("2a02:5180:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(list->allows("2a02:5181::1"));
  EXPECT_TRUE(list->allows("2001:db8::1"));
  EXPECT_FALSE(list->allows("2001:db8::2"));
  EXPECT_TRUE(list->allows("::ffff:185.71.77.7"));
  EXPECT_FALSE(list->allows("::ffff:185.71.78.7"));
  // An IPv4 range never matches a plain IPv6 address that shares its bytes.
  EXPECT_FALSE(list->allows("b947:4d07::"));
}

TEST(PaymentIpAllowlist, OddPrefixesAndEdges) {
  auto list = ip_allowlist::parse({"10.0.0.0/9", "0.0.0.0/0"});
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->allows("1.2.3.4"));  // /0 matches every IPv4 address
  EXPECT_FALSE(list->allows("::1"));
  auto nine = ip_allowlist::parse({"10.0.0.0/9"});
  EXPECT_TRUE(nine->allows("10.127.255.255"));
  EXPECT_FALSE(nine->allows("10.128.0.0"));
}

TEST(PaymentIpAllowlist, GarbageIsRejected) {
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/", "10.0.0.0/x",
                          "host.example", "10.0.0.0/8 "}) {
    auto list = ip_allowlist::parse({bad});
    ASSERT_FALSE(list) << bad;
    EXPECT_EQ(payment_error_code(list.error()), payment_errc::invalid_argument);
  }
  auto list = ip_allowlist::parse({"10.0.0.0/8"});
  EXPECT_FALSE(list->allows(""));
  EXPECT_FALSE(list->allows("10.0.0.1:443"));
  EXPECT_FALSE(list->allows("not an address"));
}

}  // namespace
}  // namespace vpnbot::payments
