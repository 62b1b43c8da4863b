#pragma once

// The body of every io_context thread of the HTTP adapters. A handler that
// throws is a bug in one connection or call, not in the thread: it is logged
// and the loop goes on serving the others, until the context is stopped.

#include <boost/asio/io_context.hpp>

namespace vpnbot::http {

void run_io_context(boost::asio::io_context& ioc, const char* component);

}  // namespace vpnbot::http
