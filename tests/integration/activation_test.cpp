// Activation end to end: the Telegram emulator, a panel's emulator and the
// whole service, on each kind of panel (3x-ui's legacy API, 3x-ui 3.1,
// Remnawave). A trial becomes a client on the panel with the identity
// stored before the call, and the user gets the key (the vless:// link, or
// Remnawave's subscription URL) and its QR code; disable and re-enable
// follow the jobs; the failure path ends in `dead` and one "key delayed"
// notice. What only 3x-ui has (an inbound's link, 3.1's own UUIDs) is
// ActivationXui; the job queue's own rules, without a panel, ActivationJobs.

#include "domain/subscriptions/activation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "adapters/db/jobs_repository.hpp"
#include "adapters/db/panels_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/emulators/http_call.hpp"
#include "adapters/emulators/xui/xui_emulator.hpp"
#include "adapters/metrics/registry.hpp"
#include "app/plan_seeding.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "support/bot_harness.hpp"
#include "support/eventually.hpp"
#include "support/fresh_database.hpp"
#include "support/panel_under_test.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

struct ActivationXui : fresh_database {};
struct ActivationJobs : fresh_database {};

struct Activation : fresh_database, ::testing::WithParamInterface<panel_kind> {
  panel_under_test panel{GetParam()};

  // The key as the user gets it: the vless:// link with the client's UUID
  // (3x-ui), the subscription URL (Remnawave).
  std::string key(const bot_harness& bot) const {
    return panel.kind() == panel_kind::remnawave
               ? bot.query("SELECT access_link FROM subscriptions")
               : "vless://" + bot.query("SELECT client_uuid FROM subscriptions");
  }
};

std::string registry_text() {
  return metrics::global().render();
}

TEST_P(Activation, TrialBecomesAPanelClientAndTheUserGetsTheKeyAndQr) {
  panel.seed_foreign("alice");
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  auto p = panel.panel_settings();
  p.public_host = "vpn.example.com";
  s.panels = {p};
  s.panel_defaults.connect_timeout = 2s;
  s.panel_defaults.call_timeout = 2s;
  bot_harness bot(s);

  emu.push_text(51, "/start");
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(51, 70, "m:trial");
  // The key arrives by itself: link message, then the QR photo.
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 15s));
  auto messages = emu.calls("sendMessage");
  ASSERT_EQ(messages.size(), 2u);
  auto text = messages[1].params["text"].get<std::string>();
  EXPECT_NE(text.find("Your key is ready"), std::string::npos) << text;
  auto uuid = bot.query("SELECT client_uuid FROM subscriptions");
  auto email = bot.query("SELECT client_email FROM subscriptions");
  if (panel.kind() == panel_kind::remnawave) {
    EXPECT_NE(text.find(key(bot)), std::string::npos) << text;
  } else {
    EXPECT_NE(text.find("vless://" + uuid + "@vpn.example.com:"), std::string::npos) << text;
  }
  auto on_panel = panel.client(email);
  ASSERT_TRUE(on_panel);
  EXPECT_EQ(on_panel->id, uuid);
  EXPECT_EQ(on_panel->sub_id, bot.query("SELECT sub_id FROM subscriptions"));
  EXPECT_TRUE(on_panel->enable);
  EXPECT_EQ(bot.query("SELECT abs(extract(epoch from expires_at) * 1000 - " +
                      std::to_string(on_panel->expiry_time_ms) + ") < 1 FROM subscriptions"),
            "t");
  EXPECT_EQ(bot.query("SELECT state FROM jobs"), "done");
  EXPECT_EQ(bot.query("SELECT panel_id IS NOT NULL FROM subscriptions"), "t");
  EXPECT_EQ(emu.calls("sendPhoto")[0].params["chat_id"], "51");

  // My subscriptions shows it active with the link; the QR button sends a photo.
  auto sub_id = bot.query("SELECT id FROM subscriptions");
  emu.push_callback(51, 70, "s:" + sub_id);
  ASSERT_TRUE(emu.wait_for_calls("editMessageText", 2, 10s));
  auto details = emu.calls("editMessageText")[1].params["text"].get<std::string>();
  EXPECT_NE(details.find("Status: active ✅"), std::string::npos) << details;
  EXPECT_NE(details.find(key(bot)), std::string::npos) << details;
  emu.push_callback(51, 70, "q:" + sub_id);
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 2, 10s));

  // Disable and re-enable follow their jobs.
  bot.query("SELECT 1; UPDATE subscriptions SET status = 'expired'");
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::enqueue_job(tx, "disable_client", std::stoll(sub_id), json::object(), "test-disable");
    tx.commit();
  }
  ASSERT_TRUE(eventually([&] {
    auto c = panel.client(email);
    return c && !c->enable;
  }));
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::enqueue_job(tx, "extend_client", std::stoll(sub_id), json::object(), "test-extend");
    tx.commit();
  }
  ASSERT_TRUE(eventually([&] {
    auto c = panel.client(email);
    return c && c->enable;
  }));
  // Ours exactly once; the panel's other (foreign) clients untouched.
  int ours = 0;
  for (const auto& c : panel.clients()) {
    if (c.email == email)
      ++ours;
    else
      EXPECT_TRUE(c.enable) << c.email;
  }
  EXPECT_EQ(ours, 1);
}

// The same life on a 3x-ui 3.1 panel, its API probed (version = "auto"):
// the panel makes the client's UUID and subId, the key carries them and
// the subscription stores them with the job's success; disable, extend,
// traffic and removal follow through /panel/api/clients.
TEST_F(ActivationXui, On31TheKeyCarriesThePanelsUuidAndTheJobsFollowTheClientsApi) {
  xui_emulator_options o;
  o.version = "3.1.0";
  xui_emulator panel(o);
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  auto p = panel_settings_for(panel, "main");
  p.version = "auto";
  p.public_host = "vpn.example.com";
  s.panels = {p};
  s.workers.traffic_interval = 50ms;
  bot_harness bot(s);

  emu.push_text(55, "/start");
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(55, 70, "m:trial");
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 15s));
  auto text = emu.calls("sendMessage")[1].params["text"].get<std::string>();
  auto email = bot.query("SELECT client_email FROM subscriptions");
  auto on_panel = panel.client(email);
  ASSERT_TRUE(on_panel);
  EXPECT_EQ(bot.query("SELECT client_uuid FROM subscriptions"), on_panel->id);
  EXPECT_EQ(bot.query("SELECT sub_id FROM subscriptions"), on_panel->sub_id);
  EXPECT_NE(text.find("vless://" + on_panel->id + "@vpn.example.com:"), std::string::npos) << text;
  EXPECT_EQ(bot.query("SELECT state FROM jobs"), "done");
  EXPECT_EQ(metrics::global().value("vpnbot_panel_info", {{"panel", "main"}, {"api", "3.1"}}), 1);

  panel.set_traffic(email, 1LL << 30, 0);
  ASSERT_TRUE(eventually(
      [&] { return bot.query("SELECT traffic_used_bytes FROM subscriptions") == "1073741824"; }));

  auto sub_id = std::stoll(bot.query("SELECT id FROM subscriptions"));
  auto enqueue = [&](const std::string& kind, const std::string& key) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    db::enqueue_job(tx, kind, sub_id, json::object(), key);
    tx.commit();
  };
  bot.query("SELECT 1; UPDATE subscriptions SET status = 'expired'");
  enqueue("disable_client", "test-disable");
  ASSERT_TRUE(eventually([&] {
    auto c = panel.client(email);
    return c && !c->enable;
  }));
  bot.query(
      "SELECT 1; UPDATE subscriptions SET status = 'active',"
      " expires_at = now() + interval '40 days'");
  enqueue("extend_client", "test-extend");
  ASSERT_TRUE(eventually([&] {
    auto c = panel.client(email);
    return c && c->enable &&
           c->expiry_time_ms ==
               std::stoll(bot.query(
                   "SELECT (extract(epoch FROM expires_at) * 1000)::bigint FROM subscriptions"));
  }));
  EXPECT_EQ(panel.client(email)->id, on_panel->id);  // the same client throughout
  // The expiry worker's removal, keyed by the expiry it removes for.
  bot.query("SELECT 1; UPDATE subscriptions SET status = 'expired', expires_at = now()");
  enqueue("remove_client",
          "remove_client:" + std::to_string(sub_id) + ":" +
              bot.query("SELECT extract(epoch FROM expires_at)::bigint FROM subscriptions"));
  ASSERT_TRUE(eventually([&] { return !panel.client(email).has_value(); }));
  for (const auto& c : panel.clients(panel.options().inbound_id)) EXPECT_TRUE(c.enable) << c.email;
  EXPECT_EQ(panel.call_count(xui_op::add_client), 1u);
}

// The scan is an hour away: the key can only come from the notification
// the trial's commit sends to the activation worker.
TEST_P(Activation, AJobStartsWhenItsTransactionCommitsNotAtTheNextScan) {
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  s.panels = {panel.panel_settings()};
  s.panel_defaults.job_scan_interval = std::chrono::hours(1);
  bot_harness bot(s);

  emu.push_text(52, "/start");
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(52, 70, "m:trial");
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 10s));
  EXPECT_EQ(bot.query("SELECT state FROM jobs"), "done");
  EXPECT_TRUE(panel.client(bot.query("SELECT client_email FROM subscriptions")));
}

// PostgreSQL cutting the listener's connection again and again (a restart,
// as the chaos suite saw it) is the listener's own business: it connects
// again without being restarted, so the panels subtree keeps its restart
// intensity, and a job still starts at its commit afterwards.
TEST_P(Activation, TheJobListenerRidesOutLostConnectionsWithoutARestart) {
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  s.panels = {panel.panel_settings()};
  s.panel_defaults.job_scan_interval = std::chrono::hours(1);
  bot_harness bot(s);
  auto restarts = [] {
    auto v = metrics::global().value("vpnbot_supervisor_restarts_total",
                                     {{"supervisor", "panels"}, {"child", "job_listener"}});
    return std::isnan(v) ? 0.0 : v;  // nan: never counted
  };
  auto restarts_before = restarts();
  auto listener = [&] {
    return bot.query(
        "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE datname = current_database()"
        " AND query LIKE 'LISTEN%'");
  };
  for (int cut = 0; cut < 8; ++cut) {
    std::string pid;
    ASSERT_TRUE(eventually([&] { return (pid = listener()) != "0"; }, 10s)) << "cut " << cut;
    bot.query("SELECT pg_terminate_backend(" + pid + ")");
    ASSERT_TRUE(eventually([&] { return listener() != pid; }, 10s));
  }
  ASSERT_TRUE(eventually([&] { return listener() != "0"; }, 10s));
  EXPECT_EQ(restarts(), restarts_before);

  emu.push_text(54, "/start");
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(54, 70, "m:trial");
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 10s));
  EXPECT_EQ(bot.query("SELECT state FROM jobs"), "done");
}

// A ws + tls inbound as the panel stores it: the key sent is the link the
// panel itself would show for it.
TEST_F(ActivationXui, AWebSocketTlsInboundGivesAWsTlsLink) {
  xui_emulator panel;
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  auto p = panel_settings_for(panel, "cdn");
  p.inbound_id = panel.options().inbound_id + 1;  // the ws + tls one
  p.public_host = "vpn.example.com";
  s.panels = {p};
  bot_harness bot(s);
  emu.push_text(53, "/start");
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(53, 70, "m:trial");
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 15s));
  auto text = emu.calls("sendMessage")[1].params["text"].get<std::string>();
  // The message is HTML: the link's ampersands arrive escaped.
  for (auto at = text.find("&amp;"); at != std::string::npos; at = text.find("&amp;", at + 1))
    text.replace(at, 5, "&");
  auto uuid = bot.query("SELECT client_uuid FROM subscriptions");
  auto email = bot.query("SELECT client_email FROM subscriptions");
  auto expected = "vless://" + uuid +
                  "@vpn.example.com:8443?alpn=http%2F1.1&encryption=none&fp=chrome"
                  "&host=cdn.example.com&path=%2Fvl-ws&security=tls&sni=cdn.example.com"
                  "&type=ws#CDN-" +
                  email;
  EXPECT_NE(text.find(expected), std::string::npos) << text;
  ASSERT_TRUE(panel.client(email));
  EXPECT_EQ(panel.clients(p.inbound_id).size(), 2u);
  EXPECT_EQ(panel.clients(panel.options().inbound_id).size(), 1u);  // the other inbound untouched
  EXPECT_EQ(panel.client(email)->flow, "");                         // no vision flow over ws
}

// The panel's counters reach "My subscriptions": the trial's client has
// used 1.5 GB; a client of someone else's lends it nothing.
TEST_P(Activation, TrafficCountedByThePanelShowsInTheSubscription) {
  panel.seed_foreign("alice");
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  s.panels = {panel.panel_settings()};
  s.workers.traffic_interval = 50ms;
  bot_harness bot(s);
  emu.push_text(54, "/start");
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(54, 70, "m:trial");
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 15s));
  auto sub_id = bot.query("SELECT id FROM subscriptions");
  ASSERT_TRUE(eventually([&] {
    return bot.query("SELECT traffic_checked_at IS NOT NULL FROM subscriptions") == "t";
  }));
  emu.push_callback(54, 70, "s:" + sub_id);
  ASSERT_TRUE(emu.wait_for_calls("editMessageText", 2, 10s));
  auto before = emu.calls("editMessageText")[1].params["text"].get<std::string>();
  EXPECT_NE(before.find("Traffic: 0 B, no limit"), std::string::npos) << before;

  panel.set_traffic(bot.query("SELECT client_email FROM subscriptions"), 1LL << 30, 512LL << 20);
  panel.set_traffic("alice", 7LL << 30, 0);
  ASSERT_TRUE(eventually(
      [&] { return bot.query("SELECT traffic_used_bytes FROM subscriptions") == "1610612736"; }));
  emu.push_callback(54, 70, "s:" + sub_id);
  ASSERT_TRUE(emu.wait_for_calls("editMessageText", 3, 10s));
  auto after = emu.calls("editMessageText")[2].params["text"].get<std::string>();
  EXPECT_NE(after.find("Traffic: 1.5 GB, no limit"), std::string::npos) << after;
  EXPECT_GE(metrics::global().value("vpnbot_traffic_readings_total",
                                    {{"panel", "main"}, {"outcome", "ok"}}),
            2);
}

TEST_P(Activation, AnOpenCircuitShowsInReadiness) {
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  auto p = panel.panel_settings();
  s.panels = {p};
  s.panel_defaults.call_timeout = 1s;
  s.panel_defaults.retry_backoff_min = 10ms;
  s.panel_defaults.retry_backoff_max = 20ms;
  s.panel_defaults.breaker_failures = 2;
  s.panel_defaults.breaker_open_for = 60s;
  panel.fail_next(panel_call::create, 100, 502);
  bot_harness bot(s);
  auto port = bot.http_port();
  ASSERT_NE(port, 0);
  ASSERT_TRUE(eventually([&] { return http_call(port, "GET", "/readyz").status == 200; }));
  emu.push_text(52, "/start");
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(52, 70, "m:trial");
  http_result ready;
  ASSERT_TRUE(eventually(
      [&] {
        ready = http_call(port, "GET", "/readyz");
        return ready.status == 503;
      },
      15s));
  EXPECT_NE(ready.body.find("panel main: circuit open"), std::string::npos) << ready.body;
  EXPECT_NE(
      http_call(port, "GET", "/metrics").body.find("vpnbot_panel_breaker_state{panel=\"main\"} 1"),
      std::string::npos);
}

TEST_P(Activation, TwoHundredQueuedWhileThePanelIsDownAllCompleteOnceAfterRecovery) {
  constexpr int count = 200;
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  auto p = panel.panel_settings();
  s.panels = {p};
  s.panel_defaults.call_timeout = 1s;
  s.panel_defaults.retry_backoff_min = 5ms;
  s.panel_defaults.retry_backoff_max = 20ms;
  s.panel_defaults.breaker_failures = 3;
  s.panel_defaults.breaker_open_for = 200ms;
  s.panel_defaults.job_retry_min = 50ms;
  s.panel_defaults.job_max_attempts = 20;
  // Down: connections are closed without an answer until the test says so.
  panel.set_down(true);
  bot_harness bot(s);
  {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto plan = db::find_plan(tx, "m1");
    for (int i = 0; i < count; ++i) {
      auto user = db::upsert_user_on_start(tx, 100000 + i, "", "U", "en").user;
      subscriptions::provision(tx, user.id, *plan, "paid", "bulk-" + std::to_string(i));
    }
    tx.commit();
  }
  ASSERT_TRUE(eventually([&] {
    return metrics::global().value("vpnbot_panel_breaker_transitions_total",
                                   {{"panel", "main"}, {"to", "open"}}) >= 1;
  }));
  // Jobs meeting the open circuit wait for it instead of burning attempts.
  ASSERT_TRUE(eventually([&] {
    return metrics::global().value("vpnbot_activation_jobs_total",
                                   {{"kind", "create_client"}, {"outcome", "deferred"}}) >= 1;
  }));
  // While the panel is down the rest of the service answers: no thread waits on it.
  EXPECT_EQ(http_call(bot.http_port(), "GET", "/healthz").status, 200);
  emu.push_text(99, "/start");
  EXPECT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  EXPECT_EQ(bot.query("SELECT count(*) FROM jobs WHERE state = 'done'"), "0");
  panel.set_down(false);
  ASSERT_TRUE(eventually(
      [&] { return bot.query("SELECT count(*) FROM jobs WHERE state = 'done'") == "200"; }, 90s))
      << bot.query(
             "SELECT string_agg(state || '=' || n, ' ') FROM (SELECT state, count(*) n FROM "
             "jobs GROUP BY state) s");
  // The breaker opened while the panel was down.
  auto metrics = registry_text();
  EXPECT_NE(metrics.find("vpnbot_panel_breaker_transitions_total{panel=\"main\",to=\"open\"}"),
            std::string::npos);
  EXPECT_LE(std::stoi(bot.query("SELECT max(attempts) FROM jobs")), 3);
  // Exactly 200 of our clients, each once, each with its stored UUID.
  int ours = 0;
  std::set<std::string> emails;
  for (const auto& c : panel.clients()) {
    if (c.email.rfind("tg", 0) != 0) continue;
    ++ours;
    emails.insert(c.email);
    EXPECT_EQ(
        bot.query("SELECT client_uuid FROM subscriptions WHERE client_email = '" + c.email + "'"),
        c.id);
  }
  EXPECT_EQ(ours, count);
  EXPECT_EQ(emails.size(), static_cast<std::size_t>(count));
  EXPECT_GE(panel.call_count(panel_call::create), static_cast<std::size_t>(count));
}

TEST_F(ActivationJobs, RepeatedFailuresEndDeadWithOneDelayNotice) {
  migrate_schema();
  pqxx::connection c(url);
  {
    pqxx::work tx(c);
    app::seed_plans(tx, config::default_plans());
    db::upsert_panel(tx, "main", "http://127.0.0.1:1/", 1);
    auto user = db::upsert_user_on_start(tx, 61, "d", "D", "en").user;
    subscriptions::provision(tx, user.id, *db::find_plan(tx, "m1"), "paid", "job-1");
    tx.commit();
  }
  int dead = 0;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    pqxx::work tx(c);
    tx.exec("UPDATE jobs SET next_run_at = now()");
    auto tasks = activation::lease_activation_tasks(tx, "node-a", 10, 60s, {"main"}, "main");
    ASSERT_EQ(tasks.size(), 1u) << "attempt " << attempt;
    EXPECT_EQ(tasks[0].panel, "main");
    auto r = activation::record_activation_failure(tx, tasks[0], "node-a", "panel down", 3);
    dead += r.fate == db::job_fate::dead;
    EXPECT_EQ(r.outbox_ids.size(), attempt == 3 ? 1u : 0u);
    tx.commit();
  }
  EXPECT_EQ(dead, 1);
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec("SELECT state FROM jobs")[0][0].as<std::string>(), "dead");
  EXPECT_EQ(tx.exec("SELECT count(*) FROM telegram_outbox")[0][0].as<int>(), 1);
  EXPECT_TRUE(activation::lease_activation_tasks(tx, "node-a", 10, 60s, {"main"}, "main").empty());
}

// The same through the running service: a panel that refuses every add
// ends the trial's job dead, counted on /metrics, with one notice that does
// not speak of a payment.
TEST_P(Activation, ADeadJobIsCountedAndTheUserToldOnceThroughTheService) {
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  auto p = panel.panel_settings();
  s.panels = {p};
  s.panel_defaults.max_attempts = 1;
  s.panel_defaults.breaker_failures = 1000;
  s.panel_defaults.job_retry_min = 20ms;
  s.panel_defaults.job_max_attempts = 3;
  panel.fail_next(panel_call::create, 1000, 500);
  bot_harness bot(s);
  emu.push_text(62, "/start");
  ASSERT_TRUE(emu.wait_for_calls("sendMessage", 1, 10s));
  emu.push_callback(62, 70, "m:trial");
  ASSERT_TRUE(eventually([&] { return bot.query("SELECT state FROM jobs") == "dead"; }, 30s));
  ASSERT_TRUE(eventually([&] {
    return bot.query("SELECT count(*) FROM telegram_outbox WHERE state IN ('queued', 'sending')") ==
           "0";
  }));
  EXPECT_EQ(bot.query("SELECT attempts FROM jobs"), "3");
  EXPECT_EQ(panel.call_count(panel_call::create), 3u);
  EXPECT_EQ(metrics::global().value("vpnbot_activation_jobs_total",
                                    {{"kind", "create_client"}, {"outcome", "dead"}}),
            1);
  std::vector<std::string> notices;
  for (const auto& c : emu.calls("sendMessage")) {
    auto text = c.params["text"].get<std::string>();
    if (text.find("taking longer than usual") != std::string::npos) notices.push_back(text);
  }
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].find("payment"), std::string::npos) << notices[0];
}

TEST_F(ActivationJobs, NewClientsGoToTheHealthyPanelWithTheFewestSubscriptions) {
  migrate_schema();
  pqxx::connection c(url);
  auto provision_and_lease = [&](const std::vector<std::string>& healthy, int64_t tg) {
    pqxx::work tx(c);
    auto user = db::upsert_user_on_start(tx, tg, "u", "U", "en").user;
    subscriptions::provision(tx, user.id, *db::find_plan(tx, "m1"), "paid",
                             "job-" + std::to_string(tg));
    auto tasks = activation::lease_activation_tasks(tx, "node-a", 1, 60s, healthy, "a");
    tx.commit();
    return tasks.empty() ? std::string("none") : tasks[0].panel;
  };
  {
    pqxx::work tx(c);
    app::seed_plans(tx, config::default_plans());
    db::upsert_panel(tx, "a", "http://127.0.0.1:1/", 1);
    db::upsert_panel(tx, "b", "http://127.0.0.1:2/", 1);
    tx.commit();
  }
  EXPECT_EQ(provision_and_lease({"a", "b"}, 71), "a");  // a tie: the first
  EXPECT_EQ(provision_and_lease({"a", "b"}, 72), "b");  // a holds one now
  EXPECT_EQ(provision_and_lease({"a", "b"}, 73), "a");
  EXPECT_EQ(provision_and_lease({"a"}, 74), "a");  // b's circuit is open
  EXPECT_EQ(provision_and_lease({}, 75), "a");     // none healthy: the first configured
}

TEST_P(Activation, AUserWhoChoseALocationGetsTheKeyThere) {
  auto& first = panel;
  panel_under_test second(GetParam());
  bot_api_emulator emu;
  auto s = bot_test_settings(url, emu);
  s.panels = {first.panel_settings("main"), second.panel_settings("second")};
  bot_harness bot(s);
  emu.push_text(61, "/start");
  auto menu =
      emu.wait_for_calls("sendMessage", 1, 10s) ? emu.calls("sendMessage")[0].params : json{};
  EXPECT_NE(buttons_of(menu).find("Location"), std::string::npos) << buttons_of(menu);
  emu.push_callback(61, 70, callback_of(menu, "Location"));
  ASSERT_TRUE(emu.wait_for_calls("editMessageText", 1, 10s));
  auto locations = emu.calls("editMessageText")[0].params;
  EXPECT_NE(locations["text"].get<std::string>().find("the least busy"), std::string::npos);
  EXPECT_EQ(buttons_of(locations), "main/second/« Back") << buttons_of(locations);
  emu.push_callback(61, 70, callback_of(locations, "second"));
  ASSERT_TRUE(emu.wait_for_calls("editMessageText", 2, 10s));
  EXPECT_NE(emu.calls("editMessageText")[1].params["text"].get<std::string>().find(
                "New keys will be made in <b>second</b>"),
            std::string::npos);
  emu.push_callback(61, 70, "m:trial");
  ASSERT_TRUE(emu.wait_for_calls("sendPhoto", 1, 15s));
  // Both panels were empty: without the choice the tie would go to "main".
  EXPECT_EQ(second.clients().size(), first.clients().size() + 1);
  EXPECT_EQ(bot.query("SELECT p.name FROM subscriptions s JOIN panels p ON p.id = s.panel_id"),
            "second");
}

INSTANTIATE_TEST_SUITE_P(Panels, Activation, ::testing::ValuesIn(all_panel_kinds), panel_kind_name);

}  // namespace
}  // namespace vpnbot::testing_support
