#pragma once

// Asynchronous HTTP/1.1 client (plain and TLS) on its own io_context
// threads. Connections are kept alive and reused per origin (scheme, host,
// port, TLS verification; see connection_pool.hpp): the service talks to a
// few peers (Telegram, panels, payment providers) often, and a TLS handshake
// costs more than most calls. settings.pool_size = 0 gives a connection per
// call. A reused connection the server closed while idle gets one fresh
// connection if repeating the request is harmless (idempotent method,
// Idempotency-Key header, or nothing of it was sent); a POST that may have
// reached the server fails instead of being sent twice.
//
// Every call has a connect, a per-read and a total timeout; the defaults
// come from http_client_settings and any call may override them. TLS
// verifies the peer's certificate and host name (or IP) against the system
// trust store or settings.ca_file unless verification is off in the settings
// or skip_tls_verify is set on the call.
//
// Results are values: the completion receives the response (any status) or
// a caf::error of the category in client_error.hpp naming the failed phase.
// The completion runs on an io thread and must not block or wait: the usual
// body is one caf::anon_send. Actors can use the http_client actor instead
// and get a plain request/response flow.

#include <caf/expected.hpp>
#include <functional>
#include <memory>

#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"
#include "messages/http_client.hpp"

namespace vpnbot::http {

using client_result = caf::expected<http_client_response>;
using client_completion = std::function<void(client_result)>;

class client {
 public:
  // Throws when settings.ca_file cannot be loaded.
  explicit client(config::http_client_settings settings,
                  metrics::registry& registry = metrics::global());
  // Stops the io threads; completions of unfinished calls are dropped uncalled.
  ~client();

  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Starts the call and returns at once; `done` runs exactly once (unless
  // the client is destroyed first), never on the calling thread.
  void async_request(http_client_request request, client_completion done);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vpnbot::http
