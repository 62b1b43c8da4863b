#include "adapters/http/io_thread.hpp"

#include "adapters/log/logger.hpp"

namespace vpnbot::http {

void run_io_context(boost::asio::io_context& ioc, const char* component) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      log::error(component, "io thread caught an exception", {{"what", e.what()}});
    }
  }
}

}  // namespace vpnbot::http
