#include "adapters/http/connection.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <stdexcept>

#include "adapters/http/client_address.hpp"
#include "adapters/http/json_error.hpp"
#include "adapters/http/request_reading.hpp"
#include "adapters/log/logger.hpp"

namespace vpnbot::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using std::chrono::milliseconds;

namespace {

// After an answer with "Connection: close" the peer gets this long to stop
// sending: closing with unread bytes would reset the connection and could
// destroy the answer before the peer reads it.
constexpr std::chrono::seconds linger_time{1};

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

bool safe_field(std::string_view name, std::string_view value) {
  auto bad = [](char c) { return c == '\r' || c == '\n' || c == 0; };
  return !name.empty() && std::none_of(name.begin(), name.end(), bad) &&
         std::none_of(value.begin(), value.end(), bad);
}

}  // namespace

connection_context::connection_context(config::http_settings s, server::handler h,
                                       metrics::registry& r)
    : settings(std::move(s)), handler(std::move(h)), metrics(r) {
  std::string bad;
  auto proxies = address_ranges::parse(settings.trusted_proxies, &bad);
  if (!proxies) throw std::invalid_argument("not a CIDR range in http.trusted_proxies: " + bad);
  trusted_proxies = std::move(*proxies);
}

void connection_context::limit_body(const std::string& path, std::size_t bytes) {
  std::unique_lock lock{limits_mutex_};
  body_limits_[path] = bytes;
}

std::size_t connection_context::body_limit_of(std::string_view path) {
  std::shared_lock lock{limits_mutex_};
  auto it = body_limits_.find(path);
  return it == body_limits_.end() ? settings.body_limit : std::min(settings.body_limit, it->second);
}

std::size_t connection_context::evict_idle(std::size_t n) {
  std::vector<std::pair<int64_t, std::shared_ptr<connection>>> idle;
  {
    std::lock_guard lock{mutex_};
    for (auto& [_, c] : live_)
      if (auto since = c->idle_since(); since != 0) idle.emplace_back(since, c);
  }
  n = std::min(n, idle.size());
  std::partial_sort(idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(n), idle.end(),
                    [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t taken = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (idle[i].second->evict(idle[i].first)) ++taken;
  return taken;
}

void connection_context::adopt(std::shared_ptr<connection> c) {
  std::lock_guard lock{mutex_};
  live_.emplace(c.get(), std::move(c));
}

void connection_context::forget(connection* c) {
  std::shared_ptr<connection> last;  // destroyed outside the lock
  std::lock_guard lock{mutex_};
  if (auto it = live_.find(c); it != live_.end()) {
    last = std::move(it->second);
    live_.erase(it);
  }
}

std::size_t connection_context::live_count() {
  std::lock_guard lock{mutex_};
  return live_.size();
}

std::vector<std::shared_ptr<connection>> connection_context::snapshot() {
  std::lock_guard lock{mutex_};
  std::vector<std::shared_ptr<connection>> out;
  for (auto& [_, c] : live_) out.push_back(c);
  return out;
}

void connection_context::clear() {
  decltype(live_) doomed;
  {
    std::lock_guard lock{mutex_};
    doomed.swap(live_);
  }
}

connection::connection(connection_context& ctx, net::ip::tcp::socket socket, bool counted)
    : ctx_(ctx), stream_(std::move(socket)), counted_(counted) {
  beast::error_code ec;
  auto peer = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = peer.address().to_string();
  if (counted_) {
    ++ctx_.open;
    ctx_.metrics.connections_open.inc();
  }
}

connection::~connection() {
  if (evicted_) --ctx_.evicting;
  if (counted_) {
    --ctx_.open;
    ctx_.metrics.connections_open.dec();
  }
}

void connection::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->wait_for_request(self->ctx_.settings.header_timeout);
  });
}

void connection::reject() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->ctx_.metrics.connections_rejected.inc();
    self->write(json_error(503, "overloaded", "too many open connections, try again later"), false);
  });
}

bool connection::evict(int64_t since) {
  if (!idle_since_.compare_exchange_strong(since, 0)) return false;
  evicted_ = true;
  ++ctx_.evicting;
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ != phase::idle) return self->release_eviction();
    self->ctx_.metrics.connections_evicted.inc();
    self->close();
  });
  return true;
}

// A request came first: the connection stays and counts as open again.
void connection::release_eviction() {
  if (evicted_.exchange(false)) --ctx_.evicting;
}

void connection::stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == phase::idle) self->close();
  });
}

// A new connection gets header_timeout to start its request, a kept-alive
// one idle_timeout; once the first byte is in, the header has header_timeout.
void connection::wait_for_request(milliseconds patience) {
  phase_ = phase::idle;
  if (ctx_.stopping) return close();
  if (buffer_.size() > 0) return read_header();
  stream_.expires_after(patience);
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->buffer_.commit(n);
                            if (ec || self->phase_ == phase::closed) return self->close();
                            self->read_header();
                          });
}

void connection::read_header() {
  phase_ = phase::reading;
  idle_since_ = 0;
  parser_.emplace();
  body_limit_ = ctx_.settings.body_limit;
  apply_limits(*parser_, body_limit_);
  method_.clear();
  stream_.expires_after(ctx_.settings.header_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void connection::on_header(beast::error_code ec) {
  if (ec) return answer_read_error(ec);
  method_ = std::string(parser_->get().method_string());
  if (parser_->is_done()) return dispatch();
  // The path's own limit, known only now: an announced length over it is
  // refused before a byte of the body is read, a chunked body as it grows.
  std::string_view target = parser_->get().target();
  body_limit_ = ctx_.body_limit_of(target.substr(0, target.find('?')));
  auto announced = parser_->content_length();
  if (announced && *announced > body_limit_) return answer_read_error(bhttp::error::body_limit);
  parser_->body_limit(body_limit_);
  auto expect = parser_->get().find(bhttp::field::expect);
  if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
    static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(go_on.data(), go_on.size()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->read_body();
                     });
    return;
  }
  read_body();
}

// The body gets its own header_timeout: slow is fine, stalled is not.
void connection::read_body() {
  stream_.expires_after(ctx_.settings.header_timeout);
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
}

void connection::on_request(beast::error_code ec) {
  if (ec) return answer_read_error(ec);
  dispatch();
}

void connection::answer_read_error(beast::error_code ec) {
  if (!is_parse_error(ec) || ec == bhttp::error::end_of_stream ||
      ec == bhttp::error::partial_message)
    return close();  // timeout, reset or a peer that went away: nobody to answer
  http_response r;
  if (ec == bhttp::error::body_limit)
    r = json_error(413, "payload_too_large",
                   "request body exceeds " + std::to_string(body_limit_) + " bytes");
  else if (ec == bhttp::error::header_limit)
    r = json_error(431, "header_too_large", "request header is too large");
  else
    r = json_error(400, "bad_request", "malformed HTTP request: " + ec.message());
  ctx_.metrics.count_request("unmatched", method_, r.status);
  write(std::move(r), false);
}

void connection::dispatch() {
  phase_ = phase::handling;
  auto& msg = parser_->get();
  keep_alive_ = msg.keep_alive();
  head_request_ = msg.method() == bhttp::verb::head;
  auto req = to_http_request(std::move(msg), remote_);
  parser_.reset();
  if (!req) {
    ctx_.metrics.count_request("unmatched", method_, 400);
    return write(json_error(400, "bad_request", "request target must be an absolute path"), false);
  }
  req->client_address = client_address(remote_, req->headers, ctx_.trusted_proxies);

  http_responder out{[gate = ctx_.gate, weak = weak_from_this()](http_response r) {
    std::lock_guard lock{gate->mutex};
    if (!gate->open) return;
    if (auto self = weak.lock()) {
      auto executor = self->stream_.get_executor();
      net::post(executor, [self, r = std::move(r)]() mutable { self->respond(std::move(r)); });
    }
  }};
  auto fallback = out;
  try {
    ctx_.handler(std::move(*req), std::move(out));
  } catch (const std::exception& e) {
    log::error("http_server", "request handler threw", {{"what", e.what()}});
    fallback.send(json_error(500, "internal", "the request could not be handled"));
  }
}

void connection::respond(http_response r) {
  if (phase_ != phase::handling) return;
  write(std::move(r), keep_alive_ && !ctx_.stopping);
}

void connection::write(http_response r, bool keep_alive) {
  phase_ = phase::writing;
  response_.emplace();
  auto& res = *response_;
  res.version(11);
  int status = r.status >= 100 && r.status <= 999 ? r.status : 500;
  res.result(static_cast<unsigned>(status));
  if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers)
    if (safe_field(name, value)) res.insert(name, value);
  res.keep_alive(keep_alive);
  if (status >= 200 && status != 204 && status != 304) res.body() = std::move(r.body);
  res.prepare_payload();
  serializer_.emplace(res);
  // A peer that does not read its answer is cut off like one that does not send.
  stream_.expires_after(ctx_.settings.header_timeout);
  auto done = [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
    self->on_write(ec, keep_alive);
  };
  if (head_request_)
    bhttp::async_write_header(stream_, *serializer_, std::move(done));
  else
    bhttp::async_write(stream_, *serializer_, std::move(done));
}

void connection::on_write(beast::error_code ec, bool keep_alive) {
  serializer_.reset();
  response_.reset();
  if (ec) return close();
  if (!keep_alive) return linger();
  idle_since_ = std::chrono::steady_clock::now().time_since_epoch().count();
  wait_for_request(ctx_.settings.idle_timeout);
}

void connection::linger() {
  phase_ = phase::lingering;
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(linger_time);
  drain();
}

void connection::drain() {
  stream_.async_read_some(buffer_.prepare(16 * 1024),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            self->buffer_.consume(self->buffer_.size());
                            if (ec) return self->close();
                            self->drain();
                          });
}

void connection::close() {
  if (phase_ == phase::closed) return;
  phase_ = phase::closed;
  idle_since_ = 0;
  stream_.close();
  ctx_.forget(this);
}

}  // namespace vpnbot::http
