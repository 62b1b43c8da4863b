// The panel actor with a real actor system, the real http_client actor and
// a panel's emulator on loopback. PanelActor runs on each kind of panel
// (3x-ui's legacy API, 3x-ui 3.1's clients API, Remnawave): the same
// operations and the same resilience (retries, budget, breaker, timeouts,
// queue, outage). What only 3x-ui has (its login, two-factor codes, CSRF,
// cookies, API probing, refusals inside a 200, TLS) runs on 3x-ui alone
// (PanelActorXui and the version fixtures); Remnawave's own (its token, its
// pages) in panel_actor_remnawave_test.cpp. Timeouts and cooldowns are a few
// hundred milliseconds at most; nothing asserts on speed.

#include "actors/panel/panel_actor.hpp"

#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <thread>

#include "actors/http_client.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/panel/panel_error.hpp"
#include "adapters/panel/remnawave_protocol.hpp"
#include "messages/http_client_interface.hpp"
#include "messages/type_ids.hpp"
#include "support/panel_under_test.hpp"

namespace vpnbot {
namespace {

using namespace std::chrono_literals;
using emulators::remnawave_op;
using emulators::xui_emulator;
using emulators::xui_emulator_options;
using emulators::xui_op;
using panel::panel_errc;
using panel::xui_client;
using testing_support::panel_call;
using testing_support::panel_kind;
using testing_support::panel_under_test;

constexpr const char* our_client_uuid = "b831381d-6324-4d53-ad4f-8cda48b30811";
constexpr const char* other_uuid = "c831381d-6324-4d53-ad4f-8cda48b30812";
constexpr const char* squad_uuid = "3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8";

caf::actor_system_config& with_message_types(caf::actor_system_config& cfg) {
  register_message_types(cfg);
  return cfg;
}

xui_emulator_options emulator_version(const std::string& version) {
  xui_emulator_options o;
  o.version = version;
  return o;
}

int64_t in_days(int days) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             (std::chrono::system_clock::now() + std::chrono::hours(24 * days)).time_since_epoch())
             .count() /
         1000 * 1000;
}

// The actor system, the http_client actor and the panel actors a test
// starts, with the requests it makes of them.
struct panel_actor_fixture : testing::Test {
  panel_actor_fixture() {
    log::set_sink([](const std::string&) {});
    config::http_client_settings h;
    h.threads = 1;
    http = spawn_http_client(sys, h, registry);
    limits.retry_backoff_min = 10ms;
    limits.retry_backoff_max = 50ms;
    limits.breaker_open_for = 150ms;
  }
  ~panel_actor_fixture() override {
    for (auto& a : panels) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(http, caf::exit_reason::user_shutdown);
    log::set_sink(nullptr);
  }

  virtual config::panel_settings settings() const = 0;

  caf::actor start(config::panel_settings p) {
    panels.push_back(caf::actor_cast<caf::actor>(
        spawn_panel_actor(sys, {std::move(p), limits, http, 42}, registry)));
    return panels.back();
  }
  caf::actor start() { return start(settings()); }
  // A panel actor whose calls give up fast (100 ms to connect, 200 ms a call).
  caf::actor start_with_short_timeouts() {
    auto p = settings();
    p.connect_timeout = std::chrono::milliseconds(100);
    p.call_timeout = std::chrono::milliseconds(200);
    return start(p);
  }

  // nullopt when the reply was the success value (ok_atom; the client for
  // an add, kept in `added`), else the panel error code.
  template <class Message>
  std::optional<panel_errc> run(const caf::actor& panel, Message m) {
    std::optional<panel_errc> out = panel_errc::unexpected_status;
    auto on_error = [&](caf::error& e) {
      EXPECT_TRUE(panel::panel_error_code(e)) << to_string(e);
      out = panel::panel_error_code(e).value_or(panel_errc::unexpected_status);
    };
    if constexpr (std::is_same_v<Message, panel_add_client>)
      self->request(panel, 30s, std::move(m))
          .receive(
              [&](xui_client& c) {
                added = std::move(c);
                out = std::nullopt;
              },
              on_error);
    else
      self->request(panel, 30s, std::move(m))
          .receive([&](caf::ok_atom) { out = std::nullopt; }, on_error);
    return out;
  }

  std::vector<xui_client> list(const caf::actor& panel,
                               std::optional<panel_errc>* error = nullptr) {
    std::vector<xui_client> out;
    self->request(panel, 30s, panel_list_clients{})
        .receive([&](std::vector<xui_client>& c) { out = std::move(c); },
                 [&](caf::error& e) {
                   if (error)
                     *error = panel::panel_error_code(e);
                   else
                     ADD_FAILURE() << to_string(e);
                 });
    return out;
  }

  // The client's traffic, or the panel error code.
  std::variant<panel::xui_client_traffic, std::optional<panel_errc>> traffic(
      const caf::actor& panel, const std::string& email) {
    std::variant<panel::xui_client_traffic, std::optional<panel_errc>> out;
    self->request(panel, 30s, panel_get_traffic{email})
        .receive([&](panel::xui_client_traffic& t) { out = t; },
                 [&](caf::error& e) { out = panel::panel_error_code(e); });
    return out;
  }

  static xui_client ours(const std::string& id = our_client_uuid) {
    xui_client c;
    c.id = id;
    c.email = "tg7-1";
    c.flow = "xtls-rprx-vision";
    c.sub_id = "abcdefgh12345678";
    c.total_bytes = 50LL << 30;
    c.limit_ip = 3;
    c.expiry_time_ms = 4102444800000;  // 2100-01-01: Remnawave refuses a past expiry
    c.tg_id = 7;
    return c;
  }

  double metric(const std::string& name, const metrics::labels& l) const {
    return registry.value(name, l);
  }

  std::optional<xui_client> added;  // the last add's answer
  metrics::registry registry;
  caf::actor_system_config cfg;
  caf::actor_system sys{with_message_types(cfg)};
  caf::scoped_actor self{sys};
  http_client_actor http;
  std::vector<caf::actor> panels;
  config::panel_defaults_settings limits;
};

struct PanelActor : panel_actor_fixture, ::testing::WithParamInterface<panel_kind> {
  config::panel_settings settings() const override {
    auto p = emulator.panel_settings("test");
    if (emulator.kind() == panel_kind::remnawave) p.squads = squad_uuid;
    p.connect_timeout = 1s;
    p.call_timeout = 2s;
    return p;
  }

  // The panel's clients before ours: 3x-ui's inbound holds one of its own.
  std::size_t foreign() const { return emulator.kind() == panel_kind::remnawave ? 0 : 1; }
  bool looks_up() const { return emulator.kind() != panel_kind::xui_legacy; }
  // The first call a create makes: the lookup where there is one.
  panel_call first_of_create() const {
    return looks_up() ? panel_call::lookup : panel_call::create;
  }

  panel_under_test emulator{GetParam()};
};

TEST_P(PanelActor, AddExtendDisableEnableTrafficListAndDeleteAClient) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  auto stored = emulator.client("tg7-1");
  ASSERT_TRUE(stored);
  ASSERT_TRUE(added);
  // The answer is the client the panel holds; 3.1 made its own secrets.
  if (emulator.makes_its_own_uuid()) {
    EXPECT_NE(stored->id, our_client_uuid);
  } else {
    EXPECT_EQ(stored->id, our_client_uuid);
    EXPECT_EQ(stored->sub_id, ours().sub_id);
  }
  EXPECT_EQ(added->id, stored->id);
  EXPECT_EQ(added->sub_id, stored->sub_id);
  EXPECT_EQ(added->expiry_time_ms, ours().expiry_time_ms);
  // The plan's limits and the Telegram user reached it.
  EXPECT_EQ(stored->total_bytes, 50LL << 30);
  EXPECT_EQ(stored->limit_ip, 3);
  EXPECT_EQ(stored->tg_id, 7);
  EXPECT_EQ(stored->expiry_time_ms, ours().expiry_time_ms);
  EXPECT_TRUE(stored->enable);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", emulator.api()}}), 1);
  if (looks_up()) {
    EXPECT_EQ(emulator.call_count(panel_call::lookup), 1u);  // looked up first
  }
  EXPECT_EQ(emulator.call_count(panel_call::create), 1u);
  if (emulator.kind() == panel_kind::xui_31) {
    EXPECT_EQ(emulator.xui()->calls(xui_op::add_client)[0].params["inboundIds"],
              nlohmann::json::array({1}));
  }
  if (auto* rw = emulator.remnawave()) {
    auto user = rw->user("tg7-1");
    EXPECT_EQ((*user)["trafficLimitStrategy"], "NO_RESET");
    EXPECT_EQ((*user)["activeInternalSquads"][0]["uuid"], squad_uuid);
    EXPECT_EQ(added->sub_url, "https://sub.example.com/abcdefgh12345678");
    // Every call with the token, none to a login.
    for (const auto& c : rw->calls()) EXPECT_TRUE(c.bearer) << c.path;
    EXPECT_EQ(rw->calls().size(), 2u);
    EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "legacy"}}), 0);
  }

  auto extended = *added;
  extended.expiry_time_ms = 4133980800000;  // 2101-01-01
  extended.limit_ip = 5;
  extended.total_bytes = 100LL << 30;
  EXPECT_EQ(run(panel, panel_update_client{extended}), std::nullopt);
  EXPECT_EQ(emulator.client("tg7-1")->expiry_time_ms, extended.expiry_time_ms);
  EXPECT_EQ(emulator.client("tg7-1")->limit_ip, 5);
  EXPECT_EQ(emulator.client("tg7-1")->total_bytes, 100LL << 30);
  EXPECT_EQ(emulator.client("tg7-1")->id, added->id);

  // Disabled after its expiry.
  auto expired = extended;
  expired.expiry_time_ms = in_days(-1);
  expired.enable = false;
  EXPECT_EQ(run(panel, panel_update_client{expired}), std::nullopt);
  EXPECT_FALSE(emulator.client("tg7-1")->enable);
  if (auto* rw = emulator.remnawave()) {
    // The past date is not sent: Remnawave refuses it.
    EXPECT_FALSE(rw->calls(remnawave_op::update_user).back().params.contains("expireAt"));
  }
  EXPECT_EQ(run(panel, panel_update_client{extended}), std::nullopt);
  EXPECT_TRUE(emulator.client("tg7-1")->enable);

  emulator.set_traffic("tg7-1", 100, 200);
  auto read = traffic(panel, "tg7-1");
  ASSERT_TRUE(std::holds_alternative<panel::xui_client_traffic>(read));
  auto t = std::get<panel::xui_client_traffic>(read);
  EXPECT_EQ(t.up + t.down, 300);
  if (emulator.xui()) {
    EXPECT_EQ(t.up, 100);
    EXPECT_EQ(t.down, 200);
  }
  EXPECT_EQ(t.email, "tg7-1");
  if (!emulator.makes_its_own_uuid()) {
    EXPECT_EQ(t.uuid, our_client_uuid);
  }
  // The traffic meter reads the inbound's counters (Remnawave: its users as one inbound's).
  self->request(panel, 30s, panel_get_inbound{})
      .receive(
          [&](panel::xui_inbound& in) {
            if (emulator.xui()) {
              EXPECT_EQ(in.protocol, "vless");
            }
            EXPECT_EQ(in.client_stats.size(), 1 + foreign());
            int found = 0;
            for (const auto& s : in.client_stats)
              if (s.email == "tg7-1") {
                ++found;
                EXPECT_EQ(s.up + s.down, 300);
                // Remnawave counts one sum, read as `down`.
                if (emulator.kind() == panel_kind::remnawave) {
                  EXPECT_EQ(s.down, 300);
                }
              }
            EXPECT_EQ(found, 1);
          },
          [](caf::error& e) { FAIL() << to_string(e); });

  emulator.seed_foreign("someone_else");
  auto listed = list(panel);
  auto held = emulator.clients();
  ASSERT_EQ(listed.size(), held.size());
  ASSERT_EQ(listed.size(), 2 + foreign());
  for (std::size_t i = 0; i < listed.size(); ++i) EXPECT_EQ(listed[i].email, held[i].email);

  EXPECT_EQ(run(panel, panel_delete_client{added->id, "tg7-1"}), std::nullopt);
  EXPECT_FALSE(emulator.client("tg7-1"));
  EXPECT_TRUE(emulator.client("someone_else"));
  EXPECT_EQ(emulator.call_count(panel_call::remove), 1u);
  EXPECT_EQ(run(panel, panel_delete_client{added->id, "tg7-1"}), std::nullopt);  // done already
  EXPECT_EQ(run(panel, panel_update_client{extended}), panel_errc::client_not_found);
  read = traffic(panel, "tg7-1");
  ASSERT_TRUE(std::holds_alternative<std::optional<panel_errc>>(read));
  EXPECT_EQ(std::get<std::optional<panel_errc>>(read), panel_errc::client_not_found);
  EXPECT_EQ(metric("vpnbot_panel_calls_total",
                   {{"panel", "test"}, {"operation", "add_client"}, {"outcome", "ok"}}),
            1);
  if (emulator.kind() == panel_kind::xui_legacy) {
    EXPECT_EQ(emulator.xui()->call_count(xui_op::login), 1u);
  }
  if (emulator.kind() == panel_kind::xui_31) {
    // Not one legacy client endpoint was called.
    for (const auto& c : emulator.xui()->calls())
      EXPECT_EQ(
          c.path.find("/panel/api/inbounds/") != std::string::npos && c.op != xui_op::get_inbound,
          false)
          << c.path;
  }
}

// A create repeated (an earlier attempt got through) adopts the client we
// made instead of making a second: legacy 3x-ui answers the add as a
// duplicate and the client is read back; 3.1 and Remnawave find it by the
// lookup (Remnawave brings it to the wanted state).
TEST_P(PanelActor, ARepeatedCreateAdoptsTheClientInsteadOfMakingASecond) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  auto first = *added;
  auto again = ours();
  again.expiry_time_ms = 4133980800000;
  EXPECT_EQ(run(panel, panel_add_client{again}), std::nullopt);
  EXPECT_EQ(added->id, first.id);
  EXPECT_EQ(added->sub_id, first.sub_id);
  EXPECT_EQ(emulator.clients().size(), 1 + foreign());  // ours once
  EXPECT_EQ(emulator.client("tg7-1")->id, first.id);
  EXPECT_EQ(emulator.call_count(panel_call::create), looks_up() ? 1u : 2u);
  if (emulator.kind() == panel_kind::remnawave) {
    EXPECT_EQ(emulator.call_count(panel_call::update), 1u);
    EXPECT_EQ(emulator.client("tg7-1")->expiry_time_ms, again.expiry_time_ms);
    EXPECT_EQ(added->sub_url, "https://sub.example.com/abcdefgh12345678");
  }
}

TEST_P(PanelActor, DeletingAMissingClientIsDoneUpdatingOrReadingOneIsNotFound) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_delete_client{other_uuid, "tg9-9"}), std::nullopt);
  // Remnawave found nobody by the lookup: nothing to delete.
  if (emulator.kind() == panel_kind::remnawave) {
    EXPECT_EQ(emulator.call_count(panel_call::remove), 0u);
  }
  EXPECT_EQ(run(panel, panel_update_client{ours(other_uuid)}), panel_errc::client_not_found);
  auto read = traffic(panel, "tg7-1");
  ASSERT_TRUE(std::holds_alternative<std::optional<panel_errc>>(read));
  EXPECT_EQ(std::get<std::optional<panel_errc>>(read), panel_errc::client_not_found);
}

// Remnawave makes a user's share links itself (its connection keys); 3x-ui's
// are built here from the inbound, so asking a 3x-ui panel for them is a
// refusal that reaches no endpoint and leaves the breaker alone.
TEST_P(PanelActor, OnlyRemnawaveAnswersTheLinksOfAClient) {
  auto panel = start();
  ASSERT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  auto calls_before = emulator.call_count();
  std::optional<panel_errc> refused;
  std::vector<std::string> keys;
  self->request(panel, 30s, panel_get_links{"tg7-1"})
      .receive([&](std::vector<std::string>& k) { keys = std::move(k); },
               [&](caf::error& e) { refused = panel::panel_error_code(e); });
  if (emulator.kind() == panel_kind::remnawave) {
    EXPECT_EQ(refused, std::nullopt);
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_TRUE(keys[0].starts_with(std::string("vless://") + our_client_uuid)) << keys[0];
    return;
  }
  EXPECT_EQ(refused, panel_errc::invalid_argument);
  EXPECT_EQ(emulator.call_count(), calls_before);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 0);
}

TEST_P(PanelActor, TransientFailuresAreRetriedAndIntermittentOnesCarried) {
  limits.max_attempts = 3;
  auto panel = start();
  emulator.fail_next(panel_call::create, 2, 502);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(emulator.call_count(panel_call::create), 3u);
  EXPECT_EQ(metric("vpnbot_panel_retries_total", {{"panel", "test"}, {"operation", "add_client"}}),
            2);
  EXPECT_EQ(emulator.clients().size(), 1 + foreign());
  // Every 3rd call fails: retries carry them.
  emulator.fail_every(panel_call::update, 3, 503);
  auto changed = *added;
  for (int i = 0; i < 4; ++i) {
    changed.limit_ip = i + 1;
    EXPECT_EQ(run(panel, panel_update_client{changed}), std::nullopt) << i;
  }
  EXPECT_EQ(emulator.client("tg7-1")->limit_ip, 4);
}

// The add's answer is lost (it comes after the call's timeout) but the
// client was made: the retry finds it, by the lookup where there is one,
// else from the add answered as a duplicate and the client read back.
TEST_P(PanelActor, AnAddThatTimedOutButWasAppliedIsAdoptedOnRetry) {
  auto panel = start_with_short_timeouts();
  EXPECT_EQ(list(panel).size(), foreign());  // logged in
  emulator.delay_next(panel_call::create, 1s);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(emulator.clients().size(), 1 + foreign());
  EXPECT_EQ(added->id, emulator.client("tg7-1")->id);
  if (looks_up()) {
    EXPECT_EQ(emulator.call_count(panel_call::create), 1u);
    EXPECT_EQ(emulator.call_count(panel_call::lookup), 2u);
  } else {
    EXPECT_EQ(emulator.call_count(panel_call::create), 2u);
    EXPECT_FALSE(emulator.xui()->calls(xui_op::add_client)[1].success);  // the duplicate
  }
  if (emulator.kind() == panel_kind::remnawave) {
    EXPECT_EQ(emulator.call_count(panel_call::update), 1u);  // brought to the wanted state
  }
}

TEST_P(PanelActor, TimeoutsAreHonoured) {
  limits.max_attempts = 1;
  auto panel = start_with_short_timeouts();
  EXPECT_EQ(list(panel).size(), foreign());
  emulator.delay_next(panel_call::list, 1s);
  std::optional<panel_errc> error;
  list(panel, &error);
  EXPECT_EQ(error, panel_errc::timeout);
}

TEST_P(PanelActor, RetriesAreBoundedByTheBudget) {
  limits.max_attempts = 5;
  limits.retry_budget_min = 1;
  limits.retry_budget_percent = 0;
  limits.breaker_failures = 0;
  limits.breaker_failure_rate = 0;
  auto panel = start();
  emulator.fail_next(panel_call::list, 100, 503);
  std::optional<panel_errc> error;
  list(panel, &error);
  EXPECT_EQ(error, panel_errc::unexpected_status);
  EXPECT_EQ(emulator.call_count(panel_call::list), 2u);  // one retry, the whole budget
  list(panel, &error);
  EXPECT_EQ(emulator.call_count(panel_call::list), 3u);  // no retry left
}

TEST_P(PanelActor, TheBreakerOpensRejectsFastAndAProbeClosesIt) {
  limits.max_attempts = 1;
  limits.breaker_failures = 2;
  auto panel = start();
  EXPECT_EQ(list(panel).size(), foreign());
  emulator.fail_next(panel_call::list, 2, 500);
  std::optional<panel_errc> error;
  list(panel, &error);
  EXPECT_EQ(error, panel_errc::server_panic);
  list(panel, &error);
  EXPECT_EQ(error, panel_errc::server_panic);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 1);

  list(panel, &error);
  EXPECT_EQ(error, panel_errc::circuit_open);
  EXPECT_EQ(emulator.call_count(panel_call::list), 3u);  // the open circuit sent nothing

  std::this_thread::sleep_for(200ms);  // breaker_open_for is 150 ms
  error.reset();
  EXPECT_EQ(list(panel, &error).size(), foreign());
  EXPECT_EQ(error, std::nullopt);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 0);
  EXPECT_EQ(metric("vpnbot_panel_breaker_transitions_total", {{"panel", "test"}, {"to", "open"}}),
            1);
}

// The breaker judges whole operations: a create whose lookup succeeds and
// whose add fails is one failure, so creates that keep failing open the
// circuit on every kind, and only a whole create that succeeds closes it.
TEST_P(PanelActor, CreatesThatKeepFailingOpenTheBreakerThoughTheirLookupsSucceed) {
  limits.max_attempts = 1;
  limits.breaker_failures = 2;
  auto panel = start();
  emulator.fail_next(panel_call::create, 100, 502);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::unexpected_status);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::unexpected_status);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 1);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::circuit_open);
  EXPECT_EQ(emulator.call_count(panel_call::create), 2u);
  // The probe after the cooldown fails at its add: open again.
  std::this_thread::sleep_for(200ms);  // breaker_open_for is 150 ms
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::unexpected_status);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 1);
  emulator.recover(panel_call::create);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 0);
  EXPECT_TRUE(emulator.client("tg7-1"));
}

TEST_P(PanelActor, TimeoutsTheBreakerAndAnOutageApplyToACreate) {
  limits.max_attempts = 1;
  limits.breaker_failures = 2;
  auto panel = start_with_short_timeouts();
  EXPECT_EQ(list(panel).size(), foreign());
  emulator.delay_next(first_of_create(), 1s);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::timeout);
  emulator.set_down(true);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::unreachable);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 1);
  auto before = emulator.call_count();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::circuit_open);
  EXPECT_EQ(emulator.call_count(), before);  // the open circuit sent nothing
  emulator.set_down(false);
  std::this_thread::sleep_for(200ms);  // breaker_open_for is 150 ms
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(emulator.clients().size(), 1 + foreign());
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 0);
}

TEST_P(PanelActor, OperationsBeyondTheQueueAreRefused) {
  limits.max_in_flight = 1;
  limits.max_queue = 1;
  auto panel = start();
  EXPECT_EQ(list(panel).size(), foreign());
  emulator.delay_next(panel_call::list, 300ms, 2);
  auto first = self->request(panel, 30s, panel_list_clients{});
  auto second = self->request(panel, 30s, panel_list_clients{});
  EXPECT_EQ(run(panel, panel_delete_client{our_client_uuid, "tg7-1"}), panel_errc::overloaded);
  int answered = 0;
  for (auto* r : {&first, &second})
    r->receive([&](std::vector<xui_client>&) { ++answered; },
               [](caf::error& e) { ADD_FAILURE() << to_string(e); });
  EXPECT_EQ(answered, 2);
}

TEST_P(PanelActor, APanelThatIsDownIsUnreachableUntilItIsBack) {
  limits.max_attempts = 1;
  auto panel = start();
  emulator.set_down(true);
  std::optional<panel_errc> error;
  list(panel, &error);
  EXPECT_EQ(error, panel_errc::unreachable);
  EXPECT_EQ(emulator.call_count(), 0u);  // nothing reached the panel
  emulator.set_down(false);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_TRUE(emulator.client("tg7-1"));
}

TEST_P(PanelActor, AnIntermittentPanelIsServedThroughRetries) {
  auto panel = start();
  emulator.fail_every(panel_call::create, 3, 502);
  for (int i = 0; i < 6; ++i) {
    auto c = ours("b831381d-6324-4d53-ad4f-8cda48b3090" + std::to_string(i));
    c.email = "tg7-" + std::to_string(10 + i);
    c.sub_id = "intermittent0000" + std::to_string(i);
    EXPECT_EQ(run(panel, panel_add_client{c}), std::nullopt) << i;
  }
  EXPECT_EQ(emulator.clients().size(), 6 + foreign());
  EXPECT_EQ(emulator.call_count(panel_call::create), 8u);  // the 3rd and the 6th failed
  EXPECT_EQ(metric("vpnbot_panel_retries_total", {{"panel", "test"}, {"operation", "add_client"}}),
            2);
}

INSTANTIATE_TEST_SUITE_P(Panels, PanelActor, ::testing::ValuesIn(testing_support::all_panel_kinds),
                         testing_support::panel_kind_name);

// -- 3x-ui only: its login, sessions, refusals and versions -------------------

struct PanelActorXui : panel_actor_fixture {
  explicit PanelActorXui(xui_emulator_options o = {}) : xui(o) {}

  config::panel_settings settings() const override {
    config::panel_settings p;
    p.name = "test";
    p.base_url = xui.base_url();
    p.username = "admin";
    p.password = "admin-password";
    p.inbound_id = 1;
    p.version = xui.options().version;
    p.connect_timeout = 1s;
    p.call_timeout = 2s;
    return p;
  }

  xui_emulator xui;
};

// The legacy API keys a client by its UUID: our email under another UUID
// is someone else's client, not one to adopt.
TEST_F(PanelActorXui, AddingOurClientAgainIsSuccessAndSomeoneElsesIsNot) {
  auto panel = start();
  xui.seed_client(1, ours());
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(xui.clients(1).size(), 2u);
  EXPECT_EQ(run(panel, panel_add_client{ours(other_uuid)}), panel_errc::duplicate_email);
  EXPECT_EQ(xui.client("tg7-1")->id, our_client_uuid);
}

TEST_F(PanelActorXui, AnExpiredSessionLogsInOnceAndTheCallSucceeds) {
  auto panel = start();
  EXPECT_EQ(list(panel).size(), 1u);
  xui.expire_sessions();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(xui.call_count(xui_op::login), 2u);
  EXPECT_EQ(metric("vpnbot_panel_relogins_total", {{"panel", "test"}}), 1);
  auto adds = xui.calls(xui_op::add_client);
  ASSERT_EQ(adds.size(), 2u);
  EXPECT_EQ(adds[0].status, 404);  // v2.8.5's answer without a session
  EXPECT_TRUE(adds[1].success);
}

TEST_F(PanelActorXui, AWrongPasswordIsAClearErrorWithoutRetries) {
  xui.set_password("changed");
  auto panel = start();
  EXPECT_EQ(run(panel, panel_delete_client{our_client_uuid, "tg7-1"}), panel_errc::login_failed);
  EXPECT_EQ(xui.call_count(xui_op::login), 1u);
  EXPECT_EQ(xui.call_count(xui_op::delete_client), 0u);
}

TEST_F(PanelActorXui, ASelfSignedPanelIsRefusedUnlessVerificationIsTurnedOff) {
  xui_emulator tls_panel([] {
    xui_emulator_options o;
    o.tls = true;
    return o;
  }());
  auto p = settings();
  p.base_url = tls_panel.base_url();
  ASSERT_EQ(p.base_url.rfind("https://", 0), 0u);
  auto strict = start(p);
  EXPECT_EQ(run(strict, panel_delete_client{our_client_uuid, "tg7-1"}), panel_errc::unreachable);
  EXPECT_EQ(tls_panel.call_count(xui_op::login), 0u);
  p.name = "self-signed";
  p.verify_tls = false;
  auto lax = start(p);
  EXPECT_EQ(run(lax, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(tls_panel.call_count(xui_op::login), 1u);
  EXPECT_TRUE(tls_panel.client("tg7-1"));
}

TEST_F(PanelActorXui, ARefusalIsAnErrorWithThePanelsWordsAndIsNotRetried) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  xui.refuse_next(xui_op::update_client, "Something went wrong: database is locked");
  auto changed = ours();
  changed.enable = false;
  std::optional<panel_errc> code = panel_errc::unexpected_status;
  self->request(panel, 30s, panel_update_client{changed})
      .receive([&](caf::ok_atom) { code = std::nullopt; },
               [&](caf::error& e) {
                 code = panel::panel_error_code(e);
                 EXPECT_NE(to_string(e).find("database is locked"), std::string::npos)
                     << to_string(e);
               });
  EXPECT_EQ(code, panel_errc::rejected);
  EXPECT_EQ(xui.call_count(xui_op::update_client), 1u);
  EXPECT_TRUE(xui.client("tg7-1")->enable);  // nothing changed
}

xui_emulator_options with_two_factor() {
  xui_emulator_options o;
  o.two_factor_secret = "JBSWY3DPEHPK3PXP";
  return o;
}

struct PanelActorTwoFactor : PanelActorXui {
  PanelActorTwoFactor() : PanelActorXui(with_two_factor()) {}
};

TEST_F(PanelActorTwoFactor, LogsInWithTheCurrentCodeAndAgainAfterExpiry) {
  auto p = settings();
  p.totp_secret = "jbsw y3dp ehpk 3pxp";  // as a user may paste it
  auto panel = start(p);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  xui.expire_sessions();
  EXPECT_EQ(run(panel, panel_delete_client{our_client_uuid, "tg7-1"}), std::nullopt);
  // A login whose code turned stale at a step's end is made again (below),
  // so only the successful ones are counted.
  auto logins = xui.calls(xui_op::login);
  auto succeeded =
      std::count_if(logins.begin(), logins.end(), [](const auto& l) { return l.success; });
  EXPECT_EQ(succeeded, 2);
  EXPECT_LE(logins.size(), 3u);
  for (const auto& l : logins) EXPECT_EQ(l.params.value("twoFactorCode", "").size(), 6u);
}

// A code made in the step before the panel's (the step ended on its way)
// is refused; the login is made again at once with the new step's code.
TEST_F(PanelActorTwoFactor, ACodeThatTurnedStaleOnItsWayIsMadeAgainOnce) {
  auto p = settings();
  p.totp_secret = "JBSWY3DPEHPK3PXP";
  auto calls = std::make_shared<int>(0);
  panel_actor_config c{p, limits, http, 42};
  c.wall_clock = [calls] {
    auto now = std::chrono::system_clock::now();
    return (*calls)++ == 0 ? now - 30s : now;
  };
  panels.push_back(caf::actor_cast<caf::actor>(spawn_panel_actor(sys, std::move(c), registry)));
  EXPECT_EQ(run(panels.back(), panel_add_client{ours()}), std::nullopt);
  auto logins = xui.calls(xui_op::login);
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_FALSE(logins[0].success);
  EXPECT_TRUE(logins[1].success);
  EXPECT_NE(logins[0].params.value("twoFactorCode", ""),
            logins[1].params.value("twoFactorCode", ""));
}

TEST_F(PanelActorTwoFactor, WithoutTheSecretTheLoginFailsClearly) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_delete_client{our_client_uuid, "tg7-1"}), panel_errc::login_failed);
  EXPECT_EQ(xui.call_count(xui_op::delete_client), 0u);
  EXPECT_FALSE(xui.calls(xui_op::login)[0].params.contains("twoFactorCode"));
}

struct PanelActorV2_3 : PanelActorXui {
  PanelActorV2_3() : PanelActorXui(emulator_version("2.3.5")) {}
};

TEST_F(PanelActorV2_3, UsesTheOldCookieAndLogsInAgainAfterA401) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  xui.expire_sessions();
  EXPECT_EQ(run(panel, panel_delete_client{our_client_uuid, "tg7-1"}), std::nullopt);
  auto deletes = xui.calls(xui_op::delete_client);
  ASSERT_EQ(deletes.size(), 2u);
  EXPECT_EQ(deletes[0].status, 401);
  EXPECT_TRUE(deletes[1].cookie.starts_with("session="));
  EXPECT_EQ(xui.call_count(xui_op::login), 2u);
  EXPECT_EQ(xui.call_count(xui_op::csrf_token), 0u);
}

struct PanelActorV3 : PanelActorXui {
  PanelActorV3() : PanelActorXui(emulator_version("3.0.2")) {}
};

TEST_F(PanelActorV3, LogsInWithACsrfTokenAndSurvivesExpiry) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  xui.expire_sessions();
  EXPECT_EQ(run(panel, panel_delete_client{our_client_uuid, "tg7-1"}), std::nullopt);
  EXPECT_EQ(xui.call_count(xui_op::csrf_token), 2u);
  EXPECT_EQ(xui.call_count(xui_op::login), 2u);
  EXPECT_FALSE(xui.client("tg7-1"));
  for (const auto& c : xui.calls(xui_op::delete_client)) EXPECT_FALSE(c.csrf_token.empty());
}

TEST_F(PanelActorV3, AnApiTokenNeedsNoLogin) {
  auto p = settings();
  p.api_token = "tok-123";
  p.password.clear();
  xui_emulator tokened([] {
    auto o = emulator_version("3.0.2");
    o.api_token = "tok-123";
    return o;
  }());
  p.base_url = tokened.base_url();
  auto panel = start(p);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(tokened.call_count(xui_op::login), 0u);
  EXPECT_TRUE(tokened.calls(xui_op::add_client)[0].bearer);
}

// -- 3x-ui 3.1: the /panel/api/clients API -----------------------------------

struct PanelActorV3_1 : PanelActorXui {
  PanelActorV3_1() : PanelActorXui(emulator_version("3.1.0")) {}
};

TEST_F(PanelActorV3_1, ARaceOnTheEmailReadsTheClientBackAndAdoptsIt) {
  auto panel = start();
  EXPECT_EQ(list(panel).size(), 1u);
  // The lookup misses; by the add, an earlier attempt's add has landed.
  xui.refuse_next(xui_op::get_client, "Failed to get client (record not found)");
  xui.seed_client(1, ours(other_uuid));
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(added->id, other_uuid);
  EXPECT_FALSE(xui.calls(xui_op::add_client)[0].success);
  EXPECT_EQ(xui.call_count(xui_op::get_client), 2u);  // the lookup and the read-back
  EXPECT_EQ(xui.clients(1).size(), 2u);
}

TEST_F(PanelActorV3_1, AnExpiredSessionLogsInOnceAndTheCallSucceeds) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  xui.expire_sessions();
  auto changed = *added;
  changed.enable = false;
  EXPECT_EQ(run(panel, panel_update_client{changed}), std::nullopt);
  EXPECT_EQ(xui.call_count(xui_op::login), 2u);
  EXPECT_EQ(xui.calls(xui_op::update_client)[0].status, 401);  // 3.1's answer without a session
  EXPECT_FALSE(xui.client("tg7-1")->enable);
}

TEST_F(PanelActorV3_1, AutoProbesAfterLoginAndChoosesThe31Api) {
  auto p = settings();
  p.version = "auto";
  auto panel = start(p);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_TRUE(xui.client("tg7-1"));
  // The probe: one legacy call answered 404 right after the login.
  auto probes = xui.calls(xui_op::client_traffics);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_NE(probes[0].path.find("/panel/api/inbounds/getClientTraffics/"), std::string::npos);
  EXPECT_EQ(probes[0].status, 404);
  EXPECT_EQ(xui.call_count(xui_op::login), 1u);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "3.1"}}), 1);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "legacy"}}), 0);
  // Probed once, not per call.
  EXPECT_EQ(run(panel, panel_delete_client{added->id, "tg7-1"}), std::nullopt);
  EXPECT_EQ(xui.call_count(xui_op::client_traffics), 1u);
}

TEST_F(PanelActorXui, AutoProbesAfterLoginAndChoosesTheLegacyApi) {
  auto p = settings();
  p.version.clear();
  auto panel = start(p);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(xui.client("tg7-1")->id, our_client_uuid);
  EXPECT_EQ(xui.call_count(xui_op::client_traffics), 1u);
  EXPECT_EQ(xui.calls(xui_op::client_traffics)[0].status, 200);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "legacy"}}), 1);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "3.1"}}), 0);
}

TEST_F(PanelActorXui, AFailedProbeFailsTheLoginAndIsRepeated) {
  limits.max_attempts = 2;
  auto p = settings();
  p.version = "auto";
  auto panel = start(p);
  xui.fail_next(xui_op::client_traffics, 1, 502);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(xui.call_count(xui_op::client_traffics), 2u);
  EXPECT_EQ(xui.call_count(xui_op::add_client), 1u);
}

TEST_F(PanelActorV3, APanelUpgradedTo31UnderUsWorksAgainAfterOneFailedCall) {
  auto p = settings();
  p.version = "auto";
  auto panel = start(p);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "legacy"}}), 1);
  xui.upgrade("3.1.0");
  auto changed = ours();
  changed.enable = false;
  EXPECT_EQ(run(panel, panel_update_client{changed}), panel_errc::endpoint_missing);
  EXPECT_EQ(run(panel, panel_update_client{changed}), std::nullopt);
  EXPECT_FALSE(xui.client("tg7-1")->enable);
  EXPECT_EQ(xui.client("tg7-1")->id, our_client_uuid);  // the same client
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "3.1"}}), 1);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "legacy"}}), 0);
  EXPECT_EQ(xui.call_count(xui_op::client_traffics), 2u);  // probed twice
  EXPECT_EQ(run(panel, panel_delete_client{our_client_uuid, "tg7-1"}), std::nullopt);
  EXPECT_FALSE(xui.client("tg7-1"));
}

struct PanelActorV3_1Token : PanelActorXui {
  PanelActorV3_1Token()
      : PanelActorXui([] {
          auto o = emulator_version("3.1.0");
          o.api_token = "tok-31";
          return o;
        }()) {}
};

TEST_F(PanelActorV3_1Token, WithAnApiTokenTheProbeRunsBeforeTheFirstCall) {
  auto p = settings();
  p.version = "auto";
  p.api_token = "tok-31";
  p.password.clear();
  auto panel = start(p);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(xui.call_count(xui_op::login), 0u);
  EXPECT_EQ(xui.call_count(xui_op::client_traffics), 1u);
  EXPECT_TRUE(xui.calls(xui_op::add_client)[0].bearer);
  EXPECT_TRUE(xui.client("tg7-1"));
}

}  // namespace
}  // namespace vpnbot
