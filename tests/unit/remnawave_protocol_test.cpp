// Remnawave's API as data: the requests of each step and the reading of
// the replies, without I/O.

#include "adapters/panel/remnawave_protocol.hpp"

#include <gtest/gtest.h>

#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

xui_endpoint endpoint() {
  return *parse_endpoint("https://panel.example.com/");
}

xui_session token() {
  xui_session s;
  s.api_token = "tok";
  return s;
}

panel_call call(panel_op op) {
  panel_call c;
  c.op = op;
  c.client.id = "b831381d-6324-4d53-ad4f-8cda48b30811";
  c.client.email = "tg7-1";
  c.client.sub_id = "abcdefgh12345678";
  c.client.expiry_time_ms = 4102444800000;
  c.client.total_bytes = 1000;
  c.client.limit_ip = 2;
  c.client.tg_id = 7;
  return c;
}

json user(const std::string& username = "tg7-1") {
  return {{"id", 12},
          {"uuid", "0a0a0a0a-0000-4000-8000-000000000009"},
          {"shortUuid", "abcdefgh12345678"},
          {"username", username},
          {"status", "ACTIVE"},
          {"trafficLimitBytes", 1000},
          {"trafficLimitStrategy", "NO_RESET"},
          {"expireAt", "2100-01-01T00:00:00.000Z"},
          {"telegramId", 7},
          {"hwidDeviceLimit", 2},
          {"vlessUuid", "b831381d-6324-4d53-ad4f-8cda48b30811"},
          {"subscriptionUrl", "https://sub.example.com/abcdefgh12345678"},
          {"userTraffic", {{"usedTrafficBytes", 55}, {"lifetimeUsedTrafficBytes", 66}}}};
}

std::string envelope(const json& j) {
  return json{{"response", j}}.dump();
}

std::optional<panel_errc> code(const caf::expected<step_outcome>& r) {
  return r ? std::nullopt : panel_error_code(r.error());
}

TEST(RemnawaveProtocol, TimesAreIsoUtcBothWays) {
  EXPECT_EQ(remnawave_time(4102444800000), "2100-01-01T00:00:00.000Z");
  EXPECT_EQ(remnawave_time(1737128325065), "2025-01-17T15:38:45.065Z");
  EXPECT_EQ(parse_remnawave_time("2025-01-17T15:38:45.065Z"), 1737128325065);
  EXPECT_EQ(parse_remnawave_time("2025-01-17T15:38:45Z"), 1737128325000);
  EXPECT_EQ(parse_remnawave_time("2025-01-17T18:38:45.065+03:00"), 1737128325065);
  EXPECT_EQ(parse_remnawave_time("yesterday"), std::nullopt);
}

TEST(RemnawaveProtocol, CreateLooksUpThenPostsOurIdentityOrAdoptsWithAPatch) {
  remnawave_protocol p({"3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8"});
  auto c = call(panel_op::create);
  EXPECT_EQ(p.first_step(panel_op::create), call_step::lookup);
  auto lookup = p.request(c, call_step::lookup, endpoint(), token());
  EXPECT_EQ(lookup.method, "GET");
  EXPECT_EQ(lookup.url, "https://panel.example.com/api/users/by-username/tg7-1");
  EXPECT_EQ(*lookup.header("Authorization"), "Bearer tok");

  auto missing = p.read(c, call_step::lookup, 404, R"({"errorCode":"A025"})", std::nullopt);
  ASSERT_TRUE(missing);
  EXPECT_EQ(std::get<call_step>(*missing), call_step::write);
  auto post = p.request(c, call_step::write, endpoint(), token());
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(post.url, "https://panel.example.com/api/users");
  auto body = json::parse(post.body);
  EXPECT_EQ(body["username"], "tg7-1");
  EXPECT_EQ(body["vlessUuid"], c.client.id);
  EXPECT_EQ(body["shortUuid"], "abcdefgh12345678");
  EXPECT_EQ(body["expireAt"], "2100-01-01T00:00:00.000Z");
  EXPECT_EQ(body["hwidDeviceLimit"], 2);
  EXPECT_EQ(body["trafficLimitBytes"], 1000);
  EXPECT_EQ(body["activeInternalSquads"][0], "3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8");
  auto created = p.read(c, call_step::write, 201, envelope(user()), std::nullopt);
  ASSERT_TRUE(created);
  auto& value = std::get<xui_client>(std::get<panel_value>(*created));
  EXPECT_EQ(value.sub_url, "https://sub.example.com/abcdefgh12345678");
  EXPECT_EQ(value.id, c.client.id);

  // Found: adopted with a PATCH; a race on the username too.
  auto found = p.read(c, call_step::lookup, 200, envelope(user()), std::nullopt);
  EXPECT_EQ(std::get<call_step>(*found), call_step::verify);
  EXPECT_EQ(p.request(c, call_step::verify, endpoint(), token()).method, "PATCH");
  auto taken =
      p.read(c, call_step::write, 400,
             R"({"message":"User username already exists","errorCode":"A019"})", std::nullopt);
  EXPECT_EQ(std::get<call_step>(*taken), call_step::verify);
  // Someone else's answer is not adopted.
  EXPECT_EQ(code(p.read(c, call_step::verify, 200, envelope(user("tg8-1")), std::nullopt)),
            panel_errc::malformed_reply);
}

TEST(RemnawaveProtocol, StatusesMapToOurErrors) {
  remnawave_protocol p;
  EXPECT_EQ(code(p.read(call(panel_op::update), call_step::write, 401, "{}", std::nullopt)),
            panel_errc::login_failed);
  EXPECT_EQ(code(p.read(call(panel_op::update), call_step::write, 403, "{}", std::nullopt)),
            panel_errc::login_failed);
  EXPECT_EQ(code(p.read(call(panel_op::update), call_step::write, 404, "{}", std::nullopt)),
            panel_errc::client_not_found);
  EXPECT_EQ(code(p.read(call(panel_op::traffic), call_step::write, 404, "{}", std::nullopt)),
            panel_errc::client_not_found);
  EXPECT_EQ(code(p.read(call(panel_op::remove), call_step::lookup, 404, "{}", std::nullopt)),
            std::nullopt);
  EXPECT_EQ(code(p.read(call(panel_op::update), call_step::write, 400, R"({"message":"x"})",
                        std::nullopt)),
            panel_errc::rejected);
  EXPECT_EQ(code(p.read(call(panel_op::update), call_step::write, 200, "[]", std::nullopt)),
            panel_errc::malformed_reply);
}

TEST(RemnawaveProtocol, AnUpdateLeavesAPastExpiryOut) {
  remnawave_protocol p;
  auto c = call(panel_op::update);
  c.client.enable = false;
  c.client.expiry_time_ms = 1000;
  auto r = p.request(c, call_step::write, endpoint(), token());
  EXPECT_EQ(r.method, "PATCH");
  auto body = json::parse(r.body);
  EXPECT_FALSE(body.contains("expireAt"));
  EXPECT_EQ(body["status"], "DISABLED");
  EXPECT_FALSE(body.contains("activeInternalSquads"));
}

// A plan without limits: 0 for both, which Remnawave reads as "none" (a
// hwidDeviceLimit of 0 records devices and refuses none; null would fall
// back to the panel's own default limit instead).
TEST(RemnawaveProtocol, NoLimitsAreZeroNotNull) {
  remnawave_protocol p;
  for (auto op : {panel_op::create, panel_op::update}) {
    auto c = call(op);
    c.client.total_bytes = 0;
    c.client.limit_ip = 0;
    auto r = p.request(c, call_step::write, endpoint(), token());
    auto body = json::parse(r.body);
    EXPECT_EQ(body["hwidDeviceLimit"], 0) << r.body;
    EXPECT_EQ(body["trafficLimitBytes"], 0) << r.body;
  }
}

TEST(RemnawaveProtocol, DeleteCarriesTheNumericIdFromItsLookup) {
  remnawave_protocol p;
  auto c = call(panel_op::remove);
  EXPECT_EQ(p.first_step(panel_op::remove), call_step::lookup);
  p.carry(c, call_step::lookup, 200, envelope(user()));
  EXPECT_EQ(c.panel_ref, "12");
  auto next = p.read(c, call_step::lookup, 200, envelope(user()), std::nullopt);
  EXPECT_EQ(std::get<call_step>(*next), call_step::write);
  auto del = p.request(c, call_step::write, endpoint(), token());
  EXPECT_EQ(del.method, "DELETE");
  EXPECT_EQ(del.url, "https://panel.example.com/api/users/12");
  EXPECT_EQ(code(p.read(c, call_step::write, 204, "", std::nullopt)), std::nullopt);
  EXPECT_EQ(code(p.read(c, call_step::write, 404, "{}", std::nullopt)), std::nullopt);
}

TEST(RemnawaveProtocol, LinksAreTheUsersEnabledConnectionKeys) {
  remnawave_protocol p;
  auto c = call(panel_op::links);
  EXPECT_EQ(p.first_step(panel_op::links), call_step::lookup);
  EXPECT_EQ(p.request(c, call_step::lookup, endpoint(), token()).url,
            "https://panel.example.com/api/users/by-username/tg7-1");
  p.carry(c, call_step::lookup, 200, envelope(user()));
  auto next = p.read(c, call_step::lookup, 200, envelope(user()), std::nullopt);
  ASSERT_TRUE(next);
  EXPECT_EQ(std::get<call_step>(*next), call_step::write);
  auto keys = p.request(c, call_step::write, endpoint(), token());
  EXPECT_EQ(keys.method, "GET");
  EXPECT_EQ(keys.url, "https://panel.example.com/api/subscriptions/connection-keys/12");
  auto body = envelope({{"enabledKeys", {"trojan://p@h:443#A", "vless://u@h:443#B"}},
                        {"hiddenKeys", {"vless://hidden@h:443#C"}},
                        {"disabledKeys", {"vless://off@h:443#D"}}});
  auto done = p.read(c, call_step::write, 200, body, std::nullopt);
  ASSERT_TRUE(done);
  EXPECT_EQ(std::get<std::vector<std::string>>(std::get<panel_value>(*done)),
            (std::vector<std::string>{"trojan://p@h:443#A", "vless://u@h:443#B"}));
  // No such user (at the lookup or gone since): client_not_found; a reply
  // of another shape: malformed.
  EXPECT_EQ(code(p.read(c, call_step::lookup, 404, "{}", std::nullopt)),
            panel_errc::client_not_found);
  EXPECT_EQ(code(p.read(c, call_step::write, 404, "{}", std::nullopt)),
            panel_errc::client_not_found);
  EXPECT_EQ(
      code(p.read(c, call_step::write, 200, envelope({{"keys", json::array()}}), std::nullopt)),
      panel_errc::malformed_reply);
  auto anonymous = call(panel_op::links);
  auto no_id = user();
  no_id.erase("id");
  p.carry(anonymous, call_step::lookup, 200, envelope(no_id));
  EXPECT_EQ(code(p.read(anonymous, call_step::lookup, 200, envelope(no_id), std::nullopt)),
            panel_errc::malformed_reply);
}

TEST(RemnawaveProtocol, ListGathersEveryPage) {
  remnawave_protocol p;
  auto c = call(panel_op::list);
  auto first = json{{"users", {user("a1"), user("a2")}}, {"total", 3}}.dump();
  p.carry(c, call_step::lookup, 200, envelope(json::parse(first)));
  auto more = p.read(c, call_step::lookup, 200, envelope(json::parse(first)), std::nullopt);
  EXPECT_EQ(std::get<call_step>(*more), call_step::write);
  EXPECT_NE(p.request(c, call_step::write, endpoint(), token()).url.find("start=2"),
            std::string::npos);
  auto last = json{{"users", {user("a3")}}, {"total", 3}}.dump();
  p.carry(c, call_step::write, 200, envelope(json::parse(last)));
  auto done = p.read(c, call_step::write, 200, envelope(json::parse(last)), std::nullopt);
  ASSERT_TRUE(done);
  auto& all = std::get<std::vector<xui_client>>(std::get<panel_value>(*done));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].email, "a3");
}

}  // namespace
}  // namespace vpnbot::panel
