#pragma once

// One accepted TCP connection of the HTTP server: reads requests one after
// the other (keep-alive), hands each to the server's handler, writes the
// answer that comes back through an http_responder and closes on errors,
// timeouts, "Connection: close" or shutdown. Internal to adapters/http.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/http/address_ranges.hpp"
#include "adapters/http/request_reading.hpp"
#include "adapters/http/server.hpp"
#include "adapters/http/server_metrics.hpp"
#include "config/settings.hpp"
#include "messages/http_responder.hpp"

namespace vpnbot::http {

// Replies may arrive from any thread at any time, even after the server is
// gone; they pass this gate, which the server closes before it tears down.
struct reply_gate {
  std::mutex mutex;
  bool open = true;
};

class connection;

// What all connections of one server share. The server owns every live
// connection here, so none outlives the io_context its socket belongs to.
struct connection_context {
  // Throws std::invalid_argument when settings.trusted_proxies holds an
  // entry that is not a CIDR range.
  connection_context(config::http_settings s, server::handler h, metrics::registry& r);

  void limit_body(const std::string& path, std::size_t bytes);
  // The body limit of requests to `path`.
  std::size_t body_limit_of(std::string_view path);

  // Closes up to n idle keep-alive connections, the longest idle first;
  // returns how many it took (they close shortly after).
  std::size_t evict_idle(std::size_t n);

  void adopt(std::shared_ptr<connection> c);
  void forget(connection* c);
  std::size_t live_count();
  std::vector<std::shared_ptr<connection>> snapshot();
  void clear();

  config::http_settings settings;
  server::handler handler;
  server_metrics metrics;
  address_ranges trusted_proxies;
  std::shared_ptr<reply_gate> gate = std::make_shared<reply_gate>();
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> open{0};      // accepted, not rejected, not yet closed
  std::atomic<std::size_t> evicting{0};  // of those, taken by evict_idle, closing

 private:
  std::mutex mutex_;
  std::unordered_map<connection*, std::shared_ptr<connection>> live_;
  std::shared_mutex limits_mutex_;
  std::map<std::string, std::size_t, std::less<>> body_limits_;
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  // counted: an accepted connection within max_connections; otherwise it
  // only answers 503 and closes.
  connection(connection_context& ctx, boost::asio::ip::tcp::socket socket, bool counted);
  ~connection();

  void start();
  void reject();
  // Since when it has been waiting for the next request on a kept-alive
  // connection, 0 when it is not (a new connection, a request in progress).
  int64_t idle_since() const { return idle_since_.load(); }
  // Takes it for eviction if it is still idle since `since`, then closes it
  // unless a request has started meanwhile.
  bool evict(int64_t since);
  // Server shutdown: an idle keep-alive connection closes now, a busy one
  // after its current answer.
  void stop();

 private:
  enum class phase { idle, reading, handling, writing, lingering, closed };
  using response_t = boost::beast::http::response<boost::beast::http::string_body>;
  using serializer_t = boost::beast::http::response_serializer<boost::beast::http::string_body>;

  void wait_for_request(std::chrono::milliseconds patience);
  void release_eviction();
  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_request(boost::beast::error_code ec);
  void answer_read_error(boost::beast::error_code ec);
  void dispatch();
  void respond(http_response r);
  void write(http_response r, bool keep_alive);
  void on_write(boost::beast::error_code ec, bool keep_alive);
  void linger();
  void drain();
  void close();

  connection_context& ctx_;
  boost::beast::tcp_stream stream_;
  bool counted_;
  std::string remote_;
  boost::beast::flat_buffer buffer_;
  std::optional<request_parser> parser_;
  std::optional<response_t> response_;
  std::optional<serializer_t> serializer_;
  phase phase_ = phase::idle;
  bool head_request_ = false;
  bool keep_alive_ = false;
  std::string method_;
  std::size_t body_limit_ = 0;  // the current request's
  std::atomic<int64_t> idle_since_{0};
  std::atomic<bool> evicted_{false};
};

}  // namespace vpnbot::http
