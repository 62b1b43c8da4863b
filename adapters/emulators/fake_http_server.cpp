#include "adapters/emulators/fake_http_server.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "adapters/codec/ascii.hpp"
#include "adapters/emulators/self_signed_certificate.hpp"

namespace vpnbot::emulators {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

fake_fault fake_fault::delay_by(std::chrono::milliseconds d, std::string path) {
  fake_fault f;
  f.what = kind::delay;
  f.delay = d;
  f.path = std::move(path);
  return f;
}

fake_fault fake_fault::close_connection(std::string path) {
  fake_fault f;
  f.what = kind::close;
  f.path = std::move(path);
  return f;
}

fake_fault fake_fault::respond_with(int status, std::string body, std::string path) {
  fake_fault f;
  f.what = kind::status;
  f.status = status;
  f.body = std::move(body);
  f.path = std::move(path);
  return f;
}

namespace {

std::string temp_pem_path() {
  static std::atomic<int> n{0};
  return (std::filesystem::temp_directory_path() /
          ("vpnbot-fake-ca-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".pem"))
      .string();
}

struct session_base {
  virtual ~session_base() = default;
  virtual void close_if_idle() = 0;
};

// Replies from foreign threads pass it; closed before the io_context goes.
struct gate {
  std::mutex mutex;
  bool open = true;
};

}  // namespace

struct fake_http_server::impl {
  impl(async_handler h, options o) : handler(std::move(h)), opts(std::move(o)) {
    if (opts.tls) {
      auto identity = make_self_signed_certificate(opts.tls_names);
      ca_path = temp_pem_path();
      std::ofstream(ca_path) << identity.certificate_pem;
      tls.emplace(ssl::context::tls_server);
      tls->use_certificate_chain(
          net::buffer(identity.certificate_pem.data(), identity.certificate_pem.size()));
      tls->use_private_key(
          net::buffer(identity.private_key_pem.data(), identity.private_key_pem.size()),
          ssl::context::pem);
    }
    tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), 0};
    acceptor.open(endpoint.protocol());
    // Not inherited by processes the owner starts (the sandbox's embedded
    // PostgreSQL, a test's service binary): they would hold the port open.
    ::fcntl(acceptor.native_handle(), F_SETFD, FD_CLOEXEC);
    acceptor.bind(endpoint);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept();
    thread = std::thread([this] { ioc.run(); });
  }

  ~impl() {
    {
      std::lock_guard lock{replies->mutex};
      replies->open = false;
    }
    ioc.stop();
    thread.join();
    sessions.clear();
    if (!ca_path.empty()) std::filesystem::remove(ca_path);
  }

  void accept();

  void adopt(std::shared_ptr<session_base> s) {
    std::lock_guard lock{mutex};
    sessions.emplace(s.get(), std::move(s));
  }

  void forget(session_base* s) {
    std::shared_ptr<session_base> last;  // destroyed outside the lock
    std::lock_guard lock{mutex};
    if (auto it = sessions.find(s); it != sessions.end()) {
      last = std::move(it->second);
      sessions.erase(it);
    }
  }

  void record(const http_request& r) {
    std::lock_guard lock{mutex};
    seen.push_back(r);
  }

  std::optional<fake_fault> take_fault(const std::string& path) {
    std::lock_guard lock{mutex};
    for (auto it = faults.begin(); it != faults.end(); ++it) {
      if (!it->first.path.empty() && it->first.path != path) continue;
      auto f = it->first;
      if (it->second > 0 && --it->second == 0) faults.erase(it);
      return f;
    }
    return std::nullopt;
  }

  async_handler handler;
  options opts;
  std::string ca_path;
  std::optional<ssl::context> tls;
  std::shared_ptr<gate> replies = std::make_shared<gate>();
  mutable std::mutex mutex;  // faults, seen, sessions
  std::deque<std::pair<fake_fault, int>> faults;
  std::vector<http_request> seen;
  std::unordered_map<session_base*, std::shared_ptr<session_base>> sessions;
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> resumed{0};
  // One io thread: handlers and sessions need no further locking.
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  uint16_t port = 0;
};

namespace {

template <class Stream>
class session : public session_base, public std::enable_shared_from_this<session<Stream>> {
 public:
  static constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  session(fake_http_server::impl& owner, Args&&... args)
      : owner_(owner), stream_(std::forward<Args>(args)...), timer_(stream_.get_executor()) {}

  void start() {
    if constexpr (tls) {
      lowest().expires_after(std::chrono::seconds(5));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close();
                                if (SSL_session_reused(self->stream_.native_handle()))
                                  ++self->owner_.resumed;
                                self->read();
                              });
    } else {
      read();
    }
  }

  void close_if_idle() override {
    if (!awaiting_) close();
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void read() {
    parser_.emplace();
    parser_->body_limit(64 << 20);
    lowest().expires_after(std::chrono::seconds(30));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_request(ec);
                      });
  }

  void on_request(beast::error_code ec) {
    if (ec) return close();
    lowest().expires_never();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    http_request req;
    req.method = std::string(msg.method_string());
    std::string_view target = msg.target();
    auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    for (const auto& f : msg)
      req.headers.emplace_back(codec::ascii_lower(f.name_string()), f.value());
    req.body = std::move(msg.body());
    req.peer_address = req.client_address = "127.0.0.1";
    owner_.record(req);
    awaiting_ = true;

    auto fault = owner_.take_fault(req.path);
    if (!fault) return ask(std::move(req));
    switch (fault->what) {
      case fake_fault::kind::close:
        return close();
      case fake_fault::kind::status:
        return write({fault->status, "application/json", {}, fault->body});
      case fake_fault::kind::delay:
        timer_.expires_after(fault->delay);
        timer_.async_wait(
            [self = this->shared_from_this(), req = std::move(req)](beast::error_code ec) mutable {
              if (!ec) self->ask(std::move(req));
            });
        return;
    }
  }

  void ask(http_request req) {
    std::weak_ptr<session> weak = this->shared_from_this();
    auto reply = [replies = owner_.replies, weak](http_response r) {
      std::lock_guard lock{replies->mutex};
      if (!replies->open) return;
      if (auto self = weak.lock()) {
        auto executor = self->stream_.get_executor();
        net::post(executor, [self, r = std::move(r)]() mutable { self->write(std::move(r)); });
      }
    };
    try {
      owner_.handler(req, reply);
    } catch (const std::exception& e) {
      write({500, "text/plain", {}, std::string("fake handler threw: ") + e.what()});
    }
  }

  void write(http_response r) {
    if (phase_closed_ || !awaiting_) return;  // a second reply to one request
    awaiting_ = false;
    response_.emplace();
    auto& res = *response_;
    res.version(11);
    res.result(static_cast<unsigned>(r.status));
    if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) {
      if (codec::ascii_lower(k) == "connection" && codec::ascii_lower(v) == "close")
        keep_alive_ = false;
      res.insert(k, v);
    }
    res.keep_alive(keep_alive_);
    res.body() = std::move(r.body);
    res.prepare_payload();
    lowest().expires_after(std::chrono::seconds(30));
    bhttp::async_write(stream_, res,
                       [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec || !self->keep_alive_) return self->close();
                         self->read();
                       });
  }

  void close() {
    if (phase_closed_) return;
    phase_closed_ = true;
    timer_.cancel();
    lowest().close();
    owner_.forget(this);
  }

  fake_http_server::impl& owner_;
  Stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  bool keep_alive_ = false;
  bool awaiting_ = false;
  bool phase_closed_ = false;
};

}  // namespace

void fake_http_server::impl::accept() {
  acceptor.async_accept(ioc, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    ++accepted;
    if (tls) {
      auto s = std::make_shared<session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, std::move(socket), *tls);
      adopt(s);
      s->start();
    } else {
      auto s = std::make_shared<session<beast::tcp_stream>>(*this, std::move(socket));
      adopt(s);
      s->start();
    }
    accept();
  });
}

fake_http_server::fake_http_server(handler h, options o)
    : fake_http_server(async_handler{[h = std::move(h)](const http_request& r,
                                                        std::function<void(http_response)> reply) {
                         reply(h(r));
                       }},
                       std::move(o)) {}

fake_http_server::fake_http_server(async_handler h, options o)
    : impl_(std::make_unique<impl>(std::move(h), std::move(o))) {}

fake_http_server::~fake_http_server() = default;

uint16_t fake_http_server::port() const {
  return impl_->port;
}

std::string fake_http_server::base_url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

const std::string& fake_http_server::ca_file() const {
  return impl_->ca_path;
}

void fake_http_server::inject(fake_fault f, int times) {
  if (times == 0) return;
  std::lock_guard lock{impl_->mutex};
  impl_->faults.emplace_back(std::move(f), times);
}

void fake_http_server::clear_faults() {
  std::lock_guard lock{impl_->mutex};
  impl_->faults.clear();
}

std::vector<http_request> fake_http_server::requests() const {
  std::lock_guard lock{impl_->mutex};
  return impl_->seen;
}

std::size_t fake_http_server::request_count() const {
  std::lock_guard lock{impl_->mutex};
  return impl_->seen.size();
}

std::size_t fake_http_server::connection_count() const {
  return impl_->accepted;
}

std::size_t fake_http_server::resumed_count() const {
  return impl_->resumed;
}

void fake_http_server::close_idle_connections() {
  std::promise<void> closed;
  net::post(impl_->ioc, [this, &closed] {
    std::vector<std::shared_ptr<session_base>> all;
    {
      std::lock_guard lock{impl_->mutex};
      for (const auto& [raw, s] : impl_->sessions) all.push_back(s);
    }
    for (const auto& s : all) s->close_if_idle();
    closed.set_value();
  });
  closed.get_future().wait();
}

}  // namespace vpnbot::emulators
