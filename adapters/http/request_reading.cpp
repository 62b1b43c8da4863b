#include "adapters/http/request_reading.hpp"

#include "adapters/codec/ascii.hpp"

namespace vpnbot::http {

void apply_limits(request_parser& parser, std::size_t body_limit) {
  parser.body_limit(body_limit);
  parser.header_limit(header_limit);
}

std::optional<http_request> to_http_request(
    boost::beast::http::request<boost::beast::http::string_body>&& message,
    std::string peer_address) {
  std::string_view target = message.target();
  if (target.empty() || target.front() != '/') return std::nullopt;
  http_request req;
  req.method = std::string(message.method_string());
  auto q = target.find('?');
  req.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
  for (const auto& field : message)
    req.headers.emplace_back(codec::ascii_lower(field.name_string()), field.value());
  req.body = std::move(message.body());
  req.peer_address = std::move(peer_address);
  return req;
}

}  // namespace vpnbot::http
