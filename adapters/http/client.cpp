#include "adapters/http/client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <chrono>
#include <exception>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "adapters/codec/ascii.hpp"
#include "adapters/http/client_error.hpp"
#include "adapters/http/client_metrics.hpp"
#include "adapters/http/connection_pool.hpp"
#include "adapters/http/io_thread.hpp"
#include "adapters/http/url.hpp"
#include "adapters/log/logger.hpp"

namespace vpnbot::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct client::impl {
  impl(config::http_client_settings s, metrics::registry& r)
      : settings(std::move(s)),
        metrics(r),
        pool({settings.pool_size, settings.idle_timeout, settings.max_requests_per_connection}) {
    configure(verifying, true);
    configure(trusting, false);
    for (unsigned i = 0; i < std::max(1u, settings.threads); ++i)
      threads.emplace_back([this] { run(); });
  }

  ~impl() {
    work.reset();
    ioc.stop();
    for (auto& t : threads) t.join();
    pool.close_all();
  }

  void configure(ssl::context& ctx, bool verify) {
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    if (!verify) {
      ctx.set_verify_mode(ssl::verify_none);
      return;
    }
    ctx.set_verify_mode(ssl::verify_peer);
    if (settings.ca_file.empty())
      ctx.set_default_verify_paths();
    else
      ctx.load_verify_file(settings.ca_file);
  }

  void run() { run_io_context(ioc, "http_client"); }

  void count(const std::string& target, const std::string& outcome) {
    metrics.requests.with({target, outcome}).inc();
  }

  void observe(const std::string& target, double seconds) {
    metrics.duration.with({target}).observe(seconds);
  }

  void count_connection(const std::string& target, bool reused) {
    metrics.connections.with({target, reused ? "reused" : "new"}).inc();
  }

  config::http_client_settings settings;
  client_metrics metrics;
  connection_pool pool;
  ssl::context verifying{ssl::context::tls_client};
  ssl::context trusting{ssl::context::tls_client};
  // Declared after everything the calls use: destroying it destroys them.
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);
  std::vector<std::thread> threads;
};

namespace {

milliseconds pick(milliseconds per_call, config::duration fallback) {
  return per_call.count() > 0 ? per_call : fallback;
}

bool is_token(std::string_view s) {
  static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || extra.find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool is_field_value(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == 0; });
}

std::string outcome_of(const client_result& r) {
  if (!r) {
    auto code = client_error_code(r.error());
    return code ? std::string(to_string(*code)) : "error";
  }
  return std::to_string(r->status / 100) + "xx";
}

// Methods a server must tolerate twice (RFC 9110 idempotent, minus TRACE);
// other requests only with an Idempotency-Key the server deduplicates by.
bool may_repeat(const http_client_request& r) {
  static const std::vector<std::string> idempotent = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"};
  if (std::find(idempotent.begin(), idempotent.end(), r.method) != idempotent.end()) return true;
  return std::any_of(r.headers.begin(), r.headers.end(), [](const auto& h) {
    return codec::ascii_lower(h.first) == "idempotency-key";
  });
}

// The call as plain values, validated before any I/O starts.
struct call_plan {
  url where;
  bhttp::request<bhttp::string_body> request;
  milliseconds connect_timeout, read_timeout, total_timeout;
  uint64_t body_limit;
  bool verify;
  std::string target;
  bool may_repeat;
  std::string origin;  // the connection pool's key
};

caf::expected<call_plan> plan(http_client_request& r, const config::http_client_settings& s) {
  auto where = parse_url(r.url);
  if (!where) return caf::make_error(client_errc::invalid_request, "invalid or unsupported URL");
  if (!is_token(r.method)) return caf::make_error(client_errc::invalid_request, "invalid method");
  call_plan p{*where,
              {},
              pick(r.connect_timeout, s.connect_timeout),
              pick(r.read_timeout, s.read_timeout),
              pick(r.total_timeout, s.total_timeout),
              r.body_limit,
              s.verify_tls && !r.skip_tls_verify,
              r.target,
              may_repeat(r),
              {}};
  p.origin = std::string(where->tls ? "https://" : "http://") + where->authority() +
             (p.verify ? "" : " unverified");
  auto& req = p.request;
  req.version(11);
  req.method_string(r.method);
  req.target(p.where.target);
  for (const auto& [name, value] : r.headers) {
    if (!is_token(name) || !is_field_value(value))
      return caf::make_error(client_errc::invalid_request,
                             "invalid header " + codec::ascii_lower(name));
    req.insert(name, value);
  }
  if (req.find(bhttp::field::host) == req.end()) req.set(bhttp::field::host, p.where.host_header());
  if (req.find(bhttp::field::user_agent) == req.end()) req.set(bhttp::field::user_agent, "vpnbot");
  req.keep_alive(s.pool_size > 0);
  req.body() = std::move(r.body);
  req.prepare_payload();
  return p;
}

// One call from resolve (or an idle keep-alive connection) to the last byte
// of the response. Every handler runs on the exchange's strand; the first
// outcome wins and later completions (an operation aborted by the closing
// socket) are ignored.
template <class Stream>
class exchange : public std::enable_shared_from_this<exchange<Stream>> {
 public:
  static constexpr bool tls = std::is_same_v<Stream, tls_stream>;

  // `idle`: a pooled connection to the plan's origin, whose strand the
  // exchange then runs on; otherwise `strand` is fresh.
  exchange(client::impl& owner, call_plan p, client_completion done, net::any_io_executor strand,
           ssl::context* ctx, std::optional<pooled_connection> idle)
      : owner_(owner),
        plan_(std::move(p)),
        done_(std::move(done)),
        executor_(std::move(strand)),
        ctx_(ctx),
        resolver_(executor_),
        deadline_(executor_) {
    if (idle) {
      stream_ = std::move(std::get<std::unique_ptr<Stream>>(idle->stream));
      requests_ = idle->requests;
      reused_ = true;
    } else {
      stream_ = fresh_stream();
    }
    reset_parser();
  }

  void start() {
    net::post(executor_, [self = this->shared_from_this()] { self->begin(); });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(*stream_); }

  std::unique_ptr<Stream> fresh_stream() {
    if constexpr (tls)
      return std::make_unique<Stream>(executor_, *ctx_);
    else
      return std::make_unique<Stream>(executor_);
  }

  void reset_parser() {
    buffer_.clear();
    parser_.emplace();
    parser_->body_limit(plan_.body_limit);
    parser_->header_limit(64 * 1024);
    if (plan_.request.method() == bhttp::verb::head) parser_->skip(true);
  }

  std::string ms(milliseconds d) const { return std::to_string(d.count()) + " ms"; }

  // The total deadline, and during name resolution also the connect
  // timeout (the resolver has no timeout of its own).
  void set_deadline(steady::time_point at) {
    deadline_.expires_at(at);
    deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->deadline_.expiry() > steady::now()) return;
      self->on_deadline();
    });
  }

  void on_deadline() {
    if (finished_) return;
    if (steady::now() >= total_end_)
      fail(client_errc::timeout, "total timeout after " + ms(plan_.total_timeout) + " (" + phase_ +
                                     ") to " + plan_.where.authority());
    else
      fail(client_errc::timeout, "resolve timeout after " + ms(plan_.connect_timeout) + " for " +
                                     plan_.where.authority());
  }

  void begin() {
    started_ = steady::now();
    total_end_ = started_ + plan_.total_timeout;
    if (!reused_) return resolve();
    owner_.count_connection(plan_.target, true);
    set_deadline(total_end_);
    send();
  }

  void resolve() {
    phase_ = "resolve";
    if (auto known = owner_.pool.resolved(plan_.where.host, plan_.where.port))
      return connect(*known);
    set_deadline(std::min(total_end_, steady::now() + plan_.connect_timeout));
    resolver_.async_resolve(
        plan_.where.host, std::to_string(plan_.where.port),
        [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
          self->on_resolve(ec, std::move(r));
        });
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (finished_) return;
    if (ec)
      return fail(client_errc::resolve, "resolve " + plan_.where.authority() + ": " + ec.message());
    owner_.pool.remember(plan_.where.host, plan_.where.port, results);
    connect(results);
  }

  void connect(const tcp::resolver::results_type& results) {
    set_deadline(total_end_);
    phase_ = "connect";
    lowest().expires_after(plan_.connect_timeout);
    lowest().async_connect(
        results, [self = this->shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
          self->on_connect(ec);
        });
  }

  void on_connect(beast::error_code ec) {
    if (finished_) return;
    if (ec) owner_.pool.forget(plan_.where.host, plan_.where.port);
    if (ec == beast::error::timeout)
      return fail(client_errc::timeout, "connect timeout after " + ms(plan_.connect_timeout) +
                                            " to " + plan_.where.authority());
    if (ec)
      return fail(client_errc::connect, "connect " + plan_.where.authority() + ": " + ec.message());
    owner_.count_connection(plan_.target, false);
    if constexpr (tls)
      handshake();
    else
      send();
  }

  void handshake() {
    phase_ = "tls";
    SSL* ssl = stream_->native_handle();
    if (!plan_.where.host_is_ip && !SSL_set_tlsext_host_name(ssl, plan_.where.host.c_str()))
      return fail(client_errc::tls, "cannot set SNI for " + plan_.where.authority());
    if (plan_.verify) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      int ok = 0;
      if (plan_.where.host_is_ip) {
        ok = X509_VERIFY_PARAM_set1_ip_asc(param, plan_.where.host.c_str());
      } else {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = X509_VERIFY_PARAM_set1_host(param, plan_.where.host.c_str(), 0);
      }
      if (!ok) return fail(client_errc::tls, "cannot set the expected peer name");
    }
    owner_.pool.resume_session(plan_.origin, ssl);
    lowest().expires_after(plan_.connect_timeout);
    stream_->async_handshake(
        ssl::stream_base::client,
        [self = this->shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
  }

  void on_handshake(beast::error_code ec) {
    if (finished_) return;
    if (ec == beast::error::timeout)
      return fail(client_errc::timeout, "tls handshake timeout after " + ms(plan_.connect_timeout) +
                                            " with " + plan_.where.authority());
    if (ec) {
      std::string why = ec.message();
      if constexpr (tls) {
        long verdict = SSL_get_verify_result(stream_->native_handle());
        if (verdict != X509_V_OK)
          why = std::string("certificate verify failed: ") + X509_verify_cert_error_string(verdict);
      }
      return fail(client_errc::tls, "tls handshake with " + plan_.where.authority() + ": " + why);
    }
    send();
  }

  void send() {
    phase_ = "write";
    lowest().expires_after(plan_.read_timeout);
    bhttp::async_write(*stream_, plan_.request,
                       [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                         self->on_write(ec, n);
                       });
  }

  // A reused connection the server closed while it was idle fails the
  // write or ends before the first byte of the answer. The call then gets
  // one fresh connection if repeating it is harmless: the method is
  // idempotent, or not a byte of the request was accepted (a failed TLS
  // write reports none, and a partial record is never decrypted).
  bool may_retry(beast::error_code ec, bool nothing_sent) const {
    return reused_ && ec != beast::error::timeout && (plan_.may_repeat || nothing_sent);
  }

  void retry() {
    reused_ = false;
    lowest().close();
    stream_ = fresh_stream();
    reset_parser();
    resolve();
  }

  void on_write(beast::error_code ec, std::size_t written) {
    if (finished_) return;
    if (ec && may_retry(ec, written == 0)) return retry();
    if (ec == beast::error::timeout)
      return fail(client_errc::timeout, "write timeout after " + ms(plan_.read_timeout) + " to " +
                                            plan_.where.authority());
    if (ec)
      return fail(client_errc::write, "write to " + plan_.where.authority() + ": " + ec.message());
    phase_ = "read";
    read_some();
  }

  // Reads in steps so the read timeout bounds each wait for bytes, not the
  // whole response; the total deadline bounds the sum.
  void read_some() {
    lowest().expires_after(plan_.read_timeout);
    bhttp::async_read_some(*stream_, buffer_, *parser_,
                           [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             self->on_read(ec);
                           });
  }

  void on_read(beast::error_code ec) {
    if (finished_) return;
    if (ec && ec != bhttp::error::body_limit && !parser_->got_some() && buffer_.size() == 0 &&
        may_retry(ec, false))
      return retry();
    if (ec == beast::error::timeout)
      return fail(client_errc::timeout, "read timeout after " + ms(plan_.read_timeout) + " from " +
                                            plan_.where.authority());
    if (ec == bhttp::error::body_limit)
      return fail(client_errc::body_too_large, "response body from " + plan_.where.authority() +
                                                   " exceeds " + std::to_string(plan_.body_limit) +
                                                   " bytes");
    if (ec)
      return fail(client_errc::read, "read from " + plan_.where.authority() + ": " + ec.message());
    if (!parser_->is_done()) return read_some();
    // Reusable only if both sides agreed to keep it and the response ended
    // by its length, leaving nothing unread.
    keep_alive_ = plan_.request.keep_alive() && parser_->keep_alive() && buffer_.size() == 0;
    auto& msg = parser_->get();
    http_client_response out;
    out.status = static_cast<int>(msg.result_int());
    for (const auto& field : msg)
      out.headers.emplace_back(codec::ascii_lower(field.name_string()), field.value());
    out.body = std::move(msg.body());
    finish(std::move(out));
  }

  void fail(client_errc code, std::string what) { finish(caf::make_error(code, std::move(what))); }

  void finish(client_result result) {
    finished_ = true;
    deadline_.cancel();
    resolver_.cancel();
    if constexpr (tls)
      if (result) owner_.pool.keep_session(plan_.origin, stream_->native_handle());
    if (result && keep_alive_) {
      lowest().expires_never();
      owner_.pool.give_back(plan_.origin, {std::move(stream_), requests_ + 1});
    } else {
      lowest().close();
    }
    auto seconds = std::chrono::duration<double>(steady::now() - started_).count();
    owner_.count(plan_.target, outcome_of(result));
    owner_.observe(plan_.target, seconds);
    auto done = std::move(done_);
    try {
      done(std::move(result));
    } catch (const std::exception& e) {
      log::error("http_client", "completion threw", {{"what", e.what()}});
    }
  }

  client::impl& owner_;
  call_plan plan_;
  client_completion done_;
  net::any_io_executor executor_;
  ssl::context* ctx_;  // tls only
  std::unique_ptr<Stream> stream_;
  tcp::resolver resolver_;
  net::steady_timer deadline_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  steady::time_point started_;
  steady::time_point total_end_;
  std::string phase_;
  unsigned requests_ = 0;  // answered on this connection before this call
  bool reused_ = false;    // the connection came from the pool (cleared by the retry)
  bool keep_alive_ = false;
  bool finished_ = false;
};

}  // namespace

client::client(config::http_client_settings settings, metrics::registry& registry)
    : impl_(std::make_unique<impl>(std::move(settings), registry)) {}

client::~client() = default;

void client::async_request(http_client_request request, client_completion done) {
  auto p = plan(request, impl_->settings);
  if (!p) {
    impl_->count(request.target, outcome_of(p.error()));
    net::post(impl_->ioc, [done = std::move(done), e = p.error()] { done(e); });
    return;
  }
  auto idle = impl_->pool.take(p->origin);
  auto strand = idle ? std::visit([](auto& s) { return s->get_executor(); }, idle->stream)
                     : net::any_io_executor(net::make_strand(impl_->ioc));
  if (p->where.tls) {
    auto& ctx = p->verify ? impl_->verifying : impl_->trusting;
    std::make_shared<exchange<tls_stream>>(*impl_, std::move(*p), std::move(done), strand, &ctx,
                                           std::move(idle))
        ->start();
  } else {
    std::make_shared<exchange<plain_stream>>(*impl_, std::move(*p), std::move(done), strand,
                                             nullptr, std::move(idle))
        ->start();
  }
}

}  // namespace vpnbot::http
