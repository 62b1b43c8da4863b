#include "adapters/panel/xui_protocol.hpp"

#include <gtest/gtest.h>

#include "adapters/panel/panel_error.hpp"
#include "support/error_code_of.hpp"

namespace vpnbot::panel {
namespace {

using nlohmann::json;

const xui_endpoint xui_panel{"https://203.0.113.5:2053", "/secret/"};

std::optional<xui_version> v(std::string_view text) {
  return parse_xui_version(text);
}

std::string context(const caf::error& e) {
  auto& m = e.context();
  return m.size() == 1 && m.match_element<std::string>(0) ? m.get_as<std::string>(0) : "";
}

TEST(PanelProtocol, VersionsParseWithOrWithoutV) {
  EXPECT_EQ(v("2.8.5"), (xui_version{2, 8, 5}));
  EXPECT_EQ(v("v3.0.1"), (xui_version{3, 0, 1}));
  EXPECT_EQ(v("2.4"), (xui_version{2, 4, 0}));
  EXPECT_FALSE(v("3"));
  EXPECT_FALSE(v("3.0.1.2"));
  EXPECT_FALSE(v("3.x"));
  EXPECT_FALSE(v(""));
}

TEST(PanelProtocol, VersionLandmines) {
  EXPECT_EQ(session_cookie_name(v("2.3.9")), "session");
  EXPECT_EQ(session_cookie_name(v("2.4.0")), "3x-ui");
  EXPECT_EQ(session_cookie_name(std::nullopt), "3x-ui");
  EXPECT_FALSE(uses_csrf(v("2.9.4")));
  EXPECT_TRUE(uses_csrf(v("3.0.0")));
  EXPECT_TRUE(uses_csrf(std::nullopt));
  EXPECT_TRUE(has_legacy_client_api(v("3.0.2")));
  EXPECT_FALSE(has_legacy_client_api(v("3.1.0")));
}

TEST(PanelProtocol, BasePathBeginsAndEndsWithSlash) {
  EXPECT_EQ(normalize_base_path(""), "/");
  EXPECT_EQ(normalize_base_path("/"), "/");
  EXPECT_EQ(normalize_base_path("abc"), "/abc/");
  EXPECT_EQ(normalize_base_path("/abc"), "/abc/");
  EXPECT_EQ(normalize_base_path("abc/"), "/abc/");
  EXPECT_EQ(normalize_base_path("/a/b/"), "/a/b/");
}

TEST(PanelProtocol, EndpointSplitsOriginAndBasePath) {
  auto e = parse_endpoint("https://panel.example:2053/xyz");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->origin, "https://panel.example:2053");
  EXPECT_EQ(e->base_path, "/xyz/");
  EXPECT_EQ(e->url("login"), "https://panel.example:2053/xyz/login");
  EXPECT_EQ(parse_endpoint("http://[::1]:2053")->base_path, "/");
  EXPECT_FALSE(parse_endpoint("ftp://x/"));
  EXPECT_FALSE(parse_endpoint("https://user:pw@x/"));
  EXPECT_FALSE(parse_endpoint("https://x/?a=1"));
  EXPECT_FALSE(parse_endpoint("https:///path"));
}

TEST(PanelProtocol, LoginAsFormWithCsrfAndCookie) {
  xui_session s{"3x-ui=abc", "tok", ""};
  auto r = login_request(xui_panel, {"ad min", "p&ss", "123456"}, s);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://203.0.113.5:2053/secret/login");
  EXPECT_EQ(r.body, "username=ad+min&password=p%26ss&twoFactorCode=123456");
  EXPECT_EQ(*r.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(*r.header("X-CSRF-Token"), "tok");
  EXPECT_EQ(*r.header("Cookie"), "3x-ui=abc");
}

TEST(PanelProtocol, LoginAsJsonLeavesOutEmptyTwoFactorCode) {
  auto r = login_request(xui_panel, {"admin", "pw", ""}, {}, login_encoding::json);
  EXPECT_EQ(json::parse(r.body), json({{"username", "admin"}, {"password", "pw"}}));
  EXPECT_EQ(*r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("X-CSRF-Token"), nullptr);
  EXPECT_EQ(r.header("Cookie"), nullptr);
}

TEST(PanelProtocol, CsrfTokenIsAGetOnTheBasePath) {
  auto r = csrf_token_request(xui_panel, {});
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url, "https://203.0.113.5:2053/secret/csrf-token");
}

TEST(PanelProtocol, ApiRequestsCarryXhrCookieAndCsrfOnPostOnly) {
  xui_session s{"3x-ui=abc", "tok", ""};
  auto list = list_inbounds_request(xui_panel, s);
  EXPECT_EQ(list.url, "https://203.0.113.5:2053/secret/panel/api/inbounds/list");
  EXPECT_EQ(*list.header("X-Requested-With"), "XMLHttpRequest");
  EXPECT_EQ(list.header("X-CSRF-Token"), nullptr);
  auto onlines = onlines_request(xui_panel, s);
  EXPECT_EQ(onlines.method, "POST");
  EXPECT_EQ(onlines.url, "https://203.0.113.5:2053/secret/panel/api/inbounds/onlines");
  EXPECT_EQ(*onlines.header("X-CSRF-Token"), "tok");
}

TEST(PanelProtocol, BearerTokenReplacesCookieAndCsrf) {
  auto r = onlines_request(xui_panel, {"3x-ui=abc", "tok", "api-token"});
  EXPECT_EQ(*r.header("Authorization"), "Bearer api-token");
  EXPECT_EQ(r.header("Cookie"), nullptr);
  EXPECT_EQ(r.header("X-CSRF-Token"), nullptr);
}

TEST(PanelProtocol, ClientEndpointsAndBodies) {
  xui_client c;
  c.id = "b831381d-6324-4d53-ad4f-8cda48b30811";
  c.flow = "xtls-rprx-vision";
  c.email = "tg123-7";
  c.limit_ip = 2;
  c.total_bytes = 53687091200;
  c.expiry_time_ms = 1767225600000;
  c.tg_id = 123;
  c.sub_id = "k3j9x0a1b2c3d4e5";

  auto add = add_client_request(xui_panel, {}, 3, c);
  EXPECT_EQ(add.url, "https://203.0.113.5:2053/secret/panel/api/inbounds/addClient");
  auto body = json::parse(add.body);
  EXPECT_EQ(body["id"], 3);
  ASSERT_TRUE(body["settings"].is_string());
  auto settings = json::parse(body["settings"].get<std::string>());
  EXPECT_EQ(settings["clients"][0]["email"], "tg123-7");
  EXPECT_EQ(settings["clients"][0]["totalGB"], 53687091200);
  EXPECT_EQ(settings["clients"][0]["tgId"], 123);
  EXPECT_EQ(settings["clients"][0]["flow"], "xtls-rprx-vision");

  auto update = update_client_request(xui_panel, {}, 3, "old/id", c);
  EXPECT_EQ(update.url, "https://203.0.113.5:2053/secret/panel/api/inbounds/updateClient/old%2Fid");
  EXPECT_EQ(json::parse(update.body), body);

  auto del = delete_client_request(xui_panel, {}, 3, c.id);
  EXPECT_EQ(del.method, "POST");
  EXPECT_EQ(del.url,
            "https://203.0.113.5:2053/secret/panel/api/inbounds/3/delClient/"
            "b831381d-6324-4d53-ad4f-8cda48b30811");

  EXPECT_EQ(get_inbound_request(xui_panel, {}, 9).url,
            "https://203.0.113.5:2053/secret/panel/api/inbounds/get/9");
  EXPECT_EQ(client_traffics_request(xui_panel, {}, "tg1-2").url,
            "https://203.0.113.5:2053/secret/panel/api/inbounds/getClientTraffics/tg1-2");
}

TEST(PanelProtocol, SuccessReturnsObj) {
  auto r = read_reply(200, R"({"success":true,"msg":"","obj":[1,2]})", v("2.8.5"));
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, json::array({1, 2}));
  auto null_obj = read_reply(200, R"({"success":true,"msg":"ok","obj":null})", std::nullopt);
  ASSERT_TRUE(null_obj);
  EXPECT_TRUE(null_obj->is_null());
}

TEST(PanelProtocol, FailureIsClassifiedByGoErrorText) {
  auto reply = [](std::string_view msg) {
    return read_reply(200, json({{"success", false}, {"msg", msg}, {"obj", nullptr}}).dump(),
                      v("2.9.0"));
  };
  auto dup = reply("Something went wrong (Duplicate email: tg1-2\n)");
  EXPECT_EQ(panel_code(dup), panel_errc::duplicate_email);
  EXPECT_EQ(context(dup.error()), "Something went wrong (Duplicate email: tg1-2 )");
  EXPECT_EQ(panel_code(reply("Произошла ошибка (Client Not Found In Inbound For ID: x\n)")),
            panel_errc::client_not_found);
  EXPECT_EQ(panel_code(reply("Failed (no client remained in Inbound\n)")), panel_errc::last_client);
  EXPECT_EQ(panel_code(reply("Obtain Failed (record not found)")), panel_errc::record_not_found);
  EXPECT_EQ(panel_code(reply("Failed (empty client ID\n)")), panel_errc::empty_client_id);
  EXPECT_EQ(panel_code(reply("Something else")), panel_errc::rejected);
}

// 3x-ui answers in the panel's language: a long message is shortened to its
// 200 bytes between letters (it ends up in jobs.last_error, and PostgreSQL
// refuses a split letter).
TEST(PanelProtocol, ALongLocalizedFailureIsShortenedBetweenLetters) {
  std::string msg = "x";  // then letters of 2 bytes: byte 200 is inside one
  for (int i = 0; i < 150; ++i) msg += "ш";
  auto r = read_reply(200, json({{"success", false}, {"msg", msg}, {"obj", nullptr}}).dump(),
                      v("2.9.0"));
  ASSERT_FALSE(r);
  EXPECT_EQ(context(r.error()), msg.substr(0, 199));
}

TEST(PanelProtocol, SuccessFlagDecidesEvenWhenMsgLooksLikeAnError) {
  auto r = read_reply(200, R"({"success":true,"msg":"Duplicate email","obj":null})", v("2.9.0"));
  EXPECT_TRUE(r);
}

TEST(PanelProtocol, UnauthenticatedRepliesMeanSessionExpiredPerVersion) {
  // Before v2.8.4: 401 with an envelope for XHR, 307 to the base path otherwise.
  EXPECT_EQ(panel_code(
                read_reply(401, R"({"success":false,"msg":"login again","obj":null})", v("2.6.8"))),
            panel_errc::session_expired);
  EXPECT_EQ(panel_code(read_reply(307, "", v("2.7.0"))), panel_errc::session_expired);
  // v2.8.4 to v3.0.1: a bare 404.
  EXPECT_EQ(panel_code(read_reply(404, "", v("2.8.5"))), panel_errc::session_expired);
  EXPECT_EQ(panel_code(read_reply(404, "", v("3.0.1"))), panel_errc::session_expired);
  // From v3.0.2: a bare 401 for XHR (a 404 then means the route is gone).
  EXPECT_EQ(panel_code(read_reply(401, "", v("3.0.2"))), panel_errc::session_expired);
  EXPECT_EQ(panel_code(read_reply(404, "", v("3.1.0"))), panel_errc::endpoint_missing);
  EXPECT_EQ(panel_code(read_reply(404, "", v("2.6.8"))), panel_errc::endpoint_missing);
  EXPECT_EQ(panel_code(read_reply(307, "", v("2.9.0"))), panel_errc::unexpected_status);
  // Unknown version: every sign counts.
  EXPECT_EQ(panel_code(read_reply(404, "", std::nullopt)), panel_errc::session_expired);
  EXPECT_EQ(panel_code(read_reply(307, "", std::nullopt)), panel_errc::session_expired);
  EXPECT_EQ(panel_code(read_reply(404, "404 page not found", std::nullopt)),
            panel_errc::endpoint_missing);
}

TEST(PanelProtocol, OtherStatuses) {
  EXPECT_EQ(panel_code(read_reply(500, "", v("2.9.0"))), panel_errc::server_panic);
  EXPECT_EQ(panel_code(read_reply(403, "", v("3.0.0"))), panel_errc::csrf_rejected);
  EXPECT_EQ(panel_code(read_reply(403, "", v("2.9.0"))), panel_errc::unexpected_status);
  EXPECT_EQ(panel_code(read_reply(502, "bad gateway", v("2.9.0"))), panel_errc::unexpected_status);
  EXPECT_EQ(panel_code(read_reply(200, "<html>", v("2.9.0"))), panel_errc::malformed_reply);
  EXPECT_EQ(panel_code(read_reply(200, R"({"msg":"x"})", v("2.9.0"))), panel_errc::malformed_reply);
}

TEST(PanelProtocol, LoginReply) {
  EXPECT_TRUE(read_login_reply(200, R"({"success":true,"msg":"ok","obj":null})", v("2.9.0")));
  auto bad = read_login_reply(
      200, R"({"success":false,"msg":"Wrong username or password","obj":null})", v("2.9.0"));
  EXPECT_EQ(panel_code(bad), panel_errc::login_failed);
  EXPECT_EQ(panel_code(read_login_reply(403, "", v("3.0.0"))), panel_errc::csrf_rejected);
}

TEST(PanelProtocol, CsrfReply) {
  auto t = read_csrf_reply(200, R"({"success":true,"obj":"q1w2e3"})", v("3.0.0"));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, "q1w2e3");
  EXPECT_EQ(panel_code(read_csrf_reply(200, R"({"success":true,"obj":null})", v("3.0.0"))),
            panel_errc::malformed_reply);
}

TEST(PanelProtocol, SessionCookieFromSetCookie) {
  EXPECT_EQ(
      session_cookie({"3x-ui=MTcx-abc_; Path=/secret/; Max-Age=21600; HttpOnly; SameSite=Lax"}),
      "3x-ui=MTcx-abc_");
  EXPECT_EQ(session_cookie({"lang=en; Path=/", "session=old-style; Path=/; HttpOnly"}),
            "session=old-style");
  // The last live one wins; deletions and other cookies do not count.
  EXPECT_EQ(session_cookie({"3x-ui=first; Path=/", "3x-ui=second; Path=/"}), "3x-ui=second");
  EXPECT_EQ(session_cookie({"session=; Path=/; Max-Age=0", "3x-ui=live; Path=/"}), "3x-ui=live");
  EXPECT_FALSE(session_cookie({"3x-ui=live; Path=/", "3x-ui=; Path=/; Max-Age=0"}));
  EXPECT_FALSE(session_cookie({"3x-ui=gone; Path=/; Max-Age=-1"}));
  EXPECT_FALSE(session_cookie({"lang=en"}));
  EXPECT_FALSE(session_cookie({}));
}

}  // namespace
}  // namespace vpnbot::panel
