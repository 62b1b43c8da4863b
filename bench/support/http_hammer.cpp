#include "bench/support/http_hammer.hpp"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>
#include <vector>

namespace vpnbot::bench {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

struct counts {
  std::size_t calls = 0;
  std::size_t failures = 0;
};

counts one_connection(uint16_t port, const std::string& target, const std::string& body,
                      std::chrono::steady_clock::time_point until) {
  counts c;
  net::io_context ioc;
  tcp::socket socket{ioc};
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  socket.set_option(tcp::no_delay(true));
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::content_type, "application/json");
  req.keep_alive(true);
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  while (std::chrono::steady_clock::now() < until) {
    beast::error_code ec;
    bhttp::write(socket, req, ec);
    bhttp::response<bhttp::string_body> res;
    if (!ec) bhttp::read(socket, buffer, res, ec);
    if (ec) {
      ++c.failures;
      break;
    }
    ++c.calls;
    if (res.result_int() != 200) ++c.failures;
  }
  return c;
}

}  // namespace

hammer_result hammer(uint16_t port, const std::string& target, const std::string& json_body,
                     int connections, std::chrono::milliseconds duration) {
  auto start = std::chrono::steady_clock::now();
  auto until = start + duration;
  std::vector<counts> per(static_cast<std::size_t>(connections));
  std::vector<std::thread> threads;
  for (auto& c : per)
    threads.emplace_back([&c, port, &target, &json_body, until] {
      c = one_connection(port, target, json_body, until);
    });
  for (auto& t : threads) t.join();
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  hammer_result r;
  for (const auto& c : per) {
    r.calls += c.calls;
    r.failures += c.failures;
  }
  r.calls_per_second = static_cast<double>(r.calls) / took.count();
  return r;
}

}  // namespace vpnbot::bench
