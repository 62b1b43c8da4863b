#include "actors/panel/job_listener.hpp"

#include <caf/all.hpp>
#include <memory>
#include <pqxx/pqxx>

#include "adapters/log/logger.hpp"
#include "domain/subscriptions/job_kind.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::activation {
namespace {

class jobs_receiver : public pqxx::notification_receiver {
 public:
  jobs_receiver(pqxx::connection_base& c, slot_ref<caf::actor> activation)
      : pqxx::notification_receiver(c, subscriptions::jobs_channel),
        activation_(std::move(activation)) {}

  void operator()(const std::string&, int) override {
    if (auto worker = activation_->get()) caf::anon_send(worker, jobs_queued_atom_v);
  }

 private:
  slot_ref<caf::actor> activation_;
};

struct listener_state {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<jobs_receiver> receiver;
};

caf::behavior job_listener(caf::stateful_actor<listener_state>* self, job_listener_config cfg) {
  auto& st = self->state;
  // A failure throws: the actor dies and its supervisor retries with backoff.
  st.conn = std::make_unique<pqxx::connection>(cfg.database_url);
  st.receiver = std::make_unique<jobs_receiver>(*st.conn, cfg.activation);
  log::debug("activation", "listening for queued jobs");
  self->send(self, tick_atom_v);
  auto wait_us = std::chrono::duration_cast<std::chrono::microseconds>(cfg.wait).count();
  return {
      [self, wait_us](tick_atom) {
        // Throws on a lost connection, ending the actor for its supervisor.
        self->state.conn->await_notification(wait_us / 1'000'000, wait_us % 1'000'000);
        self->send(self, tick_atom_v);
      },
  };
}

}  // namespace

caf::actor spawn_job_listener(caf::actor_system& sys, job_listener_config cfg) {
  return sys.spawn<caf::detached>(job_listener, std::move(cfg));
}

}  // namespace vpnbot::activation
