#include <gtest/gtest.h>

#include "adapters/http/url.hpp"

namespace vpnbot::http {
namespace {

TEST(HttpUrl, SplitsSchemeHostPortAndTarget) {
  auto u = parse_url("https://api.telegram.org/bot123:abc/getMe?x=1#frag");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "api.telegram.org");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/bot123:abc/getMe?x=1");
  EXPECT_FALSE(u->host_is_ip);
  EXPECT_EQ(u->host_header(), "api.telegram.org");
  EXPECT_EQ(u->authority(), "api.telegram.org:443");
}

TEST(HttpUrl, DefaultsAndExplicitPorts) {
  auto plain = parse_url("HTTP://Example.COM");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(plain->host, "example.com");
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->target, "/");
  auto query_only = parse_url("http://h:8080?a=b");
  ASSERT_TRUE(query_only);
  EXPECT_EQ(query_only->port, 8080);
  EXPECT_EQ(query_only->target, "/?a=b");
  EXPECT_EQ(query_only->host_header(), "h:8080");
}

TEST(HttpUrl, IpLiterals) {
  auto v4 = parse_url("http://127.0.0.1:9000/x");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->host_is_ip);
  EXPECT_EQ(v4->host, "127.0.0.1");
  auto v6 = parse_url("https://[::1]:8443/panel");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->host_is_ip);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8443);
  EXPECT_EQ(v6->host_header(), "[::1]:8443");
  EXPECT_EQ(v6->authority(), "[::1]:8443");
}

TEST(HttpUrl, RejectsWhatItCannotServe) {
  for (const char* bad : {"", "api.telegram.org/x", "ftp://h/", "http://", "http://user:pw@h/",
                          "http://h:0/", "http://h:65536/", "http://h:80x/", "http://[::1/",
                          "http://[nothost]/", "http://h h/", "http://h/a b", "http://h/\r\nX: y"})
    EXPECT_FALSE(parse_url(bad)) << bad;
}

}  // namespace
}  // namespace vpnbot::http
