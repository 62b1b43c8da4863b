#include "app/sandbox/free_port.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace vpnbot::sandbox {

uint16_t free_port(const std::string& host) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor{
      io, boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address(host), 0}};
  return acceptor.local_endpoint().port();
}

}  // namespace vpnbot::sandbox
