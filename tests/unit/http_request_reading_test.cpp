#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/request_reading.hpp"

namespace vpnbot::http {
namespace {

namespace bhttp = boost::beast::http;

// The whole of `wire` through a parser set up as the server sets it up.
std::optional<http_request> read(std::string_view wire, std::size_t body_limit,
                                 boost::beast::error_code& ec) {
  request_parser parser;
  apply_limits(parser, body_limit);
  parser.eager(true);
  parser.put(boost::asio::buffer(wire.data(), wire.size()), ec);
  if (ec || !parser.is_done()) return std::nullopt;
  return to_http_request(parser.release(), "192.0.2.1");
}

TEST(HttpRequestReading, SplitsPathAndQueryAndLowersHeaderNames) {
  boost::beast::error_code ec;
  auto r = read(
      "POST /pay/robokassa?OutSum=1&InvId=2 HTTP/1.1\r\nHost: a\r\nX-Custom-Header: Value\r\n"
      "Content-Length: 4\r\n\r\nbody",
      1024, ec);
  ASSERT_TRUE(r) << ec.message();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->path, "/pay/robokassa");
  EXPECT_EQ(r->query, "OutSum=1&InvId=2");
  ASSERT_NE(r->header("x-custom-header"), nullptr);
  EXPECT_EQ(*r->header("x-custom-header"), "Value");
  EXPECT_EQ(r->body, "body");
  EXPECT_EQ(r->peer_address, "192.0.2.1");
}

TEST(HttpRequestReading, RefusesATargetThatIsNotAnAbsolutePath) {
  boost::beast::error_code ec;
  EXPECT_FALSE(read("GET http://example.com/ HTTP/1.1\r\nHost: a\r\n\r\n", 1024, ec));
  EXPECT_FALSE(ec);
  EXPECT_FALSE(read("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 1024, ec));
  EXPECT_FALSE(ec);
}

TEST(HttpRequestReading, EnforcesTheBodyAndHeaderLimits) {
  boost::beast::error_code ec;
  EXPECT_FALSE(read("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n12345", 4, ec));
  EXPECT_EQ(ec, bhttp::error::body_limit);
  ec = {};
  std::string big = "GET / HTTP/1.1\r\nX: " + std::string(header_limit, 'a') + "\r\n\r\n";
  EXPECT_FALSE(read(big, 1024, ec));
  EXPECT_EQ(ec, bhttp::error::header_limit);
}

}  // namespace
}  // namespace vpnbot::http
