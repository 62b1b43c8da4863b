// A child that throws is restarted with fresh state, and the restart is
// visible to an operator on /metrics, served by the real HTTP server.

#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <thread>

#include "actors/component_slot.hpp"
#include "actors/http_server.hpp"
#include "actors/supervisor.hpp"
#include "adapters/emulators/http_call.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {
namespace {

using namespace std::chrono_literals;
using bump_atom = caf::atom_constant<caf::atom("bump")>;
using boom_atom = caf::atom_constant<caf::atom("boom")>;

struct counter_state {
  int value = 0;
};

caf::behavior counter(caf::stateful_actor<counter_state>* self) {
  return {
      [self](bump_atom) { return ++self->state.value; },
      [](boom_atom) -> int { throw std::runtime_error("counter exploded"); },
  };
}

// Each incarnation is put in a slot, so the test can reach the current one.
template <class F>
supervision::child_spec published(std::string name, slot_ref<caf::actor> slot, F spawn) {
  supervision::child_spec c;
  c.name = std::move(name);
  c.start = [slot, spawn](caf::local_actor* sup) {
    caf::actor a = spawn(sup);
    slot->set(a);
    return a;
  };
  return c;
}

caf::actor await_published(const slot_ref<caf::actor>& slot, const caf::actor_addr& not_this = {}) {
  for (int i = 0; i < 500; ++i) {
    auto a = slot->get();
    if (a && a.address() != not_this) return a;
    std::this_thread::sleep_for(10ms);
  }
  return {};
}

TEST(SupervisedCrash, CrashedChildRestartsFreshAndMetricsShowIt) {
  metrics::registry registry;
  caf::actor_system_config cfg;
  register_message_types(cfg);
  caf::actor_system sys{cfg};
  auto counter_slot = make_slot<caf::actor>();
  auto http_slot = make_slot<caf::actor>();
  supervision::supervisor_spec spec;
  spec.name = "root";
  spec.limits.backoff_min = 10ms;
  spec.limits.backoff_max = 20ms;
  spec.children.push_back(published(
      "counter", counter_slot, [](caf::local_actor* sup) { return sup->system().spawn(counter); }));
  spec.children.push_back(published("http_server", http_slot, [&registry](caf::local_actor* sup) {
    http_server_config hc;
    hc.http.listen_port = 0;
    hc.readiness = caf::actor_cast<caf::actor>(sup);
    hc.registry = &registry;
    return spawn_http_server(sup->system(), hc);
  }));
  auto root = supervision::spawn_supervisor(sys, spec, registry);
  // Stops the tree on every exit path, so a failed assertion cannot leave the
  // actor system waiting for it forever.
  std::shared_ptr<void> stop_tree(
      nullptr, [root](void*) { caf::anon_send_exit(root, caf::exit_reason::user_shutdown); });
  caf::scoped_actor self{sys};
  auto bump = [&](const caf::actor& a) {
    int v = -1;
    self->request(a, 5s, bump_atom::value)
        .receive([&](int x) { v = x; }, [](caf::error& e) { ADD_FAILURE() << to_string(e); });
    return v;
  };

  auto first = await_published(counter_slot);
  ASSERT_TRUE(first);
  EXPECT_EQ(bump(first), 1);
  EXPECT_EQ(bump(first), 2);
  self->request(first, 5s, boom_atom::value)
      .receive([](int) { ADD_FAILURE() << "the crash did not happen"; }, [](caf::error&) {});

  auto second = await_published(counter_slot, first.address());
  ASSERT_TRUE(second) << "the counter was not restarted";
  EXPECT_EQ(bump(second), 1) << "the restarted counter kept its old state";

  auto http = await_published(http_slot);
  ASSERT_TRUE(http);
  uint16_t port = 0;
  self->request(http, 5s, http_port_atom_v)
      .receive([&](uint16_t p) { port = p; }, [](caf::error& e) { ADD_FAILURE() << to_string(e); });
  ASSERT_NE(port, 0);
  auto metrics = emulators::http_call(port, "GET", "/metrics");
  EXPECT_NE(metrics.body.find(
                "vpnbot_supervisor_restarts_total{supervisor=\"root\",child=\"counter\"} 1\n"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("vpnbot_supervisor_children_running{supervisor=\"root\"} 2\n"),
            std::string::npos);
  EXPECT_EQ(emulators::http_call(port, "GET", "/readyz").status, 200);
}

}  // namespace
}  // namespace vpnbot
