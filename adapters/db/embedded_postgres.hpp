#pragma once

// The embedded default: with no database configured, vpnbot runs its own
// private PostgreSQL 15 cluster under its data directory. The server listens
// only on a Unix socket inside that directory (no TCP), is created on first
// start, reused afterwards (data persists) and stopped when vpnbot stops.
// PostgreSQL refuses to run as root, so under root it runs as an unprivileged
// system user created for it.
//
// Everything here blocks (initdb, pg_ctl); it runs on the main thread before
// the actor system starts and after it has stopped.

#include <caf/expected.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace vpnbot::db {

struct embedded_postgres_options {
  std::string data_dir;  // the cluster directory
  std::string bin_dir = "/usr/lib/postgresql/15/bin";
  std::string run_as_user = "vpnbot";  // used only when vpnbot runs as root
  std::string database = "vpnbot";
  std::chrono::seconds start_timeout{60};
};

class embedded_postgres {
 public:
  // Initializes (first time) and starts the cluster; returns once it accepts
  // connections.
  static caf::expected<std::unique_ptr<embedded_postgres>> start(embedded_postgres_options opts);

  ~embedded_postgres();
  embedded_postgres(const embedded_postgres&) = delete;
  embedded_postgres& operator=(const embedded_postgres&) = delete;

  // postgresql:// URI of the vpnbot database on the cluster's socket.
  const std::string& url() const { return url_; }

  // Stops the server (fast mode: active sessions are rolled back). Idempotent.
  void stop();

 private:
  explicit embedded_postgres(embedded_postgres_options opts) : opts_(std::move(opts)) {}

  embedded_postgres_options opts_;
  std::string url_;
  bool running_ = false;
};

}  // namespace vpnbot::db
