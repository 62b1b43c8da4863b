#include "adapters/payments/provider_call.hpp"

namespace vpnbot::payments {

http_client_request provider_call(outbound_request r, std::chrono::milliseconds timeout) {
  http_client_request h;
  h.method = std::move(r.method);
  h.url = std::move(r.url);
  h.headers = std::move(r.headers);
  h.body = std::move(r.body);
  h.target = "payments";
  h.total_timeout = timeout;
  h.read_timeout = timeout;
  return h;
}

}  // namespace vpnbot::payments
