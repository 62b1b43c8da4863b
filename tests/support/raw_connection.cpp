#include "support/raw_connection.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace vpnbot::testing_support {

using namespace emulators;

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

struct raw_connection::impl {
  // Runs one asynchronous operation to completion; the stream's timeout
  // guarantees it completes.
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result;
    start([&result](beast::error_code ec, std::size_t) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
};

raw_connection::raw_connection(uint16_t port) : impl_(std::make_unique<impl>()) {
  impl_->stream.connect(net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
}

raw_connection::~raw_connection() = default;

void raw_connection::send(std::string_view bytes) {
  net::write(impl_->stream.socket(), net::buffer(bytes.data(), bytes.size()));
}

std::optional<http_result> raw_connection::read_response(std::chrono::milliseconds timeout,
                                                         bool answers_head) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 << 20);
  parser.skip(answers_head);
  impl_->stream.expires_after(timeout);
  auto ec = impl_->run(
      [&](auto done) { bhttp::async_read(impl_->stream, impl_->buffer, parser, std::move(done)); });
  if (ec) return std::nullopt;
  auto& res = parser.get();
  http_result out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers[name] = std::string(f.value());
  }
  return out;
}

bool raw_connection::closed_within(std::chrono::milliseconds timeout) {
  impl_->stream.expires_after(timeout);
  for (;;) {
    auto ec = impl_->run([&](auto done) {
      impl_->stream.async_read_some(impl_->buffer.prepare(4096), std::move(done));
    });
    impl_->buffer.consume(impl_->buffer.size());
    if (ec == beast::error::timeout) return false;
    if (ec) return true;  // end of stream or reset: the peer closed
  }
}

}  // namespace vpnbot::testing_support
