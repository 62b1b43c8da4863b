#pragma once

// How the server reads a request off the wire: the Beast parser with the
// server's limits, and the request as handlers see it. Kept apart from the
// connection so the parsing runs without a socket (tests/fuzz).

#include <boost/beast/http.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "messages/http.hpp"

namespace vpnbot::http {

using request_parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Header bytes a request may carry before it is answered 431.
inline constexpr std::uint32_t header_limit = 16 * 1024;

// A fresh parser with the limits every request is read with.
void apply_limits(request_parser& parser, std::size_t body_limit);

// The parsed request for a handler (header names lower-cased, the query
// apart from the path); nullopt when the target is not an absolute path.
std::optional<http_request> to_http_request(
    boost::beast::http::request<boost::beast::http::string_body>&& message,
    std::string peer_address);

}  // namespace vpnbot::http
