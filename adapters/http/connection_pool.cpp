#include "adapters/http/connection_pool.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <iterator>

namespace vpnbot::http {

namespace {

int native_socket(pooled_connection& c) {
  return std::visit(
      [](auto& s) { return boost::beast::get_lowest_layer(*s).socket().native_handle(); },
      c.stream);
}

// A kept-alive connection must be silent until the next request: a byte
// means a close (EOF), a TLS alert or garbage, none of which a new request
// survives. Catching it here saves a write that would be lost.
bool still_open(pooled_connection& c) {
  char byte;
  auto n = ::recv(native_socket(c), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

std::string host_key(const std::string& host, uint16_t port) {
  return host + ":" + std::to_string(port);
}

}  // namespace

connection_pool::connection_pool(limits l) : limits_(l) {}

connection_pool::~connection_pool() {
  for (auto& [origin, session] : sessions_) SSL_SESSION_free(session);
}

std::optional<pooled_connection> connection_pool::take(const std::string& origin) {
  std::vector<idle> closing;  // closed outside the lock
  std::lock_guard lock{mutex_};
  auto now = clock::now();
  sweep(now, closing);
  auto it = idle_.find(origin);
  if (it == idle_.end()) return std::nullopt;
  auto& list = it->second;
  std::optional<pooled_connection> out;
  while (!list.empty() && !out) {
    auto last = std::move(list.back());
    list.pop_back();
    if (still_open(last.connection))
      out = std::move(last.connection);
    else
      closing.push_back(std::move(last));
  }
  if (list.empty()) idle_.erase(it);
  return out;
}

void connection_pool::give_back(const std::string& origin, pooled_connection c) {
  if (!enabled() || c.requests >= limits_.max_requests) return;
  std::vector<idle> closing;
  std::lock_guard lock{mutex_};
  auto now = clock::now();
  sweep(now, closing);
  auto& list = idle_[origin];
  list.push_back({std::move(c), now});
  if (list.size() > limits_.idle_per_origin) {
    auto excess = static_cast<std::ptrdiff_t>(list.size() - limits_.idle_per_origin);
    std::move(list.begin(), list.begin() + excess, std::back_inserter(closing));
    list.erase(list.begin(), list.begin() + excess);
  }
}

void connection_pool::close_all() {
  std::map<std::string, std::vector<idle>> closing;
  std::lock_guard lock{mutex_};
  closing.swap(idle_);
}

// Oldest first in every list: the expired ones are a prefix.
void connection_pool::sweep(clock::time_point now, std::vector<idle>& closing) {
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& list = it->second;
    auto fresh = std::find_if(list.begin(), list.end(),
                              [&](const idle& i) { return now - i.since < limits_.idle_timeout; });
    std::move(list.begin(), fresh, std::back_inserter(closing));
    list.erase(list.begin(), fresh);
    it = list.empty() ? idle_.erase(it) : std::next(it);
  }
}

std::optional<connection_pool::endpoints> connection_pool::resolved(const std::string& host,
                                                                    uint16_t port) {
  std::lock_guard lock{mutex_};
  auto it = dns_.find(host_key(host, port));
  if (it == dns_.end()) return std::nullopt;
  if (clock::now() >= it->second.until) {
    dns_.erase(it);
    return std::nullopt;
  }
  return it->second.addresses;
}

void connection_pool::remember(const std::string& host, uint16_t port, endpoints e) {
  std::lock_guard lock{mutex_};
  dns_[host_key(host, port)] = {std::move(e), clock::now() + dns_ttl};
}

void connection_pool::forget(const std::string& host, uint16_t port) {
  std::lock_guard lock{mutex_};
  dns_.erase(host_key(host, port));
}

void connection_pool::resume_session(const std::string& origin, SSL* ssl) {
  std::lock_guard lock{mutex_};
  if (auto it = sessions_.find(origin); it != sessions_.end()) SSL_set_session(ssl, it->second);
}

// A copy: OpenSSL marks a connection's own session not resumable when the
// connection is freed without a TLS shutdown, which is how ours end.
void connection_pool::keep_session(const std::string& origin, SSL* ssl) {
  const SSL_SESSION* current = SSL_get0_session(ssl);
  if (!current || !SSL_SESSION_is_resumable(current)) return;
  SSL_SESSION* session = SSL_SESSION_dup(current);
  if (!session) return;
  std::lock_guard lock{mutex_};
  auto& slot = sessions_[origin];
  if (slot) SSL_SESSION_free(slot);
  slot = session;
}

}  // namespace vpnbot::http
