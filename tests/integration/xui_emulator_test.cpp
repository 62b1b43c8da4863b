// The 3x-ui emulator itself, driven over HTTP with the pure request builders
// and read back with read_reply: if it does not answer like the Go panel,
// the panel actor's tests prove nothing.

#include "adapters/emulators/xui/xui_emulator.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "adapters/emulators/http_call.hpp"
#include "adapters/panel/client_identity.hpp"
#include "adapters/panel/panel_error.hpp"
#include "adapters/panel/xui31_protocol.hpp"
#include "adapters/panel/xui_protocol.hpp"
#include "support/error_code_of.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using panel::panel_code;
using json = nlohmann::json;
using namespace vpnbot::panel;

struct XuiEmulator : ::testing::Test {
  explicit XuiEmulator(xui_emulator_options o = {}) : xui(o) {}

  xui_emulator xui;
  xui_endpoint endpoint = *parse_endpoint(xui.base_url());
  xui_session session;
  std::optional<xui_version> version = parse_xui_version(xui.options().version);

  uint16_t port() const {
    auto colon = endpoint.origin.rfind(':');
    return static_cast<uint16_t>(std::stoi(endpoint.origin.substr(colon + 1)));
  }

  http_result send(const outbound_request& r, std::chrono::milliseconds timeout = 5s) {
    std::map<std::string, std::string> headers(r.headers.begin(), r.headers.end());
    auto path = r.url.substr(endpoint.origin.size());
    return http_call(port(), r.method, path, r.body, headers, timeout);
  }

  caf::expected<json> call(const outbound_request& r) {
    auto res = send(r);
    return read_reply(res.status, res.body, version);
  }

  void login(const std::string& password = "admin-password") {
    if (uses_csrf(version)) {
      auto res = send(csrf_token_request(endpoint, session));
      session.csrf_token = *read_csrf_reply(res.status, res.body, version);
      session.cookie = *session_cookie({res.headers["set-cookie"]});
    }
    auto res = send(login_request(endpoint, {"admin", password, ""}, session));
    ASSERT_TRUE(read_login_reply(res.status, res.body, version));
    session.cookie = *session_cookie({res.headers["set-cookie"]});
  }

  static xui_client client(const std::string& email, const std::string& id) {
    xui_client c;
    c.id = id;
    c.email = email;
    c.flow = "xtls-rprx-vision";
    c.sub_id = "sub" + email;
    c.total_bytes = 1000;
    c.expiry_time_ms = 1767225600000;
    return c;
  }
};

constexpr const char* uuid_a = "b831381d-6324-4d53-ad4f-8cda48b30811";
constexpr const char* uuid_b = "c831381d-6324-4d53-ad4f-8cda48b30812";

TEST_F(XuiEmulator, LoginSetsTheSessionCookieUnderTheBasePath) {
  auto bad = send(login_request(endpoint, {"admin", "wrong", ""}, session));
  EXPECT_EQ(bad.status, 200);
  EXPECT_EQ(panel_error_code(read_login_reply(bad.status, bad.body, version).error()),
            panel_errc::login_failed);
  auto good = send(login_request(endpoint, {"admin", "admin-password", ""}, session));
  EXPECT_EQ(good.status, 200);
  EXPECT_TRUE(read_login_reply(good.status, good.body, version));
  EXPECT_NE(good.headers["set-cookie"].find("Path=/secretpath/"), std::string::npos);
  auto cookie = session_cookie({good.headers["set-cookie"]});
  ASSERT_TRUE(cookie);
  EXPECT_TRUE(cookie->starts_with("3x-ui="));
  auto calls = xui.calls(xui_op::login);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].params["username"], "admin");
  EXPECT_EQ(calls[1].params["password"], "admin-password");
}

TEST_F(XuiEmulator, WithoutASessionTheApiAnswersLikeThisVersion) {
  // v2.8.5: a bare 404, which read_reply takes for an expired session.
  auto res = send(list_inbounds_request(endpoint, session));
  EXPECT_EQ(res.status, 404);
  EXPECT_TRUE(res.body.empty());
  EXPECT_EQ(panel_error_code(call(list_inbounds_request(endpoint, session)).error()),
            panel_errc::session_expired);
}

TEST_F(XuiEmulator, InboundsCarrySettingsAsJsonStrings) {
  login();
  auto list = send(list_inbounds_request(endpoint, session));
  auto raw = json::parse(list.body);
  ASSERT_TRUE(raw["obj"][0]["settings"].is_string());
  ASSERT_TRUE(raw["obj"][0]["streamSettings"].is_string());
  auto inbounds = parse_inbounds(raw["obj"]);
  ASSERT_TRUE(inbounds);
  ASSERT_EQ(inbounds->size(), 2u);
  for (const auto& in : *inbounds) {
    EXPECT_EQ(in.protocol, "vless");
    EXPECT_EQ(in.clients.size(), 1u);
  }
  EXPECT_EQ((*inbounds)[0].stream_settings.value("security", ""), "reality");
  EXPECT_EQ((*inbounds)[1].stream_settings.value("network", ""), "ws");
  EXPECT_EQ((*inbounds)[1].stream_settings.value("security", ""), "tls");
  EXPECT_EQ(panel_error_code(call(get_inbound_request(endpoint, session, 99)).error()),
            panel_errc::record_not_found);
}

TEST_F(XuiEmulator, ClientsAreAddedUpdatedAndDeletedWithTheGoErrorTexts) {
  login();
  ASSERT_TRUE(call(add_client_request(endpoint, session, 1, client("tg1-1", uuid_a))));
  EXPECT_EQ(xui.clients(1).size(), 2u);
  auto dup = call(add_client_request(endpoint, session, 1, client("TG1-1", uuid_b)));
  EXPECT_EQ(panel_error_code(dup.error()), panel_errc::duplicate_email);

  auto changed = client("tg1-1", uuid_a);
  changed.enable = false;
  changed.expiry_time_ms = 1800000000000;
  ASSERT_TRUE(call(update_client_request(endpoint, session, 1, uuid_a, changed)));
  auto stored = xui.client("tg1-1");
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->enable);
  EXPECT_EQ(stored->expiry_time_ms, 1800000000000);
  auto missing = call(update_client_request(endpoint, session, 1, uuid_b, changed));
  EXPECT_EQ(panel_error_code(missing.error()), panel_errc::client_not_found);

  auto traffic = call(client_traffics_request(endpoint, session, "tg1-1"));
  ASSERT_TRUE(traffic);
  EXPECT_EQ((*traffic)["total"], 1000);
  EXPECT_EQ((*traffic)["uuid"], uuid_a);

  ASSERT_TRUE(call(delete_client_request(endpoint, session, 1, uuid_a)));
  EXPECT_EQ(xui.clients(1).size(), 1u);
  auto gone = call(delete_client_request(endpoint, session, 1, uuid_a));
  EXPECT_EQ(panel_error_code(gone.error()), panel_errc::client_not_found);
  auto last = call(delete_client_request(endpoint, session, 1, xui.clients(1)[0].id));
  EXPECT_EQ(panel_error_code(last.error()), panel_errc::last_client);
  auto no_traffic = call(client_traffics_request(endpoint, session, "tg1-1"));
  EXPECT_EQ(panel_error_code(no_traffic.error()), panel_errc::record_not_found);

  auto adds = xui.calls(xui_op::add_client);
  ASSERT_EQ(adds.size(), 2u);
  EXPECT_TRUE(adds[0].success);
  EXPECT_NE(adds[0].cookie.find("3x-ui="), std::string::npos);
  EXPECT_EQ(adds[0].params["id"], 1);
}

TEST_F(XuiEmulator, OnlinesIsNullWhenNobodyIsOnline) {
  login();
  auto none = call(onlines_request(endpoint, session));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->is_null());
  xui.set_onlines({"tg1-1"});
  EXPECT_EQ(*call(onlines_request(endpoint, session)), json::array({"tg1-1"}));
}

TEST_F(XuiEmulator, FaultsExpireSessionsFailAndDelay) {
  login();
  xui.fail_next(xui_op::list_inbounds, 2, 502);
  EXPECT_EQ(send(list_inbounds_request(endpoint, session)).status, 502);
  EXPECT_EQ(send(list_inbounds_request(endpoint, session)).status, 502);
  EXPECT_EQ(send(list_inbounds_request(endpoint, session)).status, 200);

  xui.expire_sessions();
  EXPECT_EQ(panel_error_code(call(list_inbounds_request(endpoint, session)).error()),
            panel_errc::session_expired);
  login();
  EXPECT_TRUE(call(list_inbounds_request(endpoint, session)));

  // A late answer: the change is made at once, the answer comes later.
  xui.delay_next(xui_op::add_client, 300ms);
  auto late = std::async(std::launch::async, [&] {
    return send(add_client_request(endpoint, session, 1, client("tg2-2", uuid_b)));
  });
  while (xui.call_count(xui_op::add_client) == 0) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(xui.client("tg2-2"));
  EXPECT_EQ(late.get().status, 200);

  xui.set_password("changed");
  auto res = send(login_request(endpoint, {"admin", "admin-password", ""}, session));
  EXPECT_EQ(panel_error_code(read_login_reply(res.status, res.body, version).error()),
            panel_errc::login_failed);
}

struct XuiEmulatorOld : XuiEmulator {
  XuiEmulatorOld() : XuiEmulator(options()) {}
  static xui_emulator_options options() {
    xui_emulator_options o;
    o.version = "2.3.5";
    return o;
  }
};

TEST_F(XuiEmulatorOld, UsesTheSessionCookieAnd401WithAnEnvelope) {
  auto res = send(list_inbounds_request(endpoint, session));
  EXPECT_EQ(res.status, 401);
  EXPECT_FALSE(json::parse(res.body)["success"].get<bool>());
  login();
  EXPECT_TRUE(session.cookie.starts_with("session="));
  EXPECT_TRUE(call(list_inbounds_request(endpoint, session)));
  auto unknown = call(client_traffics_request(endpoint, session, "nobody"));
  ASSERT_TRUE(unknown);
  EXPECT_TRUE(unknown->is_null());
}

struct XuiEmulatorV3 : XuiEmulator {
  XuiEmulatorV3() : XuiEmulator(options()) {}
  static xui_emulator_options options() {
    xui_emulator_options o;
    o.version = "3.0.2";
    o.api_token = "tok-123";
    return o;
  }
};

TEST_F(XuiEmulatorV3, NeedsCsrfOnCookiePostsAndAcceptsABearerToken) {
  auto no_csrf = send(login_request(endpoint, {"admin", "admin-password", ""}, session));
  EXPECT_EQ(no_csrf.status, 403);
  login();
  ASSERT_FALSE(session.csrf_token.empty());
  EXPECT_TRUE(call(onlines_request(endpoint, session)));
  auto without = session;
  without.csrf_token.clear();
  EXPECT_EQ(send(onlines_request(endpoint, without)).status, 403);

  xui_session bearer;
  bearer.api_token = "tok-123";
  EXPECT_TRUE(call(add_client_request(endpoint, bearer, 1, client("tg3-3", uuid_a))));
  EXPECT_TRUE(xui.calls(xui_op::add_client).back().bearer);
  xui.expire_sessions();
  EXPECT_EQ(send(list_inbounds_request(endpoint, session)).status, 401);
}

struct XuiEmulatorV3_1 : XuiEmulator {
  XuiEmulatorV3_1() : XuiEmulator(options()) {}
  static xui_emulator_options options() {
    xui_emulator_options o;
    o.version = "3.1.0";
    return o;
  }
};

TEST_F(XuiEmulatorV3_1, TheLegacyClientEndpointsAre404AndTheInboundOnesStay) {
  login();
  auto c = client("tg5-5", uuid_a);
  for (const auto& r :
       {add_client_request(endpoint, session, 1, c),
        update_client_request(endpoint, session, 1, uuid_a, c),
        delete_client_request(endpoint, session, 1, uuid_a),
        client_traffics_request(endpoint, session, "tg5-5"), onlines_request(endpoint, session)}) {
    auto res = send(r);
    EXPECT_EQ(res.status, 404) << r.url;
    EXPECT_EQ(panel_code(read_reply(res.status, res.body, version)), panel_errc::endpoint_missing);
  }
  EXPECT_TRUE(call(list_inbounds_request(endpoint, session)));
  EXPECT_TRUE(call(get_inbound_request(endpoint, session, 1)));
  // Without a session: 3.1's bare 401.
  EXPECT_EQ(send(clients_get_request(endpoint, {}, "tg5-5")).status, 401);
}

TEST_F(XuiEmulatorV3_1, ClientsAreAddedWithSecretsOfTheirOwnUpdatedAndDeletedByEmail) {
  login();
  auto c = client("tg5-5", uuid_a);
  c.limit_ip = 2;
  EXPECT_EQ(panel_code(call(clients_get_request(endpoint, session, "tg5-5"))),
            panel_errc::record_not_found);
  auto added = call(clients_add_request(endpoint, session, 1, c));
  ASSERT_TRUE(added) << to_string(added.error());
  auto made = parse_client31(*added);
  ASSERT_TRUE(made);
  EXPECT_NE(made->id, uuid_a);
  EXPECT_TRUE(is_uuid(made->id));
  EXPECT_EQ(made->sub_id.size(), 16u);
  EXPECT_EQ((*added)["inboundIds"], json::array({1}));
  EXPECT_EQ(xui.client("tg5-5")->id, made->id);
  EXPECT_EQ(xui.client("tg5-5")->limit_ip, 2);
  EXPECT_EQ(xui.client("tg5-5")->total_bytes, 1000);

  auto again = call(clients_add_request(endpoint, session, 1, c));
  EXPECT_EQ(panel_code(again), panel_errc::duplicate_email);
  auto got = call(clients_get_request(endpoint, session, "TG5-5"));
  ASSERT_TRUE(got);
  EXPECT_EQ(parse_client31(*got)->id, made->id);

  auto changed = *made;
  changed.enable = false;
  changed.expiry_time_ms = 1800000000000;
  EXPECT_TRUE(call(clients_update_request(endpoint, session, 1, changed)));
  EXPECT_FALSE(xui.client("tg5-5")->enable);
  EXPECT_EQ(xui.client("tg5-5")->expiry_time_ms, 1800000000000);
  xui.set_traffic("tg5-5", 7, 9);
  auto traffic = call(clients_traffic_request(endpoint, session, "tg5-5"));
  ASSERT_TRUE(traffic);
  EXPECT_EQ((*traffic)["up"], 7);

  EXPECT_TRUE(call(clients_delete_request(endpoint, session, "tg5-5")));
  EXPECT_FALSE(xui.client("tg5-5"));
  EXPECT_EQ(panel_code(call(clients_delete_request(endpoint, session, "tg5-5"))),
            panel_errc::record_not_found);
  EXPECT_EQ(panel_code(call(clients_update_request(endpoint, session, 1, changed))),
            panel_errc::record_not_found);
  EXPECT_EQ(panel_code(call(clients_traffic_request(endpoint, session, "tg5-5"))),
            panel_errc::record_not_found);
}

struct XuiEmulatorV3_1Keeping : XuiEmulator {
  XuiEmulatorV3_1Keeping() : XuiEmulator(options()) {}
  static xui_emulator_options options() {
    auto o = XuiEmulatorV3_1::options();
    o.generate_secrets = false;
    return o;
  }
};

TEST_F(XuiEmulatorV3_1Keeping, KeepsTheSecretsSent) {
  login();
  ASSERT_TRUE(call(clients_add_request(endpoint, session, 1, client("tg6-6", uuid_b))));
  EXPECT_EQ(xui.client("tg6-6")->id, uuid_b);
  EXPECT_EQ(xui.client("tg6-6")->sub_id, "subtg6-6");
}

TEST_F(XuiEmulatorV3_1, FaultsApplyToTheClientsApi) {
  login();
  xui.fail_next(xui_op::add_client, 1, 500);
  EXPECT_EQ(send(clients_add_request(endpoint, session, 1, client("tg5-6", uuid_a))).status, 500);
  xui.fail_every(xui_op::get_client, 2, 503);
  EXPECT_EQ(send(clients_get_request(endpoint, session, "x")).status, 200);
  EXPECT_EQ(send(clients_get_request(endpoint, session, "x")).status, 503);
  xui.recover(xui_op::get_client);
  xui.expire_sessions();
  EXPECT_EQ(send(clients_get_request(endpoint, session, "x")).status, 401);
  EXPECT_EQ(xui.call_count(xui_op::get_client), 3u);
}

}  // namespace
}  // namespace vpnbot::testing_support
