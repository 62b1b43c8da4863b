#pragma once

// What the HTTP client keeps between calls: idle keep-alive connections per
// origin, resolved addresses per host and the last TLS session per origin.
// An origin is scheme, host, port and TLS verification mode: a connection
// opened without verification never serves a call that wants it.
//
// Idle connections hold no timer; they are checked when taken (age, and a
// peek that sees a close or stray bytes from the server) and swept whenever
// the pool is touched. Thread-safe: calls on any io thread share it.

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vpnbot::http {

using plain_stream = boost::beast::tcp_stream;
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

struct pooled_connection {
  std::variant<std::unique_ptr<plain_stream>, std::unique_ptr<tls_stream>> stream;
  unsigned requests = 0;  // answered on it so far
};

class connection_pool {
 public:
  using clock = std::chrono::steady_clock;
  using endpoints = boost::asio::ip::tcp::resolver::results_type;

  // Resolved addresses are reused this long.
  static constexpr auto dns_ttl = std::chrono::seconds(60);

  struct limits {
    unsigned idle_per_origin = 8;  // 0: nothing is kept
    clock::duration idle_timeout = std::chrono::seconds(30);
    unsigned max_requests = 1000;
  };

  explicit connection_pool(limits l);
  ~connection_pool();

  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  bool enabled() const { return limits_.idle_per_origin > 0; }

  // The most recently used live idle connection to `origin`, if any.
  std::optional<pooled_connection> take(const std::string& origin);
  // A connection after a complete keep-alive response; closed instead when
  // it has served max_requests or the origin already keeps enough.
  void give_back(const std::string& origin, pooled_connection c);
  // Closes every idle connection (before their io_context goes).
  void close_all();

  std::optional<endpoints> resolved(const std::string& host, uint16_t port);
  void remember(const std::string& host, uint16_t port, endpoints e);
  // The addresses did not connect: resolve afresh next time.
  void forget(const std::string& host, uint16_t port);

  // Offers the origin's last session to a new TLS connection before its
  // handshake, so the server may resume it.
  void resume_session(const std::string& origin, SSL* ssl);
  // Keeps the connection's session (if resumable) for the next new one.
  void keep_session(const std::string& origin, SSL* ssl);

 private:
  struct idle {
    pooled_connection connection;
    clock::time_point since;
  };
  struct cached_endpoints {
    endpoints addresses;
    clock::time_point until;
  };

  // Moves the connections idle longer than idle_timeout to `closing`.
  void sweep(clock::time_point now, std::vector<idle>& closing);

  limits limits_;
  std::mutex mutex_;
  std::map<std::string, std::vector<idle>> idle_;  // per origin, oldest first
  std::map<std::string, cached_endpoints> dns_;    // per "host:port"
  std::map<std::string, SSL_SESSION*> sessions_;   // per origin, owned
};

}  // namespace vpnbot::http
