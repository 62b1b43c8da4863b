#include "adapters/panel/xui_model.hpp"

#include <gtest/gtest.h>

#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

// An inbound as /panel/api/inbounds/list returns it (v2.8.5 field order):
// settings, streamSettings and sniffing are JSON strings, one client has
// tgId "" (written by the web UI), the other a number.
const char* recorded_inbound = R"({
  "id": 3, "up": 1024, "down": 4096, "total": 0, "allTime": 5120,
  "remark": "Main", "enable": true, "expiryTime": 0,
  "trafficReset": "never", "lastTrafficResetTime": 0,
  "clientStats": [
    {"id": 11, "inboundId": 3, "enable": true, "email": "tg123-7",
     "uuid": "b831381d-6324-4d53-ad4f-8cda48b30811", "subId": "k3j9x0a1b2c3d4e5",
     "up": 10, "down": 20, "allTime": 30, "expiryTime": 1767225600000, "total": 53687091200,
     "reset": 0, "lastOnline": 1760000000000}
  ],
  "listen": "", "port": 443, "protocol": "vless",
  "settings": "{\"clients\":[{\"id\":\"b831381d-6324-4d53-ad4f-8cda48b30811\",\"flow\":\"xtls-rprx-vision\",\"email\":\"tg123-7\",\"limitIp\":2,\"totalGB\":53687091200,\"expiryTime\":1767225600000,\"enable\":true,\"tgId\":123,\"subId\":\"k3j9x0a1b2c3d4e5\",\"reset\":0,\"created_at\":1760000000000,\"updated_at\":1760000000000},{\"id\":\"0b7d8f6e-1111-4222-8333-944455556666\",\"flow\":\"\",\"email\":\"user1\",\"limitIp\":0,\"totalGB\":0,\"expiryTime\":-2592000000,\"enable\":false,\"tgId\":\"\",\"subId\":\"abcdefgh12345678\",\"reset\":30,\"comment\":\"by hand\"}],\"decryption\":\"none\",\"encryption\":\"none\"}",
  "streamSettings": "{\"network\":\"tcp\",\"security\":\"reality\",\"realitySettings\":{\"show\":false,\"xver\":0,\"target\":\"www.google.com:443\",\"serverNames\":[\"www.google.com\"],\"privateKey\":\"x\",\"shortIds\":[\"6ba85179\"],\"settings\":{\"publicKey\":\"PUBKEY\",\"fingerprint\":\"chrome\",\"serverName\":\"\",\"spiderX\":\"/\"}},\"tcpSettings\":{\"acceptProxyProtocol\":false,\"header\":{\"type\":\"none\"}}}",
  "tag": "inbound-443",
  "sniffing": "{\"enabled\":true,\"destOverride\":[\"http\",\"tls\"]}"
})";

TEST(PanelModel, RecordedInboundParses) {
  auto in = parse_inbound(json::parse(recorded_inbound));
  ASSERT_TRUE(in) << caf::to_string(in.error());
  EXPECT_EQ(in->id, 3);
  EXPECT_EQ(in->remark, "Main");
  EXPECT_TRUE(in->enable);
  EXPECT_EQ(in->port, 443);
  EXPECT_EQ(in->protocol, "vless");
  EXPECT_EQ(in->tag, "inbound-443");
  EXPECT_EQ(in->settings["encryption"], "none");
  EXPECT_EQ(in->stream_settings["network"], "tcp");
  EXPECT_EQ(in->sniffing["enabled"], true);

  ASSERT_EQ(in->clients.size(), 2u);
  const auto& ours = in->clients[0];
  EXPECT_EQ(ours.id, "b831381d-6324-4d53-ad4f-8cda48b30811");
  EXPECT_EQ(ours.flow, "xtls-rprx-vision");
  EXPECT_EQ(ours.limit_ip, 2);
  EXPECT_EQ(ours.total_bytes, 53687091200);
  EXPECT_EQ(ours.expiry_time_ms, 1767225600000);
  EXPECT_EQ(ours.tg_id, 123);
  EXPECT_EQ(ours.sub_id, "k3j9x0a1b2c3d4e5");
  const auto& foreign = in->clients[1];
  EXPECT_EQ(foreign.tg_id, 0);
  EXPECT_FALSE(foreign.enable);
  EXPECT_EQ(foreign.expiry_time_ms, -2592000000);
  EXPECT_EQ(foreign.reset_days, 30);
  EXPECT_EQ(foreign.comment, "by hand");
  EXPECT_EQ(in->find_client("user1"), &in->clients[1]);
  EXPECT_EQ(in->find_client("USER1"), nullptr);

  ASSERT_EQ(in->client_stats.size(), 1u);
  const auto& t = in->client_stats[0];
  EXPECT_EQ(t.inbound_id, 3);
  EXPECT_EQ(t.email, "tg123-7");
  EXPECT_EQ(t.uuid, "b831381d-6324-4d53-ad4f-8cda48b30811");
  EXPECT_EQ(t.total_bytes, 53687091200);
  EXPECT_EQ(t.last_online_ms, 1760000000000);
}

TEST(PanelModel, TgIdAsEmptyStringNumberOrDigits) {
  EXPECT_EQ(parse_client(json::parse(R"({"tgId":""})"))->tg_id, 0);
  EXPECT_EQ(parse_client(json::parse(R"({"tgId":42})"))->tg_id, 42);
  EXPECT_EQ(parse_client(json::parse(R"({"tgId":"42"})"))->tg_id, 42);
  EXPECT_EQ(parse_client(json::parse(R"({"tgId":null})"))->tg_id, 0);
  EXPECT_FALSE(parse_client(json::parse(R"({"tgId":"4x"})")));
  EXPECT_FALSE(parse_client(json::parse(R"({"tgId":true})")));
}

TEST(PanelModel, OlderPanelsLeaveOutNewerFields) {
  // v2.6: no allTime, lastOnline, uuid or subId on traffic rows.
  auto t = parse_client_traffic(json::parse(
      R"({"id":1,"inboundId":2,"enable":true,"email":"a","up":1,"down":2,"expiryTime":0,"total":0,"reset":0})"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->all_time, 0);
  EXPECT_EQ(t->uuid, "");
}

TEST(PanelModel, SettingsMayAlreadyBeAnObject) {
  auto in = parse_inbound(json::parse(
      R"({"id":1,"protocol":"vless","settings":{"clients":[{"id":"u","email":"e"}]},"streamSettings":""})"));
  ASSERT_TRUE(in);
  ASSERT_EQ(in->clients.size(), 1u);
  EXPECT_EQ(in->clients[0].email, "e");
  EXPECT_TRUE(in->stream_settings.empty());
}

TEST(PanelModel, BrokenShapesAreErrors) {
  auto code = [](const auto& r) { return panel_error_code(r.error()); };
  auto bad_settings = parse_inbound(json::parse(R"({"id":1,"settings":"{not json"})"));
  ASSERT_FALSE(bad_settings);
  EXPECT_EQ(code(bad_settings), panel_errc::malformed_reply);
  EXPECT_FALSE(parse_inbound(json::parse(R"({"id":"one"})")));
  EXPECT_FALSE(parse_inbound(json::parse(R"({"settings":"{\"clients\":{}}"})")));
  EXPECT_FALSE(parse_inbound(json::parse(R"({"port":99999999999})")));
  EXPECT_FALSE(parse_inbound(json::parse("[]")));
  EXPECT_FALSE(parse_inbounds(json::parse("{}")));
}

TEST(PanelModel, ListOnlinesAndTraffic) {
  auto list = parse_inbounds(json::parse(std::string("[") + recorded_inbound + "]"));
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
  EXPECT_TRUE(parse_inbounds(json(nullptr))->empty());

  EXPECT_TRUE(parse_onlines(json(nullptr))->empty());
  EXPECT_EQ(*parse_onlines(json::parse(R"(["a","tg1-2"])")),
            (std::vector<std::string>{"a", "tg1-2"}));
  EXPECT_FALSE(parse_onlines(json::parse("[1]")));

  auto absent = parse_optional_client_traffic(json(nullptr));
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);
  auto present = parse_optional_client_traffic(json::parse(R"({"email":"tg1-2","up":5})"));
  ASSERT_TRUE(present && *present);
  EXPECT_EQ((*present)->up, 5);
}

TEST(PanelModel, ClientRoundTripsThroughJson) {
  xui_client c{"uuid", "xtls-rprx-vision", "tg1-2", 1, 1000, 2000, true, 1, "sub", 0, "note"};
  auto j = to_json(c);
  EXPECT_EQ(j["totalGB"], 1000);
  EXPECT_EQ(j["tgId"], 1);
  EXPECT_EQ(*parse_client(j), c);
}

}  // namespace
}  // namespace vpnbot::panel
