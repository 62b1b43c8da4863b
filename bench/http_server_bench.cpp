// Throughput and latency of the HTTP server on loopback: /healthz (io thread
// → http_server actor → io thread) and /readyz (plus one actor round trip to
// the readiness source), over keep-alive
// connections from several client threads. Prints its figures; asserts
// nothing.
//
//   ./build/bench/bench_http_server_bench [connections] [requests per connection]

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <caf/all.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "actors/http_server.hpp"
#include "messages/type_ids.hpp"

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

caf::behavior always_ready() {
  return {[](vpnbot::readiness_atom) { return vpnbot::readiness_report{}; }};
}

struct run_result {
  double seconds = 0;
  std::vector<double> latencies_us;
  int failures = 0;
};

run_result hammer(uint16_t port, const char* target, int connections, int per_connection) {
  run_result out;
  std::mutex mutex;
  std::vector<std::thread> threads;
  auto start = clock_type::now();
  for (int c = 0; c < connections; ++c)
    threads.emplace_back([&] {
      std::vector<double> mine;
      int failed = 0;
      boost::asio::io_context ioc;
      beast::tcp_stream stream{ioc};
      stream.connect(tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), port});
      beast::flat_buffer buffer;
      for (int i = 0; i < per_connection; ++i) {
        bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        auto t0 = clock_type::now();
        bhttp::write(stream, req);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(stream, buffer, res);
        mine.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
        if (res.result_int() != 200) ++failed;
      }
      std::lock_guard guard{mutex};
      out.latencies_us.insert(out.latencies_us.end(), mine.begin(), mine.end());
      out.failures += failed;
    });
  for (auto& t : threads) t.join();
  out.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  std::sort(out.latencies_us.begin(), out.latencies_us.end());
  return out;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  int connections = argc > 1 ? std::atoi(argv[1]) : 8;
  int per_connection = argc > 2 ? std::atoi(argv[2]) : 2000;
  caf::actor_system_config cfg;
  vpnbot::register_message_types(cfg);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  caf::actor_system sys{cfg};
  vpnbot::http_server_config hc;
  hc.http.listen_port = 0;
  hc.http.max_connections = 1024;
  hc.readiness = sys.spawn(always_ready);
  auto server = vpnbot::spawn_http_server(sys, hc);
  caf::scoped_actor self{sys};
  uint16_t port = 0;
  self->request(server, std::chrono::seconds(5), vpnbot::http_port_atom_v)
      .receive([&](uint16_t p) { port = p; }, [](caf::error&) {});
  if (port == 0) {
    std::fprintf(stderr, "the server did not start\n");
    return 1;
  }
  std::printf("http_server_bench: %d keep-alive connections x %d requests, %u cores\n", connections,
              per_connection, std::thread::hardware_concurrency());
  for (const char* target : {"/healthz", "/readyz"}) {
    hammer(port, target, connections, per_connection / 10);  // warm-up
    auto r = hammer(port, target, connections, per_connection);
    auto total = static_cast<double>(r.latencies_us.size());
    std::printf("%-9s %9.0f req/s  p50 %7.1f us  p99 %7.1f us  max %8.1f us  failures %d\n", target,
                total / r.seconds, percentile(r.latencies_us, 0.50),
                percentile(r.latencies_us, 0.99), r.latencies_us.back(), r.failures);
  }
  self->send_exit(server, caf::exit_reason::user_shutdown);
  self->send_exit(hc.readiness, caf::exit_reason::user_shutdown);
  return 0;
}
