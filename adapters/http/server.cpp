#include "adapters/http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "adapters/http/connection.hpp"
#include "adapters/http/io_thread.hpp"
#include "adapters/log/logger.hpp"

namespace vpnbot::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct server::impl {
  impl(config::http_settings settings, handler on_request, metrics::registry& registry)
      : ctx(std::move(settings), std::move(on_request), registry) {}

  void listen() {
    const auto& s = ctx.settings;
    try {
      boost::system::error_code ec;
      auto address = net::ip::make_address(s.listen_host, ec);
      if (ec) {
        tcp::resolver resolver{ioc};
        address = resolver.resolve(s.listen_host, "").begin()->endpoint().address();
      }
      tcp::endpoint endpoint{address, s.listen_port};
      acceptor.open(endpoint.protocol());
      acceptor.set_option(net::socket_base::reuse_address(true));
      acceptor.bind(endpoint);
      acceptor.listen(net::socket_base::max_listen_connections);
      port = acceptor.local_endpoint().port();
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen on " + s.listen_host + ":" +
                               std::to_string(s.listen_port) + ": " + e.code().message());
    }
  }

  void accept() {
    acceptor.async_accept(net::make_strand(ioc),
                          [this](boost::system::error_code ec, tcp::socket socket) {
                            if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
                            if (ec) {
                              // Out of descriptors and the like: wait instead of spinning.
                              log::warn("http_server", "accept failed", {{"error", ec.message()}});
                              retry.expires_after(std::chrono::milliseconds(50));
                              retry.async_wait([this](boost::system::error_code e) {
                                if (!e) accept();
                              });
                              return;
                            }
                            bool counted = make_room();
                            auto c = std::make_shared<connection>(ctx, std::move(socket), counted);
                            ctx.adopt(c);
                            if (counted)
                              c->start();
                            else
                              c->reject();
                            accept();
                          });
  }

  // Near the limit (over 90 %), idle keep-alive connections give way to new
  // clients, the longest idle first, instead of new clients getting 503.
  // Connections being refused hold a socket for a moment but no place.
  bool make_room() {
    auto max = ctx.settings.max_connections;
    auto high_water = max - max / 10;
    auto open = ctx.open.load() - std::min(ctx.open.load(), ctx.evicting.load());
    if (open + 1 > high_water) open -= std::min(open, ctx.evict_idle(open + 1 - high_water));
    return open < max;
  }

  void run() { run_io_context(ioc, "http_server"); }

  // Declared first, destroyed last: connections dying with the io_context
  // still report to it.
  connection_context ctx;
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);
  tcp::acceptor acceptor{net::make_strand(ioc)};
  net::steady_timer retry{acceptor.get_executor()};
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool stopped = false;
};

server::server(config::http_settings settings, handler on_request, metrics::registry& registry)
    : impl_(std::make_unique<impl>(std::move(settings), std::move(on_request), registry)) {
  impl_->listen();
  impl_->accept();
  for (unsigned i = 0; i < std::max(1u, impl_->ctx.settings.threads); ++i)
    impl_->threads.emplace_back([p = impl_.get()] { p->run(); });
}

server::~server() {
  stop(std::chrono::milliseconds(0));
}

uint16_t server::port() const {
  return impl_->port;
}

void server::limit_body(const std::string& path, std::size_t bytes) {
  impl_->ctx.limit_body(path, bytes);
}

void server::stop_accepting() {
  if (impl_->ctx.stopping.exchange(true)) return;
  net::post(impl_->acceptor.get_executor(), [p = impl_.get()] {
    boost::system::error_code ignored;
    p->acceptor.close(ignored);
    p->retry.cancel();
  });
  for (auto& c : impl_->ctx.snapshot()) c->stop();
}

std::size_t server::open_connections() const {
  return impl_->ctx.live_count();
}

void server::stop(std::chrono::milliseconds grace) {
  if (impl_->stopped) return;
  impl_->stopped = true;
  stop_accepting();
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (impl_->ctx.live_count() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  {
    std::lock_guard lock{impl_->ctx.gate->mutex};
    impl_->ctx.gate->open = false;
  }
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->ctx.clear();
}

}  // namespace vpnbot::http
