// The panel actor speaking Remnawave's API, with a real actor system, the
// real http_client actor and the Remnawave emulator on loopback: what only
// Remnawave has, its Bearer token instead of a login and its paged listing.
// The operations and the resilience every kind shares run in
// panel_actor_test.cpp (PanelActor, on each kind of panel).

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

  // The links the panel answers, or its error's code.
  caf::expected<std::vector<std::string>> links(const caf::actor& panel, const std::string& email) {
    caf::expected<std::vector<std::string>> out = caf::make_error(panel_errc::unexpected_status);
    self->request(panel, 30s, panel_get_links{email})
        .receive([&](std::vector<std::string>& keys) { out = std::move(keys); },
                 [&](caf::error& e) { out = std::move(e); });
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

TEST_F(PanelActorRemnawave, ARefusedTokenIsAnAuthErrorWithoutRetries) {
  auto panel = start();
  rw.set_api_token("rotated");
  EXPECT_EQ(run(panel, panel_add_client{ours()}), panel_errc::login_failed);
  EXPECT_EQ(rw.calls().size(), 1u);  // not retried
  EXPECT_EQ(rw.calls()[0].status, 401);
  EXPECT_EQ(metric("vpnbot_panel_breaker_state", {{"panel", "test"}}), 0);
}

TEST_F(PanelActorRemnawave, AListOfManyPagesHasEveryUser) {
  for (int i = 0; i < panel::remnawave_page_size + 20; ++i) rw.seed_user("u" + std::to_string(i));
  auto panel = start();
  auto listed = list(panel);
  EXPECT_EQ(listed.size(), static_cast<std::size_t>(panel::remnawave_page_size + 20));
  EXPECT_EQ(rw.call_count(remnawave_op::list_users), 2u);
}

TEST_F(PanelActorRemnawave, LinksAreTheUsersConnectionKeysInThePanelsOrder) {
  rw.set_hosts(
      {{"trojan", "de.vpn.example.com", 8443, "DE"}, {"vless", "nl.vpn.example.com", 443, "NL"}});
  auto panel = start();
  ASSERT_EQ(run(panel, panel_add_client{ours()}), std::nullopt);
  auto keys = links(panel, "tg7-1");
  ASSERT_TRUE(keys) << to_string(keys.error());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_TRUE((*keys)[0].starts_with("trojan://")) << (*keys)[0];
  EXPECT_TRUE(
      (*keys)[1].starts_with(std::string("vless://") + our_uuid + "@nl.vpn.example.com:443"))
      << (*keys)[1];
  auto user_id = std::to_string(rw.user("tg7-1")->at("id").get<int64_t>());
  auto asked = rw.calls(remnawave_op::connection_keys);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].path, "/api/subscriptions/connection-keys/" + user_id);
  EXPECT_TRUE(asked[0].bearer);

  // A panel without hosts makes no key: an empty list, not an error.
  rw.set_hosts({});
  keys = links(panel, "tg7-1");
  ASSERT_TRUE(keys) << to_string(keys.error());
  EXPECT_TRUE(keys->empty());

  // A 5xx is retried like every call; a user the panel lacks is not found.
  rw.set_hosts({{}});
  rw.fail_next(remnawave_op::connection_keys, 1, 502);
  keys = links(panel, "tg7-1");
  ASSERT_TRUE(keys) << to_string(keys.error());
  EXPECT_EQ(keys->size(), 1u);
  keys = links(panel, "tg8-1");
  ASSERT_FALSE(keys);
  EXPECT_EQ(panel::panel_error_code(keys.error()), panel_errc::client_not_found);
  EXPECT_EQ(metric("vpnbot_panel_calls_total",
                   {{"panel", "test"}, {"operation", "get_links"}, {"outcome", "ok"}}),
            3);
}

}  // namespace
}  // namespace vpnbot
