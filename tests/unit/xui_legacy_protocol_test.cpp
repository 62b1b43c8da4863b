// The legacy client API behind the panel protocol: the same requests and
// readings the panel actor made before the interface existed.

#include "adapters/panel/xui_legacy_protocol.hpp"

#include <gtest/gtest.h>

#include "adapters/panel/panel_error.hpp"
#include "support/error_code_of.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

const xui_endpoint legacy_panel{"https://203.0.113.5:2053", "/secret/"};

xui_client legacy_client() {
  xui_client c;
  c.id = "b831381d-6324-4d53-ad4f-8cda48b30811";
  c.email = "tg123-7";
  c.sub_id = "k3j9x0a1b2c3d4e5";
  return c;
}

panel_call legacy_call(panel_op op) {
  return {op, 3, legacy_client()};
}

std::string legacy_ok(const json& obj) {
  return json{{"success", true}, {"msg", ""}, {"obj", obj}}.dump();
}

std::string legacy_failed(const std::string& msg) {
  return json{{"success", false}, {"msg", msg}, {"obj", nullptr}}.dump();
}

std::string inbound_holding(const std::string& uuid) {
  json client = {{"id", uuid}, {"email", "tg123-7"}, {"subId", "k3j9x0a1b2c3d4e5"}};
  json settings = {{"clients", json::array({client})}};
  return legacy_ok({{"id", 3}, {"protocol", "vless"}, {"settings", settings.dump()}});
}

TEST(XuiLegacyProtocol, EachOperationIsOneLegacyRequest) {
  xui_legacy_protocol p;
  EXPECT_EQ(p.api(), panel_api::legacy);
  EXPECT_EQ(p.first_step(panel_op::create), call_step::write);
  auto base = std::string("https://203.0.113.5:2053/secret/panel/api/inbounds/");
  EXPECT_EQ(p.request(legacy_call(panel_op::create), call_step::write, legacy_panel, {}).url,
            base + "addClient");
  EXPECT_EQ(p.request(legacy_call(panel_op::update), call_step::write, legacy_panel, {}).url,
            base + "updateClient/b831381d-6324-4d53-ad4f-8cda48b30811");
  EXPECT_EQ(p.request(legacy_call(panel_op::remove), call_step::write, legacy_panel, {}).url,
            base + "3/delClient/b831381d-6324-4d53-ad4f-8cda48b30811");
  EXPECT_EQ(p.request(legacy_call(panel_op::traffic), call_step::write, legacy_panel, {}).url,
            base + "getClientTraffics/tg123-7");
  EXPECT_EQ(p.request(legacy_call(panel_op::list), call_step::write, legacy_panel, {}).url,
            base + "get/3");
  EXPECT_EQ(p.request(legacy_call(panel_op::create), call_step::verify, legacy_panel, {}).url,
            base + "get/3");
}

TEST(XuiLegacyProtocol, ADuplicateIsAdoptedOnlyWithOurUuid) {
  xui_legacy_protocol p;
  auto added = p.read(legacy_call(panel_op::create), call_step::write, 200, legacy_ok(nullptr),
                      std::nullopt);
  ASSERT_TRUE(added);
  EXPECT_EQ(std::get<xui_client>(std::get<panel_value>(*added)).id, legacy_client().id);
  auto dup = p.read(legacy_call(panel_op::create), call_step::write, 200,
                    legacy_failed("Something went wrong (Duplicate email: tg123-7)"), std::nullopt);
  ASSERT_TRUE(dup);
  EXPECT_EQ(std::get<call_step>(*dup), call_step::verify);
  EXPECT_TRUE(p.read(legacy_call(panel_op::create), call_step::verify, 200,
                     inbound_holding(legacy_client().id), std::nullopt));
  EXPECT_EQ(
      panel_code(p.read(legacy_call(panel_op::create), call_step::verify, 200,
                        inbound_holding("c831381d-6324-4d53-ad4f-8cda48b30812"), std::nullopt)),
      panel_errc::duplicate_email);
}

TEST(XuiLegacyProtocol, MissingClients) {
  xui_legacy_protocol p;
  EXPECT_TRUE(p.read(legacy_call(panel_op::remove), call_step::write, 200,
                     legacy_failed("x (Client Not Found In Inbound For ID: y)"), std::nullopt));
  EXPECT_EQ(panel_code(p.read(legacy_call(panel_op::traffic), call_step::write, 200,
                              legacy_failed("x (record not found)"), std::nullopt)),
            panel_errc::client_not_found);
  EXPECT_EQ(panel_code(p.read(legacy_call(panel_op::traffic), call_step::write, 200,
                              legacy_ok(nullptr), std::nullopt)),
            panel_errc::client_not_found);
  EXPECT_EQ(
      panel_code(p.read(legacy_call(panel_op::update), call_step::write, 200,
                        legacy_failed("x (Client Not Found In Inbound For ID: y)"), std::nullopt)),
      panel_errc::client_not_found);
}

}  // namespace
}  // namespace vpnbot::panel
