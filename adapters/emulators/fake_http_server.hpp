#pragma once

// A loopback HTTP/1.1 server for emulators of the outside world (Telegram,
// 3x-ui, payment providers). It binds 127.0.0.1 on a free port, serves
// keep-alive connections on one io thread, records every request and answers
// with the handler's http_response. Plain HTTP or HTTPS with a certificate
// made at start (see ca_file()).
//
//   fake_http_server api{[](const http_request& r) {
//     return http_response{200, "application/json", {}, R"({"ok":true})"};
//   }};
//   api.inject(fake_fault::delay_by(std::chrono::seconds(2)));  // next request: late
//   api.inject(fake_fault::close_connection(), 3);             // then 3 dropped
//   client.async_request({.url = api.base_url() + "/bot1:x/getMe"}, ...);
//
// A handler's "Connection: close" header is honoured: the connection closes
// after that answer.
//
// Faults are consumed in the order injected by the requests they match.
// Handlers run on the io thread: keep them quick, or use the async form and
// reply later from any thread (long polling).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "messages/http.hpp"

namespace vpnbot::emulators {

struct fake_fault {
  enum class kind { delay, close, status };

  kind what = kind::status;
  std::chrono::milliseconds delay{0};  // delay: answer normally, only this much later
  int status = 500;                    // status: answer this instead of asking the handler
  std::string body;                    // status: its body
  std::string path;                    // only requests to this path; empty: any

  static fake_fault delay_by(std::chrono::milliseconds d, std::string path = {});
  // Closes the connection after reading the request, without a byte of answer.
  static fake_fault close_connection(std::string path = {});
  static fake_fault respond_with(int status, std::string body = {}, std::string path = {});
};

struct fake_http_options {
  bool tls = false;
  // subjectAltNames of the generated certificate (tls only).
  std::vector<std::string> tls_names = {"localhost", "127.0.0.1", "::1"};
};

class fake_http_server {
 public:
  using options = fake_http_options;
  using handler = std::function<http_response(const http_request&)>;
  // `reply` may be called later, from any thread, once.
  using async_handler =
      std::function<void(const http_request&, std::function<void(http_response)> reply)>;

  explicit fake_http_server(handler h, options o = {});
  explicit fake_http_server(async_handler h, options o = {});
  ~fake_http_server();

  fake_http_server(const fake_http_server&) = delete;
  fake_http_server& operator=(const fake_http_server&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:<port>" or "https://..."; no trailing slash.
  std::string base_url() const;
  // A PEM file with the server's certificate (tls only): a client whose
  // ca_file is this trusts the server. Removed with the server.
  const std::string& ca_file() const;

  // The next `times` matching requests meet `f`; times < 0: every matching
  // request until clear_faults().
  void inject(fake_fault f, int times = 1);
  void clear_faults();

  // Every request received so far, in arrival order.
  std::vector<http_request> requests() const;
  std::size_t request_count() const;

  // Connections accepted so far, and the TLS ones that resumed a session.
  std::size_t connection_count() const;
  std::size_t resumed_count() const;
  // Closes every kept-alive connection waiting for its next request, as a
  // server's idle timeout would; returns once they are closed.
  void close_idle_connections();

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace vpnbot::emulators
