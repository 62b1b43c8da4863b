// The HTTP server's request reading: raw bytes from a connection go through
// Beast's request_parser with the server's limits (adapters/http/
// request_reading), header first, then the body, one keep-alive request
// after the other, and each complete request becomes an http_request.

#include <boost/beast/core/string.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "adapters/http/request_reading.hpp"
#include "config/settings.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;
namespace bhttp = boost::beast::http;

namespace {

constexpr int max_requests = 8;  // a connection's worth of keep-alive requests

// Feeds what is left of `wire` to the parser until `done` holds; false on a
// parse error or when the bytes run out first (the peer went quiet or away).
template <class Done>
bool feed(http::request_parser& parser, std::string_view& wire, Done done) {
  while (!done()) {
    boost::beast::error_code ec;
    auto used = parser.put(boost::asio::buffer(wire.data(), wire.size()), ec);
    wire.remove_prefix(used);
    if (ec && ec != bhttp::error::need_more) return false;
    if (used == 0) {  // what is left cannot complete it: the peer closes
      parser.put_eof(ec);
      return !ec && done();
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view wire(reinterpret_cast<const char*>(data), size);
  const auto body_limit = config::http_settings{}.body_limit;
  for (int i = 0; i < max_requests && !wire.empty(); ++i) {
    std::optional<http::request_parser> parser(std::in_place);
    http::apply_limits(*parser, body_limit);
    if (!feed(*parser, wire, [&] { return parser->is_header_done(); })) return 0;
    auto expect = parser->get().find(bhttp::field::expect);
    if (expect != parser->get().end()) (void)boost::beast::iequals(expect->value(), "100-continue");
    parser->eager(true);
    if (!feed(*parser, wire, [&] { return parser->is_done(); })) return 0;
    const bool keep_alive = parser->get().keep_alive();
    auto request = http::to_http_request(std::move(parser->get()), "203.0.113.7");
    if (request) {
      fuzz::require(request->body.size() <= body_limit, "the body stays within body_limit");
      fuzz::require(!request->path.empty() && request->path.front() == '/', "the path is absolute");
    }
    if (!keep_alive) return 0;
  }
  return 0;
}
