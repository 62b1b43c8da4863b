// Operators' refunds made at YooKassa end to end: the whole service
// (bot_harness) with the admin API on, a 30-day plan bought and paid
// through the YooKassa emulator, then POST /api/v1/payments/{id}/refund:
// 202 with the request, the refund_sender's POST /v3/refunds with our
// Idempotence-Key, the take-back (subscription shortened or ended, the user
// told, audited), each checked in the database and at the emulator. Faults:
// 5xx before success, an answer lost after YooKassa refunded, the
// refund.succeeded notification before and after our record, a refusal,
// a cancellation, an over-refund and two operators at once.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/emulators/http_call.hpp"
#include "adapters/emulators/payments/yookassa_emulator.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "adapters/metrics/registry.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t refund_payer = 3101;
constexpr const char* token = "refund-token-0123456789";

struct ProviderRefunds : fresh_database {
  std::unique_ptr<bot_api_emulator> emu;
  std::unique_ptr<xui_emulator> panel;
  std::unique_ptr<yookassa_emulator> yoo;
  std::unique_ptr<bot_harness> bot;
  uint16_t port = 0;

  void start(std::chrono::milliseconds refund_interval = 100ms,
             std::chrono::milliseconds call_timeout = 15s) {
    emu = std::make_unique<bot_api_emulator>();
    panel = std::make_unique<xui_emulator>();
    yoo = std::make_unique<yookassa_emulator>();
    auto s = bot_test_settings(url, *emu);
    s.panels = {panel_settings_for(*panel)};
    s.yookassa.api_base = yoo->api_base();
    s.yookassa.shop_id = yoo->shop_id();
    s.yookassa.secret_key = yoo->secret_key();
    s.yookassa.check_source_ip = false;  // the emulator posts from 127.0.0.1
    s.payments.issue_interval = 100ms;
    s.payments.watch_interval = 1h;
    s.payments.refund_interval = refund_interval;
    s.payments.call_timeout = call_timeout;
    s.api.token = token;
    bot = std::make_unique<bot_harness>(s);
    port = bot->http_port();
    ASSERT_NE(port, 0);
  }

  void TearDown() override {
    bot.reset();
    fresh_database::TearDown();
  }

  std::string q(const std::string& sql) { return bot->query(sql); }

  json nth(const std::string& method, std::size_t n) { return nth_call(*emu, method, n); }
  json offering(const std::string& method, std::size_t after, const std::string& label) {
    return call_offering(*emu, method, after, label);
  }

  // /start, Buy, 30 days, Bank card, paid and notified: our payment id and
  // YooKassa's, once the payment has succeeded.
  std::pair<std::string, std::string> paid_plan() {
    auto before = emu->calls("sendMessage").size();
    emu->push_text(refund_payer, "/start");
    auto menu = offering("sendMessage", before, "Buy");
    auto edits = emu->calls("editMessageText").size();
    emu->push_callback(refund_payer, 70, callback_of(menu, "Buy"));
    auto plans = nth("editMessageText", edits + 1);
    emu->push_callback(refund_payer, 70, callback_of(plans, "30 days"));
    auto methods = nth("editMessageText", edits + 2);
    emu->push_callback(refund_payer, 70, callback_of(methods, "Bank card"));
    nth("editMessageText", edits + 3);
    auto id = q("SELECT id FROM payments ORDER BY created_at DESC LIMIT 1");
    std::string yk;
    EXPECT_TRUE(eventually(
        [&] {
          yk = q("SELECT coalesce(provider_payment_id, '') FROM payments WHERE id = '" + id + "'");
          return !yk.empty();
        },
        15s));
    EXPECT_EQ(notify(yoo->pay(yk)), 200);
    EXPECT_TRUE(eventually([&] { return status_of(id) == "succeeded"; }, 15s));
    EXPECT_TRUE(eventually([&] { return q("SELECT count(*) FROM subscriptions") == "1"; }, 15s));
    return {id, yk};
  }

  int notify(const std::string& body) {
    return http_call(port, "POST", "/pay/yookassa", body, {{"Content-Type", "application/json"}})
        .status;
  }

  http_result refund(const std::string& payment_id, const std::string& body) {
    return http_call(
        port, "POST", "/api/v1/payments/" + payment_id + "/refund", body,
        {{"Authorization", std::string("Bearer ") + token}, {"Content-Type", "application/json"}});
  }

  std::string status_of(const std::string& payment_id) {
    return q("SELECT status FROM payments WHERE id = '" + payment_id + "'");
  }

  std::string request_status(const std::string& request_id) {
    return q("SELECT status FROM refund_requests WHERE id = '" + request_id + "'");
  }

  // The POST /v3/refunds the emulator's server received, answered or not.
  std::vector<http_request> refund_posts() {
    std::vector<http_request> out;
    for (const auto& r : yoo->server().requests())
      if (r.method == "POST" && r.path == "/v3/refunds") out.push_back(r);
    return out;
  }

  int refund_messages() {
    int n = 0;
    for (const auto& c : emu->calls("sendMessage"))
      if (c.params.value("chat_id", int64_t{0}) == refund_payer &&
          c.params.value("text", "").find("Refund of") != std::string::npos)
        ++n;
    return n;
  }

  std::string requested(const http_result& r) {
    EXPECT_EQ(r.status, 202) << r.body;
    auto body = json::parse(r.body, nullptr, false);
    EXPECT_EQ(body.value("status", ""), "requested") << r.body;
    return body.value("request_id", "");
  }
};

TEST_F(ProviderRefunds, AnApiRefundIsMadeOnceAtYooKassaWithOurKeyAndTakenBack) {
  start();
  auto [id, yk] = paid_plan();
  auto request = requested(refund(id, R"({"amount_minor":null})"));
  ASSERT_FALSE(request.empty());
  ASSERT_TRUE(eventually([&] { return request_status(request) == "succeeded"; }, 15s));
  auto posts = refund_posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(*posts[0].header("idempotence-key"), request);
  EXPECT_EQ(json::parse(posts[0].body),
            (json{{"payment_id", yk}, {"amount", {{"value", "199.00"}, {"currency", "RUB"}}}}));
  ASSERT_EQ(yoo->refunds_of(yk).size(), 1u);
  auto refund_id = yoo->refunds_of(yk)[0]["id"].get<std::string>();
  EXPECT_EQ(q("SELECT provider_refund_id FROM refund_requests"), refund_id);
  EXPECT_EQ(q("SELECT refund_id || '/' || amount FROM payment_refunds"), refund_id + "/19900");
  EXPECT_EQ(status_of(id), "refunded");
  EXPECT_EQ(q("SELECT status FROM subscriptions"), "expired");
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE kind = 'disable_client'"), "1");
  EXPECT_TRUE(eventually([&] { return refund_messages() == 1; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE actor = 'api' AND action = 'refund_requested'"
              " AND subject = 'payment:" +
              id + "'"),
            "1");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'refund_applied'"), "1");
  // YooKassa's own notification of that refund, later: applied already.
  EXPECT_EQ(notify(yoo->settle_refund(refund_id)), 200);
  ASSERT_TRUE(eventually(
      [&] {
        return q("SELECT coalesce(outcome, '') FROM webhook_events WHERE event_id ="
                 " 'refund.succeeded:" +
                 refund_id + "'") == "already_refunded";
      },
      15s));
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'refund_applied'"), "1");
  // A refunded payment is refunded no more.
  EXPECT_EQ(refund(id, R"({"amount_minor":null})").status, 409);
  EXPECT_EQ(refund_posts().size(), 1u);
}

TEST_F(ProviderRefunds, ARequestIsSentAtItsCommitNotAtTheNextScan) {
  start(1h);  // the scan runs once, at the sender's start
  auto [id, yk] = paid_plan();
  auto request = requested(refund(id, R"({"amount_minor":null})"));
  ASSERT_TRUE(eventually([&] { return request_status(request) == "succeeded"; }, 15s));
  EXPECT_EQ(refund_posts().size(), 1u);
  EXPECT_EQ(status_of(id), "refunded");
}

TEST_F(ProviderRefunds, ServerErrorsTwiceThenSuccessMakeOneRefund) {
  start();
  auto [id, yk] = paid_plan();
  yoo->server().inject(fake_fault::respond_with(500, "{}", "/v3/refunds"), 2);
  auto request = requested(refund(id, R"({"amount_minor":9950})"));
  ASSERT_TRUE(eventually([&] { return request_status(request) == "succeeded"; }, 15s));
  auto posts = refund_posts();
  ASSERT_EQ(posts.size(), 3u);
  for (const auto& p : posts) EXPECT_EQ(*p.header("idempotence-key"), request);
  EXPECT_EQ(yoo->refunds_of(yk).size(), 1u);
  EXPECT_EQ(q("SELECT attempts FROM refund_requests"), "3");
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "1");
  EXPECT_EQ(status_of(id), "succeeded");  // half of it refunded
}

// YooKassa failing for long: every attempt keeps the key, and from the
// eighth on each one is an error in the log and a counted alert.
TEST_F(ProviderRefunds, ARefundFailingForLongIsAlertedAndStillMadeOnce) {
  start(10ms);
  auto [id, yk] = paid_plan();
  yoo->server().inject(fake_fault::respond_with(503, "{}", "/v3/refunds"), 9);
  auto request = requested(refund(id, R"({"amount_minor":null})"));
  auto alerts = [] {
    return metrics::global().value("vpnbot_payment_refunds_total",
                                   {{"provider", "yookassa"}, {"outcome", "retrying_long"}});
  };
  ASSERT_TRUE(eventually([&] { return request_status(request) == "succeeded"; }, 30s));
  EXPECT_EQ(alerts(), 2) << "the eighth and the ninth attempt failed";
  EXPECT_EQ(q("SELECT attempts FROM refund_requests"), "10");
  EXPECT_EQ(yoo->refunds_of(yk).size(), 1u);
  for (const auto& p : refund_posts()) EXPECT_EQ(*p.header("idempotence-key"), request);
}

TEST_F(ProviderRefunds, AnAnswerLostAfterYooKassaRefundedIsAskedAgainWithTheSameKeyOnce) {
  start(100ms, 1s);
  auto [id, yk] = paid_plan();
  yoo->lose_refund_replies(1);
  auto request = requested(refund(id, R"({"amount_minor":null})"));
  ASSERT_TRUE(eventually([&] { return request_status(request) == "succeeded"; }, 20s));
  auto posts = refund_posts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(*posts[0].header("idempotence-key"), request);
  EXPECT_EQ(*posts[1].header("idempotence-key"), request);
  EXPECT_EQ(yoo->refunds_of(yk).size(), 1u);
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'refund_applied'"), "1");
  EXPECT_EQ(status_of(id), "refunded");
  EXPECT_TRUE(eventually([&] { return refund_messages() == 1; }, 15s));
}

TEST_F(ProviderRefunds, APartialRefundThenTheRestEachAppliedOnceWhicheverOfNoticeAndRecordIsFirst) {
  // The pending refund is read back only after 2 s: its notification comes
  // first.
  start(2s);
  auto [id, yk] = paid_plan();
  auto expiry = q("SELECT extract(epoch from expires_at)::bigint FROM subscriptions");
  yoo->make_refunds_as("pending");
  auto first = requested(refund(id, R"({"amount_minor":9950})"));
  ASSERT_TRUE(eventually(
      [&] { return q("SELECT coalesce(provider_refund_id, '') FROM refund_requests") != ""; },
      15s));
  EXPECT_EQ(request_status(first), "sent");
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "0");
  auto first_refund = q("SELECT provider_refund_id FROM refund_requests");
  // While it is unsettled, no other request is taken.
  EXPECT_EQ(refund(id, R"({"amount_minor":100})").status, 409);
  EXPECT_EQ(notify(yoo->settle_refund(first_refund)), 200);
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM payment_refunds") == "1"; }, 15s));
  // Then the sender reads the refund back: already taken, settled.
  ASSERT_TRUE(eventually([&] { return request_status(first) == "succeeded"; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "1");
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(q("SELECT " + expiry + " - extract(epoch from expires_at)::bigint FROM subscriptions"),
            std::to_string(15 * 86400));

  // The rest: over it is refused naming the field; the rest is recorded
  // first and its notification, after, changes nothing.
  auto over = refund(id, R"({"amount_minor":9951})");
  EXPECT_EQ(over.status, 400) << over.body;
  EXPECT_EQ(json::parse(over.body).value("field", ""), "amount_minor");
  yoo->make_refunds_as("succeeded");
  auto rest = requested(refund(id, R"({"amount_minor":null})"));
  ASSERT_TRUE(eventually([&] { return request_status(rest) == "succeeded"; }, 15s));
  EXPECT_EQ(q("SELECT amount_minor FROM refund_requests WHERE id = '" + rest + "'"), "9950");
  auto rest_refund = q("SELECT provider_refund_id FROM refund_requests WHERE id = '" + rest + "'");
  EXPECT_EQ(notify(yoo->settle_refund(rest_refund)), 200);
  ASSERT_TRUE(eventually(
      [&] {
        return q("SELECT coalesce(outcome, '') FROM webhook_events WHERE event_id ="
                 " 'refund.succeeded:" +
                 rest_refund + "'") == "already_refunded";
      },
      15s));
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "2");
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'refund_applied'"), "2");
  EXPECT_EQ(status_of(id), "refunded");
  EXPECT_EQ(q("SELECT status FROM subscriptions"), "expired");
  EXPECT_EQ(yoo->refunds_of(yk).size(), 2u);
}

TEST_F(ProviderRefunds, AnOverRefundIsRefusedNamingTheFieldAndChangesNothing) {
  start();
  auto [id, yk] = paid_plan();
  auto before = q("SELECT (SELECT count(*) FROM audit_log) || '/' || (SELECT count(*) FROM jobs)");
  for (const char* body : {R"({"amount_minor":19901})", R"({"amount_minor":0})"}) {
    auto r = refund(id, body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(json::parse(r.body).value("field", ""), "amount_minor") << r.body;
  }
  std::this_thread::sleep_for(300ms);  // three scans of the refund_sender
  EXPECT_EQ(q("SELECT count(*) FROM refund_requests"), "0");
  EXPECT_EQ(q("SELECT (SELECT count(*) FROM audit_log) || '/' || (SELECT count(*) FROM jobs)"),
            before);
  EXPECT_EQ(refund_posts().size(), 0u);
  EXPECT_EQ(status_of(id), "succeeded");
}

TEST_F(ProviderRefunds, TwoOperatorsRefundingTheWholePaymentAtOnceGetOneRequest) {
  start();
  auto [id, yk] = paid_plan();
  http_result a, b;
  std::thread ta([&] { a = refund(id, R"({"amount_minor":null})"); });
  std::thread tb([&] { b = refund(id, R"({"amount_minor":null})"); });
  ta.join();
  tb.join();
  std::multiset<int> statuses{a.status, b.status};
  EXPECT_EQ(statuses, (std::multiset<int>{202, 409})) << a.body << " / " << b.body;
  ASSERT_TRUE(eventually([&] { return status_of(id) == "refunded"; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM refund_requests"), "1");
  EXPECT_EQ(yoo->refunds_of(yk).size(), 1u);
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "1");
}

TEST_F(ProviderRefunds, ARefundYooKassaRefusesFailsWithItsDescriptionAndChangesNothing) {
  start();
  auto [id, yk] = paid_plan();
  // Refunded in YooKassa's dashboard, its notification not come yet: our
  // request is over what YooKassa has left.
  yoo->refund(yk, "succeeded");
  auto request = requested(refund(id, R"({"amount_minor":null})"));
  ASSERT_TRUE(eventually([&] { return request_status(request) == "failed"; }, 15s));
  EXPECT_NE(q("SELECT last_error FROM refund_requests").find("exceeds the amount left"),
            std::string::npos);
  EXPECT_EQ(refund_posts().size(), 1u);  // a refusal is not retried
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'refund_failed'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "0");
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(yoo->refunds_of(yk).size(), 1u);
}

TEST_F(ProviderRefunds, ARefundYooKassaCancelsLeavesThePaymentAsItWas) {
  start();
  auto [id, yk] = paid_plan();
  yoo->make_refunds_as("canceled");
  auto request = requested(refund(id, R"({"amount_minor":5000})"));
  ASSERT_TRUE(eventually([&] { return request_status(request) == "canceled"; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'refund_canceled'"), "1");
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "0");
  EXPECT_EQ(status_of(id), "succeeded");
  EXPECT_EQ(refund_messages(), 0);
  // Settled: another request may follow.
  yoo->make_refunds_as("succeeded");
  auto again = requested(refund(id, R"({"amount_minor":5000})"));
  ASSERT_TRUE(eventually([&] { return request_status(again) == "succeeded"; }, 15s));
  EXPECT_EQ(q("SELECT count(*) FROM payment_refunds"), "1");
}

}  // namespace
}  // namespace vpnbot::testing_support
