#include "adapters/telegram/http_transport.hpp"

#include "adapters/http/client_error.hpp"
#include "adapters/telegram/success_envelope.hpp"

namespace vpnbot::telegram {

http_client_request to_http_request(const api_request& request, std::chrono::milliseconds margin) {
  http_client_request out;
  out.method = request.http_method;
  out.url = request.url();
  out.headers = {{"Content-Type", request.content_type}};
  out.body = request.body;
  out.target = "telegram";
  if (request.long_poll.count() > 0) {
    out.read_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(request.long_poll) + margin;
    out.total_timeout = out.read_timeout + margin;
  }
  return out;
}

result<nlohmann::json, telegram_error> from_http_result(
    const caf::expected<http_client_response>& response) {
  if (!response) {
    auto code = http::client_error_code(response.error());
    return fail(transport_error(code ? std::string(http::to_string(*code)) : "http client failed"));
  }
  return parse_response(response->status, response->body);
}

result<nlohmann::json, telegram_error> outcome_of(
    const caf::expected<http_client_response>& response) {
  if (response && is_success_envelope(response->body)) return nlohmann::json();
  return from_http_result(response);
}

}  // namespace vpnbot::telegram
