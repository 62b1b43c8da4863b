// The 3x-ui 3.1 client API as PROTOCOLS.md §1.8 has it: the requests each
// step sends and what each reply leads to.

#include "adapters/panel/xui31_protocol.hpp"

#include <gtest/gtest.h>

#include "adapters/panel/panel_error.hpp"
#include "support/error_code_of.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

const xui_endpoint panel{"https://203.0.113.5:2053", "/secret/"};
const std::optional<xui_version> v31 = xui_version{3, 1, 0};

xui_client ours() {
  xui_client c;
  c.id = "b831381d-6324-4d53-ad4f-8cda48b30811";
  c.flow = "xtls-rprx-vision";
  c.email = "tg123-7";
  c.limit_ip = 2;
  c.total_bytes = 53687091200;
  c.expiry_time_ms = 1767225600000;
  c.tg_id = 123;
  c.sub_id = "k3j9x0a1b2c3d4e5";
  c.enable = true;
  return c;
}

panel_call call(panel_op op, xui_client c = ours()) {
  return {op, 3, std::move(c)};
}

std::string ok(const json& obj) {
  return json{{"success", true}, {"msg", ""}, {"obj", obj}}.dump();
}

std::string failed(const std::string& msg) {
  return json{{"success", false}, {"msg", msg}, {"obj", nullptr}}.dump();
}

// The panel's own client, as get/:email and add answer it.
json panel_client_json() {
  return {{"id", 41},
          {"uuid", "0b7d8f6e-1111-4222-8333-944455556666"},
          {"email", "tg123-7"},
          {"subId", "zz9x0a1b2c3d4e5f"},
          {"flow", "xtls-rprx-vision"},
          {"limitIp", 2},
          {"totalGB", 53687091200},
          {"expiryTime", 1767225600000},
          {"enable", true},
          {"tgId", 123},
          {"inboundIds", {3}}};
}

std::optional<call_step> next(const caf::expected<step_outcome>& r) {
  if (!r) return std::nullopt;
  if (auto* s = std::get_if<call_step>(&*r)) return *s;
  return std::nullopt;
}

template <class T>
const T* value(const caf::expected<step_outcome>& r) {
  if (!r) return nullptr;
  auto* v = std::get_if<panel_value>(&*r);
  return v ? std::get_if<T>(v) : nullptr;
}

TEST(Xui31Protocol, RequestsUnderPanelApiClients) {
  xui31_protocol p;
  EXPECT_EQ(p.api(), panel_api::v3_1);
  auto get = p.request(call(panel_op::create), call_step::lookup, panel, {});
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.url, "https://203.0.113.5:2053/secret/panel/api/clients/get/tg123-7");

  auto add = p.request(call(panel_op::create), call_step::write, panel, {});
  EXPECT_EQ(add.method, "POST");
  EXPECT_EQ(add.url, "https://203.0.113.5:2053/secret/panel/api/clients/add");
  auto body = json::parse(add.body);
  EXPECT_EQ(body["inboundIds"], json::array({3}));
  // The plan's limits and our identity reach the panel.
  EXPECT_EQ(body["client"]["email"], "tg123-7");
  EXPECT_EQ(body["client"]["totalGB"], 53687091200);
  EXPECT_EQ(body["client"]["limitIp"], 2);
  EXPECT_EQ(body["client"]["expiryTime"], 1767225600000);
  EXPECT_EQ(body["client"]["enable"], true);
  EXPECT_EQ(body["client"]["tgId"], 123);
  EXPECT_EQ(body["client"]["id"], "b831381d-6324-4d53-ad4f-8cda48b30811");
  EXPECT_EQ(body["client"]["subId"], "k3j9x0a1b2c3d4e5");

  auto update = p.request(call(panel_op::update), call_step::write, panel, {});
  EXPECT_EQ(update.method, "POST");
  EXPECT_EQ(update.url, "https://203.0.113.5:2053/secret/panel/api/clients/update/tg123-7");
  EXPECT_EQ(json::parse(update.body), body);

  auto del = p.request(call(panel_op::remove), call_step::write, panel, {});
  EXPECT_EQ(del.method, "POST");
  EXPECT_EQ(del.url, "https://203.0.113.5:2053/secret/panel/api/clients/del/tg123-7");
  EXPECT_TRUE(del.body.empty());

  auto traffic = p.request(call(panel_op::traffic), call_step::write, panel, {});
  EXPECT_EQ(traffic.method, "GET");
  EXPECT_EQ(traffic.url, "https://203.0.113.5:2053/secret/panel/api/clients/traffic/tg123-7");

  // The inbound endpoints stayed in 3.1.
  EXPECT_EQ(p.request(call(panel_op::list), call_step::write, panel, {}).url,
            "https://203.0.113.5:2053/secret/panel/api/inbounds/get/3");
  EXPECT_EQ(p.request(call(panel_op::inbound), call_step::write, panel, {}).url,
            "https://203.0.113.5:2053/secret/panel/api/inbounds/get/3");
}

TEST(Xui31Protocol, EmailsAreEscapedInThePath) {
  auto c = ours();
  c.email = "a/b c";
  EXPECT_EQ(clients_get_request(panel, {}, c.email).url,
            "https://203.0.113.5:2053/secret/panel/api/clients/get/a%2Fb%20c");
}

TEST(Xui31Protocol, CreateLooksUpFirstAndAdoptsAClientWithOurEmail) {
  xui31_protocol p;
  EXPECT_EQ(p.first_step(panel_op::create), call_step::lookup);
  EXPECT_EQ(p.first_step(panel_op::update), call_step::write);
  auto found = p.read(call(panel_op::create), call_step::lookup, 200, ok(panel_client_json()), v31);
  const auto* c = value<xui_client>(found);
  ASSERT_NE(c, nullptr);
  // The panel's own secrets: `uuid`, not the record's numeric id.
  EXPECT_EQ(c->id, "0b7d8f6e-1111-4222-8333-944455556666");
  EXPECT_EQ(c->sub_id, "zz9x0a1b2c3d4e5f");
  EXPECT_EQ(c->email, "tg123-7");
}

TEST(Xui31Protocol, CreateAddsWhenTheLookupFindsNothing) {
  xui31_protocol p;
  for (const auto* msg : {"Failed to get client (record not found)",
                          "Something went wrong (Client Not Found: tg123-7)"})
    EXPECT_EQ(next(p.read(call(panel_op::create), call_step::lookup, 200, failed(msg), v31)),
              call_step::write)
        << msg;
  // Any other refusal is an error, not a reason to add.
  EXPECT_EQ(panel_code(p.read(call(panel_op::create), call_step::lookup, 200, failed("boom"), v31)),
            panel_errc::rejected);
}

TEST(Xui31Protocol, AddAnswersTheClientThePanelMade) {
  xui31_protocol p;
  auto added = p.read(call(panel_op::create), call_step::write, 200, ok(panel_client_json()), v31);
  const auto* c = value<xui_client>(added);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->id, "0b7d8f6e-1111-4222-8333-944455556666");
  // No client in the answer: read it back; "exists": read it back too.
  EXPECT_EQ(next(p.read(call(panel_op::create), call_step::write, 200, ok(nullptr), v31)),
            call_step::verify);
  EXPECT_EQ(next(p.read(call(panel_op::create), call_step::write, 200,
                        failed("Something went wrong (Duplicate email: tg123-7)"), v31)),
            call_step::verify);
  auto verified =
      p.read(call(panel_op::create), call_step::verify, 200, ok(panel_client_json()), v31);
  EXPECT_NE(value<xui_client>(verified), nullptr);
  EXPECT_EQ(panel_code(p.read(call(panel_op::create), call_step::verify, 200,
                              failed("x (record not found)"), v31)),
            panel_errc::record_not_found);
}

TEST(Xui31Protocol, AClientUnderAnotherEmailIsNeverAdopted) {
  xui31_protocol p;
  auto other = panel_client_json();
  other["email"] = "tg123-8";
  EXPECT_EQ(panel_code(p.read(call(panel_op::create), call_step::lookup, 200, ok(other), v31)),
            panel_errc::malformed_reply);
  // The panel compares emails without case.
  other["email"] = "TG123-7";
  EXPECT_NE(
      value<xui_client>(p.read(call(panel_op::create), call_step::lookup, 200, ok(other), v31)),
      nullptr);
}

TEST(Xui31Protocol, UpdateDeleteAndTrafficOfAMissingClient) {
  xui31_protocol p;
  auto missing = failed("Something went wrong (record not found)");
  EXPECT_EQ(panel_code(p.read(call(panel_op::update), call_step::write, 200, missing, v31)),
            panel_errc::client_not_found);
  EXPECT_NE(value<std::monostate>(
                p.read(call(panel_op::update), call_step::write, 200, ok(nullptr), v31)),
            nullptr);
  // Deleting what is not there is done.
  EXPECT_NE(
      value<std::monostate>(p.read(call(panel_op::remove), call_step::write, 200, missing, v31)),
      nullptr);
  EXPECT_EQ(
      panel_code(p.read(call(panel_op::remove), call_step::write, 200, failed("locked"), v31)),
      panel_errc::rejected);
  EXPECT_EQ(panel_code(p.read(call(panel_op::traffic), call_step::write, 200, missing, v31)),
            panel_errc::client_not_found);
  EXPECT_EQ(panel_code(p.read(call(panel_op::traffic), call_step::write, 200, ok(nullptr), v31)),
            panel_errc::client_not_found);
}

TEST(Xui31Protocol, TrafficReadsTheRow) {
  xui31_protocol p;
  json row = {{"id", 5},
              {"inboundId", 3},
              {"enable", true},
              {"email", "tg123-7"},
              {"up", 100},
              {"down", 200},
              {"expiryTime", 1767225600000},
              {"total", 1000},
              {"reset", 0},
              {"allTime", 300},
              {"lastOnline", 0}};
  auto read = p.read(call(panel_op::traffic), call_step::write, 200, ok(row), v31);
  const auto* t = value<xui_client_traffic>(read);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->up, 100);
  EXPECT_EQ(t->down, 200);
  EXPECT_EQ(t->total_bytes, 1000);
}

TEST(Xui31Protocol, StatusesReadAsOn31) {
  xui31_protocol p;
  EXPECT_EQ(panel_code(p.read(call(panel_op::update), call_step::write, 401, "", v31)),
            panel_errc::session_expired);
  EXPECT_EQ(panel_code(p.read(call(panel_op::update), call_step::write, 403, "", v31)),
            panel_errc::csrf_rejected);
  EXPECT_EQ(panel_code(p.read(call(panel_op::update), call_step::write, 200, "<html>", v31)),
            panel_errc::malformed_reply);
}

TEST(Xui31Protocol, ClientsParseWithUuidOrId) {
  auto with_id = panel_client_json();
  with_id.erase("uuid");
  with_id["id"] = "0b7d8f6e-1111-4222-8333-944455556666";
  auto c = parse_client31(with_id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->id, "0b7d8f6e-1111-4222-8333-944455556666");
  auto numeric_only = panel_client_json();
  numeric_only.erase("uuid");
  auto n = parse_client31(numeric_only);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->id, "");
  EXPECT_FALSE(parse_client31(json::array()));
}

}  // namespace
}  // namespace vpnbot::panel
