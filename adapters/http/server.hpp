#pragma once

// HTTP/1.1 server on its own io_context with settings.threads threads.
//
// Each complete request goes to the handler on an io thread together with
// an http_responder; the handler must return at once (typically one
// caf::anon_send) and the answer may come later from any thread. The
// connection waits for it (no pipelining), then keeps the connection alive
// or closes it.
//
// The server answers by itself only what never reaches a handler: 400
// malformed request, 413 body over settings.body_limit (or the path's
// limit_body), 431 header too
// large, 503 when max_connections are open (then closes). A connection that
// does not deliver its header (or body) within header_timeout is closed, an
// idle keep-alive connection after idle_timeout.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "adapters/metrics/registry.hpp"
#include "config/settings.hpp"
#include "messages/http_responder.hpp"

namespace vpnbot::http {

class server {
 public:
  using handler = std::function<void(http_request, http_responder)>;

  // Binds listen_host:listen_port (port 0: any free port) and starts
  // serving. Throws std::runtime_error when it cannot listen.
  server(config::http_settings settings, handler on_request,
         metrics::registry& registry = metrics::global());
  // stop(0ms)
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  uint16_t port() const;

  // Requests to exactly `path` may carry at most `bytes` of body (and never
  // more than settings.body_limit): a larger Content-Length is refused with
  // 413 before the body is read, a chunked body once it grows past it.
  // Thread-safe.
  void limit_body(const std::string& path, std::size_t bytes);

  // Closes the listener and idle keep-alive connections; requests being
  // read or handled still get their answer (with "Connection: close").
  // Returns at once.
  void stop_accepting();

  // Connections still open (those being refused included).
  std::size_t open_connections() const;

  // stop_accepting(), waits up to `grace` for open connections to finish,
  // then closes the rest and joins the io threads. Blocks: an actor calls
  // stop_accepting() and waits with messages instead.
  void stop(std::chrono::milliseconds grace);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vpnbot::http
