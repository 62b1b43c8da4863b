// The HTTP admin API end to end: the whole service (bot_harness) with
// api.token set, real loopback HTTP, real PostgreSQL. Every route answers
// an authorised call; a missing or wrong token is 401 and changes nothing;
// no token configured is 404; bad input is 400 naming the field; an
// Idempotency-Key repeat gets the first answer; and a ban reaches the
// 3x-ui emulator (the client disabled, then enabled again on unban).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "adapters/emulators/http_call.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr const char* token = "test-token-0123456789";

struct AdminApi : fresh_database {
  bot_api_emulator emu;
  std::unique_ptr<bot_harness> service;
  uint16_t port = 0;

  void start(const std::string& api_token = token,
             std::vector<config::panel_settings> panels = {}) {
    auto s = bot_test_settings(url, emu);
    s.api.token = api_token;
    s.panels = std::move(panels);
    s.panel_defaults.connect_timeout = 2s;
    s.panel_defaults.call_timeout = 2s;
    service = std::make_unique<bot_harness>(s);
    port = service->http_port();
    ASSERT_NE(port, 0);
    // Alice (501) and Bob (502), as /start would make them.
    service->query(
        "INSERT INTO users (telegram_id, username, first_name, referral_code) VALUES"
        " (501, 'alice', 'Alice', 'alicecode'), (502, 'bob', 'Bob', 'bobcode1') RETURNING id");
  }

  http_result call(const std::string& method, const std::string& target,
                   const std::string& body = {}, std::map<std::string, std::string> headers = {},
                   const std::string& bearer = token) {
    if (!bearer.empty()) headers["Authorization"] = "Bearer " + bearer;
    if (!body.empty()) headers["Content-Type"] = "application/json";
    return http_call(port, method, target, body, headers);
  }

  // The API's own answer eventually: the route is registered shortly after start.
  http_result first_call(const std::string& method, const std::string& target) {
    http_result r;
    eventually([&] {
      r = call(method, target);
      return r.status != 404 || r.body.find("no such path") == std::string::npos;
    });
    return r;
  }

  std::string q(const std::string& sql) { return service->query(sql); }

  // Everything the mutating routes could change, as one text.
  std::string fingerprint() {
    return q(
        "SELECT (SELECT count(*) FROM audit_log) || '/' || (SELECT count(*) FROM jobs) || '/'"
        " || (SELECT count(*) FROM balance_ledger) || '/' || (SELECT count(*) FROM"
        " subscriptions) || '/' || (SELECT count(*) FROM users WHERE banned) || '/' ||"
        " (SELECT count(*) FROM telegram_outbox) || '/' || (SELECT count(*) FROM"
        " api_idempotency) || '/' || (SELECT count(*) FROM broadcasts) || '/' ||"
        " (SELECT count(*) FROM promo_codes WHERE enabled)");
  }
};

TEST_F(AdminApi, WithoutATokenConfiguredTheApiIsNotThere) {
  start("");
  auto r = call("GET", "/api/v1/stats");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(call("GET", "/api/v1/openapi.json").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/users/501/ban").status, 404);
  EXPECT_EQ(q("SELECT banned FROM users WHERE telegram_id = 501"), "f");
}

TEST_F(AdminApi, EveryRouteRefusesAMissingOrWrongTokenWith401AndChangesNothing) {
  start();
  ASSERT_EQ(first_call("GET", "/api/v1/stats").status, 200);
  auto before = fingerprint();
  struct probe {
    std::string method, target, body;
  };
  std::vector<probe> probes{
      {"GET", "/api/v1/stats", ""},
      {"GET", "/api/v1/users?q=501", ""},
      {"GET", "/api/v1/users/501", ""},
      {"POST", "/api/v1/users/501/grant", R"({"days":30})"},
      {"POST", "/api/v1/users/501/ban", ""},
      {"POST", "/api/v1/users/501/unban", ""},
      {"POST", "/api/v1/users/501/balance", R"({"delta_minor":5000,"currency":"RUB"})"},
      {"POST", "/api/v1/users/501/resend-key", ""},
      {"GET", "/api/v1/payments", ""},
      {"POST", "/api/v1/payments/00000000-0000-4000-8000-000000000000/refund", ""},
      {"GET", "/api/v1/webhook-events?status=dead", ""},
      {"POST", "/api/v1/webhook-events/1/replay", ""},
      {"POST", "/api/v1/broadcasts", R"({"text":"hi","segment":"all"})"},
      {"GET", "/api/v1/broadcasts/1", ""},
      {"POST", "/api/v1/broadcasts/1/pause", ""},
      {"POST", "/api/v1/broadcasts/1/resume", ""},
      {"POST", "/api/v1/broadcasts/1/cancel", ""},
      {"POST", "/api/v1/promo-codes", R"({"code":"GIFT","kind":"days","amount":7})"},
      {"GET", "/api/v1/promo-codes", ""},
      {"POST", "/api/v1/promo-codes/GIFT/disable", ""},
      {"GET", "/api/v1/openapi.json", ""},
  };
  for (const auto& p : probes) {
    for (const auto& bearer :
         std::vector<std::string>{"", "wrong-token", std::string(token) + "x"}) {
      auto r = call(p.method, p.target, p.body, {{"Idempotency-Key", "k-" + p.target}}, bearer);
      EXPECT_EQ(r.status, 401) << p.method << " " << p.target << " with '" << bearer << "'";
      EXPECT_EQ(json::parse(r.body, nullptr, false).value("error", ""), "unauthorized") << r.body;
      EXPECT_EQ(r.headers["www-authenticate"], "Bearer");
    }
    // Another scheme with the right token is no bearer token either.
    auto basic = http_call(port, p.method, p.target, p.body, {{"Authorization", token}});
    EXPECT_EQ(basic.status, 401) << p.target;
  }
  EXPECT_EQ(fingerprint(), before);
}

TEST_F(AdminApi, StatsUsersAndTheCard) {
  start();
  auto stats = first_call("GET", "/api/v1/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(json::parse(stats.body)["users"]["total"], 2);
  auto found = call("GET", "/api/v1/users?q=%40alice");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(json::parse(found.body)["users"][0]["telegram_id"], 501);
  EXPECT_EQ(json::parse(call("GET", "/api/v1/users?q=bobcode1").body)["users"][0]["telegram_id"],
            502);
  auto card = call("GET", "/api/v1/users/502");
  ASSERT_EQ(card.status, 200) << card.body;
  EXPECT_EQ(json::parse(card.body)["username"], "bob");
  auto missing = call("GET", "/api/v1/users/999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body)["error"], "not_found");
}

TEST_F(AdminApi, GrantBalanceResendAndBanChangeWhatTheySayAndAuditAsApi) {
  start();
  ASSERT_EQ(first_call("GET", "/api/v1/stats").status, 200);
  auto grant = call("POST", "/api/v1/users/501/grant", R"({"days":30})");
  ASSERT_EQ(grant.status, 200) << grant.body;
  EXPECT_TRUE(json::parse(grant.body)["created"].get<bool>());
  EXPECT_EQ(q("SELECT count(*) FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE"
              " u.telegram_id = 501"),
            "1");
  auto more = call("POST", "/api/v1/users/501/grant", R"({"days":-3})");
  ASSERT_EQ(more.status, 200) << more.body;
  EXPECT_EQ(q("SELECT round(extract(epoch from expires_at - now()) / 86400) FROM subscriptions"),
            "27");

  auto balance = call("POST", "/api/v1/users/501/balance",
                      R"({"delta_minor":5000,"currency":"RUB","note":"sorry for the outage"})");
  ASSERT_EQ(balance.status, 200) << balance.body;
  EXPECT_EQ(json::parse(balance.body)["balance_minor"], 5000);
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = 501"), "5000");
  auto overdraft =
      call("POST", "/api/v1/users/501/balance", R"({"delta_minor":-9000,"currency":"RUB"})");
  EXPECT_EQ(overdraft.status, 409) << overdraft.body;

  EXPECT_EQ(call("POST", "/api/v1/users/501/resend-key").status, 409);  // no key issued yet
  q("UPDATE subscriptions SET access_link = 'vless://k@h:443'");
  auto resent = call("POST", "/api/v1/users/501/resend-key");
  ASSERT_EQ(resent.status, 200) << resent.body;
  // The outbox delivers it to the user like the key after a purchase.
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 10s));
  bool link_sent = false;
  for (const auto& m : emu.calls("sendMessage"))
    link_sent |= m.params["text"].get<std::string>().find("vless://k@h:443") != std::string::npos;
  EXPECT_TRUE(link_sent);

  auto ban = call("POST", "/api/v1/users/501/ban");
  ASSERT_EQ(ban.status, 200) << ban.body;
  EXPECT_EQ(json::parse(ban.body)["subscriptions"], 1);
  EXPECT_EQ(q("SELECT banned FROM users WHERE telegram_id = 501"), "t");
  auto unban = call("POST", "/api/v1/users/501/unban");
  ASSERT_EQ(unban.status, 200) << unban.body;
  EXPECT_EQ(q("SELECT banned FROM users WHERE telegram_id = 501"), "f");
  EXPECT_EQ(q("SELECT string_agg(DISTINCT actor, ',') FROM audit_log"), "api");
  EXPECT_EQ(q("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log"),
            "grant_days,take_days,adjust_balance,resend_key,ban,unban");
  EXPECT_EQ(call("POST", "/api/v1/users/999/ban").status, 404);
}

TEST_F(AdminApi, BadInputIs400NamingTheFieldAndChangesNothing) {
  start();
  ASSERT_EQ(first_call("GET", "/api/v1/stats").status, 200);
  auto before = fingerprint();
  struct probe {
    std::string method, target, body, field;
  };
  std::vector<probe> probes{
      {"POST", "/api/v1/users/501/grant", R"({"days":"thirty"})", "days"},
      {"POST", "/api/v1/users/501/grant", R"({"days":0})", "days"},
      {"POST", "/api/v1/users/501/grant", R"({})", "days"},
      {"POST", "/api/v1/users/501/grant", R"({"days":1.5})", "days"},
      {"POST", "/api/v1/users/alice/grant", R"({"days":3})", "telegram_id"},
      {"POST", "/api/v1/users/501/grant", R"(not json)", "body"},
      {"POST", "/api/v1/users/501/balance", R"({"currency":"RUB"})", "delta_minor"},
      {"POST", "/api/v1/users/501/balance", R"({"delta_minor":5})", "currency"},
      {"POST", "/api/v1/users/501/balance", R"({"delta_minor":5,"currency":"USD"})", "currency"},
      {"POST", "/api/v1/users/501/balance", R"({"delta_minor":5,"currency":"RUB","note":7})",
       "note"},
      {"GET", "/api/v1/users?q=", "", "q"},
      {"GET", "/api/v1/users/x1", "", "telegram_id"},
      {"GET", "/api/v1/payments?status=paid", "", "status"},
      {"GET", "/api/v1/payments?user=bob", "", "user"},
      {"GET", "/api/v1/webhook-events?status=odd", "", "status"},
      {"POST", "/api/v1/webhook-events/x/replay", "", "id"},
      {"POST", "/api/v1/payments/00000000-0000-4000-8000-000000000000/refund",
       R"({"amount_minor":"all"})", "amount_minor"},
      {"POST", "/api/v1/broadcasts", R"({"segment":"all"})", "text"},
      {"POST", "/api/v1/broadcasts", R"({"text":"hi","segment":"everyone"})", "segment"},
      {"POST", "/api/v1/broadcasts", R"({"text":"hi","paid":"yes"})", "paid"},
      {"POST", "/api/v1/broadcasts", R"([1])", "body"},
      {"GET", "/api/v1/broadcasts/x", "", "id"},
      {"POST", "/api/v1/broadcasts/x/cancel", "", "id"},
      {"POST", "/api/v1/promo-codes", R"({"kind":"days","amount":7})", "code"},
      {"POST", "/api/v1/promo-codes", R"({"code":"GIFT","kind":"free","amount":7})", "kind"},
      {"POST", "/api/v1/promo-codes", R"({"code":"GIFT","kind":"days","amount":"7"})", "amount"},
  };
  for (const auto& p : probes) {
    auto r = call(p.method, p.target, p.body);
    EXPECT_EQ(r.status, 400) << p.method << " " << p.target << " " << p.body << ": " << r.body;
    auto body = json::parse(r.body, nullptr, false);
    EXPECT_EQ(body.value("field", ""), p.field) << p.target << " " << r.body;
  }
  EXPECT_EQ(fingerprint(), before);
}

TEST_F(AdminApi, PaymentsListRefundAndWebhookEventReplay) {
  start();
  ASSERT_EQ(first_call("GET", "/api/v1/stats").status, 200);
  auto cb =
      q("INSERT INTO payments (user_id, purpose, provider, provider_payment_id, amount,"
        " currency, status, finalized_at) SELECT id, 'topup', 'cryptobot', 'cb-1', 30000,"
        " 'RUB', 'succeeded', now() FROM users WHERE telegram_id = 501 RETURNING id");
  auto list = call("GET", "/api/v1/payments?status=succeeded&provider=cryptobot&user=501");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(json::parse(list.body)["payments"].size(), 1u);
  EXPECT_EQ(json::parse(list.body)["payments"][0]["id"], cb);
  EXPECT_EQ(json::parse(call("GET", "/api/v1/payments?user=502").body)["payments"].size(), 0u);
  auto refund = call("POST", "/api/v1/payments/" + cb + "/refund", R"({"amount_minor":null})");
  EXPECT_EQ(refund.status, 409) << refund.body;
  EXPECT_NE(refund.body.find("cryptobot"), std::string::npos) << refund.body;
  EXPECT_EQ(call("POST", "/api/v1/payments/00000000-0000-4000-8000-000000000000/refund").status,
            404);

  auto dead =
      q("INSERT INTO webhook_events (provider, event_id, raw_body, signature_ok,"
        " processed_at, outcome, attempts) VALUES ('yookassa', 'e-1', '{}', true, now(),"
        " 'dead', 8) RETURNING id");
  auto events = call("GET", "/api/v1/webhook-events?status=dead");
  ASSERT_EQ(events.status, 200) << events.body;
  ASSERT_EQ(json::parse(events.body)["events"].size(), 1u);
  auto replay = call("POST", "/api/v1/webhook-events/" + dead + "/replay");
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'replay_webhook_event'"), "1");
  EXPECT_EQ(call("POST", "/api/v1/webhook-events/999999/replay").status, 404);
}

TEST_F(AdminApi, ABroadcastStartedOverTheApiReachesEveryoneOnceAndItsStateIsFollowed) {
  start();
  ASSERT_EQ(first_call("GET", "/api/v1/stats").status, 200);
  auto made = call("POST", "/api/v1/broadcasts", R"({"text":"<b>News</b>","segment":"all"})",
                   {{"Idempotency-Key", "bc-1"}});
  ASSERT_EQ(made.status, 200) << made.body;
  auto id = std::to_string(json::parse(made.body)["id"].get<int64_t>());
  EXPECT_EQ(json::parse(made.body)["total"], 2);
  // The same key again: the first answer, no second broadcast.
  EXPECT_EQ(call("POST", "/api/v1/broadcasts", R"({"text":"<b>News</b>","segment":"all"})",
                 {{"Idempotency-Key", "bc-1"}})
                .body,
            made.body);
  EXPECT_EQ(q("SELECT count(*) FROM broadcasts"), "1");
  json progress;
  ASSERT_TRUE(eventually([&] {
    progress = json::parse(call("GET", "/api/v1/broadcasts/" + id).body);
    return progress.value("state", "") == "done";
  }));
  EXPECT_EQ(progress["sent"], 2);
  EXPECT_EQ(progress["failed"], 0);
  EXPECT_EQ(progress["blocked"], 0);
  std::multiset<int64_t> chats;
  for (const auto& c : emu.calls("sendMessage"))
    if (c.params.value("text", "") == "<b>News</b>")
      chats.insert(c.params["chat_id"].get<int64_t>());
  EXPECT_EQ(chats, (std::multiset<int64_t>{501, 502}));
  // A finished broadcast cannot be paused or cancelled; an unknown one is not there.
  EXPECT_EQ(call("POST", "/api/v1/broadcasts/" + id + "/pause").status, 409);
  EXPECT_EQ(call("POST", "/api/v1/broadcasts/" + id + "/cancel").status, 409);
  EXPECT_EQ(call("GET", "/api/v1/broadcasts/999999").status, 404);
  EXPECT_EQ(q("SELECT actor || ' ' || action || ' ' || subject FROM audit_log"
              " WHERE action LIKE 'broadcast%'"),
            "api broadcast_start broadcast:" + id);
}

TEST_F(AdminApi, PromoCodesAreCreatedListedWithTheirUsesAndDisabled) {
  start();
  ASSERT_EQ(first_call("GET", "/api/v1/stats").status, 200);
  auto made = call("POST", "/api/v1/promo-codes",
                   R"({"code":"SPRING","kind":"percent_off","amount":20,"uses_limit":100})");
  ASSERT_EQ(made.status, 200) << made.body;
  EXPECT_EQ(json::parse(made.body)["code"], "SPRING");
  EXPECT_EQ(json::parse(made.body)["uses"], 0);
  // The same code again, in another case: refused, naming the code.
  auto again = call("POST", "/api/v1/promo-codes", R"({"code":"spring","kind":"days","amount":7})");
  EXPECT_EQ(again.status, 400) << again.body;
  EXPECT_EQ(json::parse(again.body).value("field", ""), "code");
  auto listed = json::parse(call("GET", "/api/v1/promo-codes").body)["promo_codes"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["kind"], "percent_off");
  EXPECT_EQ(listed[0]["uses_limit"], 100);
  EXPECT_EQ(listed[0]["enabled"], true);
  EXPECT_EQ(call("POST", "/api/v1/promo-codes/SPRING/disable").status, 200);
  EXPECT_EQ(json::parse(call("GET", "/api/v1/promo-codes").body)["promo_codes"][0]["enabled"],
            false);
  EXPECT_EQ(call("POST", "/api/v1/promo-codes/NOSUCH/disable").status, 404);
  EXPECT_EQ(q("SELECT string_agg(actor || ' ' || action || ' ' || subject, ',' ORDER BY id)"
              " FROM audit_log WHERE action LIKE 'promo%'"),
            "api promo_code_create promo:SPRING,api promo_code_disable promo:SPRING");
}

TEST_F(AdminApi, AnIdempotencyKeyRepeatGetsTheFirstAnswerAndChangesNothing) {
  start();
  ASSERT_EQ(first_call("GET", "/api/v1/stats").status, 200);
  auto first = call("POST", "/api/v1/users/501/balance", R"({"delta_minor":100,"currency":"RUB"})",
                    {{"Idempotency-Key", "credit-1"}});
  ASSERT_EQ(first.status, 200) << first.body;
  auto repeat = call("POST", "/api/v1/users/501/balance", R"({"delta_minor":100,"currency":"RUB"})",
                     {{"Idempotency-Key", "credit-1"}});
  EXPECT_EQ(repeat.status, 200);
  EXPECT_EQ(repeat.body, first.body);
  EXPECT_EQ(repeat.headers["idempotent-replayed"], "true");
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = 501"), "100");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log"), "1");
  // A refusal is an answer too: the repeat gets it again.
  auto refused =
      call("POST", "/api/v1/users/999/grant", R"({"days":1})", {{"Idempotency-Key", "grant-x"}});
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(
      call("POST", "/api/v1/users/999/grant", R"({"days":1})", {{"Idempotency-Key", "grant-x"}})
          .body,
      refused.body);
  // The same key on another call is refused.
  auto reused = call("POST", "/api/v1/users/502/ban", "", {{"Idempotency-Key", "credit-1"}});
  EXPECT_EQ(reused.status, 422) << reused.body;
  EXPECT_EQ(q("SELECT banned FROM users WHERE telegram_id = 502"), "f");
  // Without a key each call acts.
  call("POST", "/api/v1/users/501/balance", R"({"delta_minor":100,"currency":"RUB"})");
  EXPECT_EQ(q("SELECT balance FROM users WHERE telegram_id = 501"), "200");
}

TEST_F(AdminApi, TheOpenApiDocumentListsTheRoutes) {
  start();
  auto doc = first_call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200) << doc.body;
  auto d = json::parse(doc.body);
  EXPECT_EQ(d["openapi"], "3.1.0");
  EXPECT_TRUE(d["paths"]["/api/v1/users/{telegram_id}/grant"].contains("post"));
  EXPECT_EQ(call("DELETE", "/api/v1/stats").status, 405);
  EXPECT_EQ(call("GET", "/api/v1/nothing-here").status, 404);
}

TEST_F(AdminApi, ABannedUsersClientIsDisabledOnThePanelAndEnabledAgainOnUnban) {
  xui_emulator panel;
  auto p = panel_settings_for(panel, "main");
  start(token, {p});
  ASSERT_EQ(first_call("GET", "/api/v1/stats").status, 200);
  // A granted subscription becomes a client on the panel, its key sent.
  ASSERT_EQ(call("POST", "/api/v1/users/501/grant", R"({"days":30})").status, 200);
  auto email = q("SELECT client_email FROM subscriptions");
  ASSERT_TRUE(eventually([&] {
    auto c = panel.client(email);
    return c && c->enable;
  }));
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 10s));

  ASSERT_EQ(call("POST", "/api/v1/users/501/ban").status, 200);
  ASSERT_TRUE(eventually([&] {
    auto c = panel.client(email);
    return c && !c->enable;
  }));
  EXPECT_EQ(q("SELECT string_agg(state, ',') FROM jobs WHERE kind = 'disable_client'"), "done");
  // The user hears why, once.
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 2, 10s));
  // While banned, nothing turns it back on: a grant's extension keeps it off.
  ASSERT_EQ(call("POST", "/api/v1/users/501/grant", R"({"days":1})").status, 200);
  ASSERT_TRUE(
      eventually([&] { return q("SELECT count(*) FROM jobs WHERE state <> 'done'") == "0"; }));
  EXPECT_FALSE(panel.client(email)->enable);

  ASSERT_EQ(call("POST", "/api/v1/users/501/unban").status, 200);
  ASSERT_TRUE(eventually([&] {
    auto c = panel.client(email);
    return c && c->enable;
  }));
}

}  // namespace
}  // namespace vpnbot::testing_support
