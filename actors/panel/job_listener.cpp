#include "actors/panel/job_listener.hpp"

#include <caf/all.hpp>
#include <memory>
#include <pqxx/pqxx>

#include "adapters/log/logger.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::activation {
namespace {

class jobs_receiver : public pqxx::notification_receiver {
 public:
  jobs_receiver(pqxx::connection_base& c, const std::string& channel,
                slot_ref<caf::actor> activation)
      : pqxx::notification_receiver(c, channel), activation_(std::move(activation)) {}

  void operator()(const std::string&, int) override {
    if (auto worker = activation_->get()) caf::anon_send(worker, jobs_queued_atom_v);
  }

 private:
  slot_ref<caf::actor> activation_;
};

constexpr auto first_retry = std::chrono::milliseconds(100);
constexpr auto max_retry = std::chrono::seconds(5);

struct listener_state {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<jobs_receiver> receiver;
  std::chrono::milliseconds retry = first_retry;
  bool outage_logged = false;
  std::string channel;
};

using job_listener_actor_t = caf::stateful_actor<listener_state>;

void wake_worker(const slot_ref<caf::actor>& activation) {
  if (auto worker = activation->get()) caf::anon_send(worker, jobs_queued_atom_v);
}

void lost(job_listener_actor_t* self, const std::exception& e) {
  auto& st = self->state;
  st.receiver.reset();
  st.conn.reset();
  if (!st.outage_logged)
    log::warn("activation", "job notifications lost, connecting again",
              {{"channel", st.channel}, {"error", e.what()}});
  st.outage_logged = true;
  self->delayed_send(self, st.retry, listen_again_atom_v);
  st.retry = std::min<std::chrono::milliseconds>(st.retry * 2, max_retry);
}

void connect(job_listener_actor_t* self, const job_listener_config& cfg) {
  auto& st = self->state;
  st.channel = cfg.channel;
  try {
    st.conn = std::make_unique<pqxx::connection>(cfg.database_url);
    st.receiver = std::make_unique<jobs_receiver>(*st.conn, cfg.channel, cfg.activation);
  } catch (const std::exception& e) {
    return lost(self, e);
  }
  if (st.outage_logged)
    log::info("activation", "job notifications back", {{"channel", st.channel}});
  st.outage_logged = false;
  st.retry = first_retry;
  // Jobs committed while nobody listened.
  wake_worker(cfg.activation);
  log::debug("activation", "listening for queued jobs", {{"channel", st.channel}});
  self->send(self, tick_atom_v);
}

caf::behavior job_listener(job_listener_actor_t* self, job_listener_config cfg) {
  connect(self, cfg);
  auto wait_us = std::chrono::duration_cast<std::chrono::microseconds>(cfg.wait).count();
  return {
      [self, wait_us](tick_atom) {
        if (!self->state.conn) return;
        try {
          self->state.conn->await_notification(wait_us / 1'000'000, wait_us % 1'000'000);
        } catch (const std::exception& e) {
          return lost(self, e);
        }
        self->send(self, tick_atom_v);
      },
      [self, cfg](listen_again_atom) { connect(self, cfg); },
  };
}

}  // namespace

caf::actor spawn_job_listener(caf::actor_system& sys, job_listener_config cfg) {
  return sys.spawn<caf::detached>(job_listener, std::move(cfg));
}

}  // namespace vpnbot::activation
