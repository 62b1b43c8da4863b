// The panel actor speaking Remnawave's API, with a real actor system, the
// real http_client actor and the Remnawave emulator on loopback: the same
// operations and the same resilience (retries, budget, breaker, timeouts)
// as the 3x-ui tests in panel_actor_test.cpp, with a Bearer token instead
// of a login.

#include <gtest/gtest.h>

#include <caf/all.hpp>
#include <thread>

#include "actors/http_client.hpp"
#include "actors/panel/panel_actor.hpp"
#include "adapters/emulators/remnawave/remnawave_emulator.hpp"
#include "adapters/log/logger.hpp"
#include "adapters/panel/panel_error.hpp"
#include "adapters/panel/remnawave_protocol.hpp"
#include "messages/http_client_interface.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot {
namespace {

using namespace std::chrono_literals;
using emulators::remnawave_emulator;
using emulators::remnawave_op;
using panel::panel_errc;
using panel::xui_client;

constexpr const char* our_uuid = "b831381d-6324-4d53-ad4f-8cda48b30811";
constexpr const char* squad = "3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8";

caf::actor_system_config& registered(caf::actor_system_config& cfg) {
  register_message_types(cfg);
  return cfg;
}

int64_t in_days(int days) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             (std::chrono::system_clock::now() + std::chrono::hours(24 * days)).time_since_epoch())
             .count() /
         1000 * 1000;
}

struct PanelActorRemnawave : testing::Test {
  PanelActorRemnawave() {
    log::set_sink([](const std::string&) {});
    config::http_client_settings h;
    h.threads = 1;
    http = spawn_http_client(sys, h, registry);
    limits.retry_backoff_min = 10ms;
    limits.retry_backoff_max = 50ms;
    limits.breaker_open_for = 150ms;
  }
  ~PanelActorRemnawave() override {
    for (auto& a : panels) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(http, caf::exit_reason::user_shutdown);
    log::set_sink(nullptr);
  }

  config::panel_settings settings() const {
    auto p = emulators::panel_settings_for(rw, "test");
    p.squads = squad;
    p.connect_timeout = 1s;
    p.call_timeout = 2s;
    return p;
  }

  caf::actor start(config::panel_settings p) {
    panels.push_back(caf::actor_cast<caf::actor>(
        spawn_panel_actor(sys, {std::move(p), limits, http, 42}, registry)));
    return panels.back();
  }
  caf::actor start() { return start(settings()); }

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

  static xui_client ours() {
    xui_client c;
    c.id = our_uuid;
    c.email = "tg7-1";
    c.sub_id = "abcdefgh12345678";
    c.total_bytes = 50LL << 30;
    c.limit_ip = 3;
    c.expiry_time_ms = 4102444800000;  // 2100-01-01
    c.tg_id = 7;
    return c;
  }

  double metric(const std::string& name, const metrics::labels& l) const {
    return registry.value(name, l);
  }

  remnawave_emulator rw;
  std::optional<xui_client> added;
  metrics::registry registry;
  caf::actor_system_config cfg;
  caf::actor_system sys{registered(cfg)};
  caf::scoped_actor self{sys};
  http_client_actor http;
  std::vector<caf::actor> panels;
  config::panel_defaults_settings limits;
};

TEST_F(PanelActorRemnawave, CreateUpdateDisableEnableTrafficListAndDelete) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  auto user = rw.user("tg7-1");
  ASSERT_TRUE(user);
  EXPECT_EQ((*user)["vlessUuid"], our_uuid);
  EXPECT_EQ((*user)["shortUuid"], "abcdefgh12345678");
  EXPECT_EQ((*user)["trafficLimitBytes"], 50LL << 30);
  EXPECT_EQ((*user)["trafficLimitStrategy"], "NO_RESET");
  EXPECT_EQ((*user)["hwidDeviceLimit"], 3);
  EXPECT_EQ((*user)["telegramId"], 7);
  EXPECT_EQ((*user)["status"], "ACTIVE");
  EXPECT_EQ((*user)["activeInternalSquads"][0]["uuid"], squad);
  EXPECT_EQ((*user)["expireAt"], panel::remnawave_time(ours().expiry_time_ms));
  ASSERT_TRUE(added);
  EXPECT_EQ(added->id, our_uuid);
  EXPECT_EQ(added->sub_id, "abcdefgh12345678");
  EXPECT_EQ(added->sub_url, "https://sub.example.com/abcdefgh12345678");
  EXPECT_EQ(added->expiry_time_ms, ours().expiry_time_ms);
  // One lookup, one create; every call with the token, none to a login.
  EXPECT_EQ(rw.call_count(remnawave_op::get_user), 1u);
  EXPECT_EQ(rw.call_count(remnawave_op::create_user), 1u);
  for (const auto& c : rw.calls()) EXPECT_TRUE(c.bearer) << c.path;
  EXPECT_EQ(rw.calls().size(), 2u);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "remnawave"}}), 1);
  EXPECT_EQ(metric("vpnbot_panel_info", {{"panel", "test"}, {"api", "legacy"}}), 0);

  auto extended = ours();
  extended.expiry_time_ms = 4133980800000;  // 2101-01-01
  extended.limit_ip = 5;
  extended.total_bytes = 100LL << 30;
  EXPECT_EQ(run(panel, panel_update_client{extended}), std::nullopt);
  user = rw.user("tg7-1");
  EXPECT_EQ((*user)["expireAt"], panel::remnawave_time(extended.expiry_time_ms));
  EXPECT_EQ((*user)["hwidDeviceLimit"], 5);
  EXPECT_EQ((*user)["trafficLimitBytes"], 100LL << 30);

  // Disabled after expiry: the past date is not sent (the panel refuses it).
  auto expired = extended;
  expired.expiry_time_ms = in_days(-1);
  expired.enable = false;
  EXPECT_EQ(run(panel, panel_update_client{expired}), std::nullopt);
  EXPECT_EQ((*rw.user("tg7-1"))["status"], "DISABLED");
  EXPECT_FALSE(rw.calls(remnawave_op::update_user).back().params.contains("expireAt"));
  extended.enable = true;
  EXPECT_EQ(run(panel, panel_update_client{extended}), std::nullopt);
  EXPECT_EQ((*rw.user("tg7-1"))["status"], "ACTIVE");

  rw.set_used_traffic("tg7-1", 12345);
  self->request(panel, 30s, panel_get_traffic{"tg7-1"})
      .receive(
          [](panel::xui_client_traffic& t) {
            EXPECT_EQ(t.up + t.down, 12345);
            EXPECT_EQ(t.uuid, our_uuid);
            EXPECT_EQ(t.email, "tg7-1");
          },
          [](caf::error& e) { FAIL() << to_string(e); });
  // The traffic meter reads the users as one inbound's counters.
  self->request(panel, 30s, panel_get_inbound{})
      .receive(
          [](panel::xui_inbound& in) {
            ASSERT_EQ(in.client_stats.size(), 1u);
            EXPECT_EQ(in.client_stats[0].email, "tg7-1");
            EXPECT_EQ(in.client_stats[0].down, 12345);
          },
          [](caf::error& e) { FAIL() << to_string(e); });

  rw.seed_user("someone_else");
  auto listed = list(panel);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].email, "tg7-1");
  EXPECT_EQ(listed[1].email, "someone_else");

  EXPECT_EQ(run(panel, panel_delete_client{our_uuid, "tg7-1"}), std::nullopt);
  EXPECT_FALSE(rw.user("tg7-1"));
  EXPECT_TRUE(rw.user("someone_else"));
  EXPECT_EQ(rw.call_count(remnawave_op::delete_user), 1u);
}

TEST_F(PanelActorRemnawave, ARepeatedCreateAdoptsTheUserInsteadOfMakingASecond) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  auto again = ours();
  again.expiry_time_ms = 4133980800000;
  EXPECT_EQ(run(panel, panel_add_client{again}), std::nullopt);
  EXPECT_EQ(rw.users().size(), 1u);
  EXPECT_EQ(rw.call_count(remnawave_op::create_user), 1u);
  EXPECT_EQ(rw.call_count(remnawave_op::update_user), 1u);  // brought to the wanted state
  EXPECT_EQ((*rw.user("tg7-1"))["expireAt"], panel::remnawave_time(again.expiry_time_ms));
  ASSERT_TRUE(added);
  EXPECT_EQ(added->id, our_uuid);
  EXPECT_EQ(added->sub_url, "https://sub.example.com/abcdefgh12345678");
}

TEST_F(PanelActorRemnawave, ACreateThatTimedOutButWasAppliedIsAdoptedOnRetry) {
  auto p = settings();
  p.connect_timeout = 100ms;
  p.call_timeout = 200ms;
  auto panel = start(p);
  rw.delay_next(remnawave_op::create_user, 1s);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(rw.users().size(), 1u);
  EXPECT_EQ(rw.call_count(remnawave_op::create_user), 1u);
  EXPECT_EQ(rw.call_count(remnawave_op::get_user), 2u);
  EXPECT_EQ(rw.call_count(remnawave_op::update_user), 1u);
}

TEST_F(PanelActorRemnawave, DeletingAMissingUserIsDoneUpdatingOrReadingOneIsNotFound) {
  auto panel = start();
  EXPECT_EQ(run(panel, panel_delete_client{our_uuid, "tg7-1"}), std::nullopt);
  EXPECT_EQ(rw.call_count(remnawave_op::delete_user), 0u);
  EXPECT_EQ(run(panel, panel_update_client{ours()}), panel_errc::client_not_found);
  std::optional<panel_errc> error;
  self->request(panel, 30s, panel_get_traffic{"tg7-1"})
      .receive([](panel::xui_client_traffic&) { ADD_FAILURE() << "traffic of nobody"; },
               [&](caf::error& e) { error = panel::panel_error_code(e); });
  EXPECT_EQ(error, panel_errc::client_not_found);
}

TEST_F(PanelActorRemnawave, ARefusedTokenIsAnAuthErrorWithoutRetries) {
  auto panel = start();
  rw.set_api_token("rotated");
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::login_failed);
  EXPECT_EQ(rw.calls().size(), 1u);  // not retried
  EXPECT_EQ(rw.calls()[0].status, 401);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 0);
}

TEST_F(PanelActorRemnawave, TransientFailuresAreRetriedAndIntermittentOnesCarried) {
  limits.max_attempts = 3;
  auto panel = start();
  rw.fail_next(remnawave_op::create_user, 2, 502);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(metric("vpnbot_panel_retries_total", {{"panel", "test"}, {"operation", "add_client"}}),
            2);
  EXPECT_EQ(rw.users().size(), 1u);
  rw.fail_every(remnawave_op::update_user, 3, 503);
  auto changed = ours();
  for (int i = 0; i < 4; ++i) {
    changed.limit_ip = i + 1;
    EXPECT_EQ(run(panel, panel_update_client{changed}), std::nullopt) << i;
  }
  EXPECT_EQ((*rw.user("tg7-1"))["hwidDeviceLimit"], 4);
}

TEST_F(PanelActorRemnawave, RetriesAreBoundedByTheBudget) {
  limits.max_attempts = 5;
  limits.retry_budget_min = 1;
  limits.retry_budget_percent = 0;
  limits.breaker_failures = 0;
  limits.breaker_failure_rate = 0;
  auto panel = start();
  rw.fail_next(remnawave_op::list_users, 100, 503);
  std::optional<panel_errc> error;
  list(panel, &error);
  EXPECT_EQ(error, panel_errc::unexpected_status);
  EXPECT_EQ(rw.call_count(remnawave_op::list_users), 2u);
  list(panel, &error);
  EXPECT_EQ(rw.call_count(remnawave_op::list_users), 3u);
}

TEST_F(PanelActorRemnawave, TimeoutsTheBreakerAndAnOutageApplyUnchanged) {
  limits.max_attempts = 1;
  limits.breaker_failures = 2;
  auto p = settings();
  p.connect_timeout = 100ms;
  p.call_timeout = 200ms;
  auto panel = start(p);
  EXPECT_EQ(list(panel).size(), 0u);
  rw.delay_next(remnawave_op::get_user, 1s);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::timeout);
  rw.set_down(true);
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::unreachable);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 1);
  auto before = rw.calls().size();
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::circuit_open);
  EXPECT_EQ(rw.calls().size(), before);  // the open circuit sent nothing
  rw.set_down(false);
  std::this_thread::sleep_for(200ms);  // breaker_open_for is 150 ms
  EXPECT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  EXPECT_EQ(rw.users().size(), 1u);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 0);
}

TEST_F(PanelActorRemnawave, AListOfManyPagesHasEveryUser) {
  for (int i = 0; i < panel::remnawave_page_size + 20; ++i) rw.seed_user("u" + std::to_string(i));
  auto panel = start();
  auto listed = list(panel);
  EXPECT_EQ(listed.size(), static_cast<std::size_t>(panel::remnawave_page_size + 20));
  EXPECT_EQ(rw.call_count(remnawave_op::list_users), 2u);
}

}  // namespace
}  // namespace vpnbot
