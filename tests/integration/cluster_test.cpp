// Several real vpnbot processes on one PostgreSQL as one cluster, on the
// Telegram emulator. Polling: one leader at a time runs the poller and the
// outbox; the leader killed (SIGKILL) or paused (SIGSTOP) past its lease is
// replaced, and no update is lost or handled twice. Webhook: updates posted
// to any node are handled on their user's owner node, each once, in order.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <sstream>

#include "adapters/emulators/http_call.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "app/sandbox/free_port.hpp"
#include "support/service_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

std::string scalar(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  auto value = tx.exec(sql)[0][0].as<std::string>();
  tx.commit();
  return value;
}

int replies(const bot_api_emulator& emu) {
  int n = 0;
  for (const auto& c : emu.calls("sendMessage"))
    if (c.status == 200) ++n;
  return n;
}

std::map<int64_t, int> replies_by_chat(const bot_api_emulator& emu) {
  std::map<int64_t, int> out;
  for (const auto& c : emu.calls("sendMessage"))
    if (c.status == 200) ++out[c.params["chat_id"].get<int64_t>()];
  return out;
}

struct node {
  std::string name;
  std::unique_ptr<service_process> process;
  uint16_t port = 0;
  bool up = true;  // neither killed nor paused
};

// One series of the node's /metrics; nullopt when it does not answer.
std::optional<double> metric(const node& n, const std::string& series) {
  auto r = http_call(n.port, "GET", "/metrics", {}, {}, 1s);
  if (r.status != 200) return std::nullopt;
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return std::nullopt;
}

struct ClusterFailover : testing::Test {
  bot_api_emulator emu;
  std::string url;
  std::vector<node> nodes;
  std::vector<std::map<std::string, std::string>> node_env;
  std::vector<uint16_t> cluster_ports;

  // A port for node i's cluster address, free when asked (the kernel's pick).
  uint16_t cluster_port(int i) {
    while (static_cast<int>(cluster_ports.size()) <= i)
      cluster_ports.push_back(sandbox::free_port("127.0.0.1"));
    return cluster_ports[i];
  }

  void SetUp() override {
    if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
    url = create_fresh_database("cluster_failover");
  }

  void TearDown() override {
    for (auto& n : nodes)
      if (n.process) n.process->signal(SIGCONT);
    nodes.clear();
  }

  // `extra` last: it may override the defaults below. Of `count` nodes
  // (each a seed of the others) the first `launch` start now (all: -1).
  void start(int count, const std::string& lease_ttl,
             const std::map<std::string, std::string>& extra = {}, int launch = -1) {
    for (int i = 0; i < count; ++i) {
      auto env = service_env(url, emu);
      env["VPNBOT_SERVICE_NODE_NAME"] = "node-" + std::to_string(i + 1);
      env["VPNBOT_CLUSTER_LISTEN"] = "127.0.0.1:" + std::to_string(cluster_port(i));
      std::string seeds;
      for (int j = 0; j < count; ++j)
        if (j != i)
          seeds += (seeds.empty() ? "" : ",") + ("127.0.0.1:" + std::to_string(cluster_port(j)));
      env["VPNBOT_CLUSTER_SEEDS"] = seeds;
      env["VPNBOT_CLUSTER_LEASE_TTL"] = lease_ttl;
      env["VPNBOT_TELEGRAM_UNLIMITED_RATES"] = "true";
      env["VPNBOT_LOG_LEVEL"] = "info";  // the HTTP port is in an info line
      for (const auto& [k, v] : extra) env[k] = v;
      node_env.push_back(env);
    }
    for (int i = 0; i < (launch < 0 ? count : launch); ++i) start_node(i);
  }

  void start_node(int i) {
    node n;
    n.name = node_env.at(i).at("VPNBOT_SERVICE_NODE_NAME");
    n.process = std::make_unique<service_process>(std::vector<std::string>{}, node_env.at(i));
    auto port = n.process->wait_for_http_port(30s);
    ASSERT_TRUE(port) << n.name << " did not start";
    n.port = *port;
    nodes.push_back(std::move(n));
  }

  // The nodes (of those up) that say they lead.
  std::vector<int> leaders() const {
    std::vector<int> out;
    for (size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].up && metric(nodes[i], "vpnbot_cluster_leader") == 1.0)
        out.push_back(static_cast<int>(i));
    return out;
  }

  // The one leader among the nodes up, once there is exactly one; -1 on timeout.
  int one_leader(std::chrono::milliseconds timeout) const {
    auto deadline = steady::now() + timeout;
    while (steady::now() < deadline) {
      auto l = leaders();
      if (l.size() == 1) return l.front();
      EXPECT_LE(l.size(), 1u) << "two nodes lead at once";
      std::this_thread::sleep_for(100ms);
    }
    return -1;
  }

  void push(int users, int64_t first_user, const std::string& text) {
    for (int u = 0; u < users; ++u) emu.push_text(first_user + u, text);
  }

  bool settled(int updates) const {
    return scalar(url, "SELECT count(*) FROM telegram_updates WHERE state = 'handled'") ==
               std::to_string(updates) &&
           scalar(url,
                  "SELECT count(*) FROM telegram_outbox WHERE state IN ('queued', 'sending')") ==
               "0";
  }

  void wait_settled(int updates, std::chrono::milliseconds timeout) const {
    auto deadline = steady::now() + timeout;
    while (steady::now() < deadline && !settled(updates)) std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(settled(updates))
        << scalar(url, "SELECT count(*) FROM telegram_updates WHERE state = 'handled'")
        << " handled of " << updates;
  }

  // Every update handled once, with exactly one reply row, sent.
  void expect_each_update_answered_once(int updates) const {
    EXPECT_EQ(scalar(url, "SELECT count(*) FROM telegram_updates WHERE state = 'handled'"),
              std::to_string(updates));
    EXPECT_EQ(scalar(url,
                     "SELECT count(*) FROM (SELECT update_id FROM telegram_outbox "
                     "WHERE update_id IS NOT NULL GROUP BY update_id HAVING count(*) <> 1) d"),
              "0");
    EXPECT_EQ(scalar(url, "SELECT count(DISTINCT update_id) FROM telegram_outbox"),
              std::to_string(updates));
    EXPECT_EQ(scalar(url, "SELECT count(*) FROM telegram_outbox WHERE state <> 'sent'"), "0");
  }
};

TEST_F(ClusterFailover, TheLeaderKilledAnotherLeadsWithinTenSecondsAndNoUpdateIsLost) {
  constexpr int users = 60;
  constexpr int64_t first_user = 9100;
  // Paced, so that the kill comes mid-stream rather than after every call
  // of the stream is already on the wire.
  start(3, "6s",
        {{"VPNBOT_WORKERS_INTERVAL", "1s"},
         {"VPNBOT_TELEGRAM_UNLIMITED_RATES", "false"},
         {"VPNBOT_TELEGRAM_GLOBAL_RATE", "200"}});
  auto leader = one_leader(30s);
  ASSERT_GE(leader, 0) << "no single leader";

  push(users, first_user, "/start");
  push(users, first_user, "one");
  auto deadline = steady::now() + 30s;
  while (steady::now() < deadline && replies(emu) < users / 2) std::this_thread::sleep_for(2ms);
  // Work a worker has due at the kill: a payment past its time, which the
  // payment_expiry worker expires and tells its user about, on either
  // leader, once.
  scalar(url,
         "INSERT INTO payments (user_id, purpose, provider, amount, currency, expires_at)"
         " SELECT id, 'topup', 'cryptobot', 100, 'RUB', now() - interval '1 minute' FROM users"
         " WHERE telegram_id = " +
             std::to_string(first_user) + " RETURNING 1");
  nodes[leader].process->signal(SIGKILL);
  auto killed_at = steady::now();
  ASSERT_EQ(nodes[leader].process->wait_exit(10s), 128 + SIGKILL);
  nodes[leader].up = false;
  // The emulator records a call when it has answered it: let it finish
  // those that reached it just before the kill (no node leads for seconds).
  std::this_thread::sleep_for(500ms);
  auto before_kill = replies(emu);
  auto recorded_at_kill = std::stoi(scalar(
      url, "SELECT count(*) FROM telegram_outbox WHERE method = 'sendMessage' AND state = 'sent'"));
  ASSERT_LT(before_kill, 2 * users) << "the kill came after the stream ended";

  auto next = one_leader(20s);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - killed_at);
  ASSERT_GE(next, 0) << "no node took over";
  EXPECT_NE(next, leader);
  std::cout << "[ figures ] " << nodes[next].name << " leads " << took.count()
            << " ms after the kill of " << nodes[leader].name << " (lease_ttl 6s)\n";
  EXPECT_LE(took, 10s);

  push(users, first_user, "two");
  wait_settled(3 * users, 60s);
  expect_each_update_answered_once(3 * users);
  auto by_chat = replies_by_chat(emu);
  for (int u = 0; u < users; ++u) EXPECT_GE(by_chat[first_user + u], 3) << "user " << u;
  EXPECT_EQ(leaders(), std::vector<int>{next});

  auto expired = [&] {
    return scalar(url, "SELECT count(*) FROM payments WHERE status = 'expired'");
  };
  deadline = steady::now() + 20s;
  while (steady::now() < deadline && expired() != "1") std::this_thread::sleep_for(100ms);
  EXPECT_EQ(expired(), "1");
  wait_settled(3 * users, 10s);
  EXPECT_EQ(
      scalar(url, "SELECT count(*) FROM telegram_outbox WHERE update_id IS NULL AND chat_id = " +
                      std::to_string(first_user)),
      "1")
      << "the payment's user is told once";

  // Copies: what Telegram got beyond one reply per update and the notice.
  auto notices = std::stoi(scalar(url,
                                  "SELECT count(*) FROM telegram_outbox WHERE update_id IS NULL"
                                  " AND method = 'sendMessage' AND state = 'sent'"));
  auto copies = replies(emu) - 3 * users - notices;
  auto left_unrecorded = before_kill - recorded_at_kill;
  std::cout << "[ figures ] replies before the kill: " << before_kill
            << ", recorded sent: " << recorded_at_kill << "; second copies: " << copies << "\n";
  EXPECT_GE(copies, 0);
  EXPECT_LE(copies, left_unrecorded);
}

TEST_F(ClusterFailover, ALeaderPausedPastItsLeaseStepsDownWhenItWakesUp) {
  constexpr int users = 20;
  constexpr int64_t first_user = 9300;
  start(2, "3s");
  auto leader = one_leader(30s);
  ASSERT_GE(leader, 0);
  auto old_term = metric(nodes[leader], "vpnbot_cluster_term");
  ASSERT_TRUE(old_term && *old_term > 0);

  nodes[leader].process->signal(SIGSTOP);
  nodes[leader].up = false;
  auto paused_at = steady::now();
  // Given to the paused node's long poll, if one is open: it must not be
  // the one to store them.
  push(users, first_user, "/start");
  auto next = one_leader(15s);
  ASSERT_GE(next, 0) << "nobody took over from the paused leader";
  std::cout
      << "[ figures ] " << nodes[next].name << " leads "
      << std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - paused_at).count()
      << " ms after the pause (lease_ttl 3s)\n";
  auto new_term = metric(nodes[next], "vpnbot_cluster_term");
  ASSERT_TRUE(new_term);
  EXPECT_GT(*new_term, *old_term);
  wait_settled(users, 30s);

  nodes[leader].process->signal(SIGCONT);
  nodes[leader].up = true;
  auto deadline = steady::now() + 5s;
  std::optional<double> woke;
  while (steady::now() < deadline && (woke = metric(nodes[leader], "vpnbot_cluster_leader")) != 0.0)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(woke, 0.0) << "the woken node still says it leads";
  EXPECT_EQ(one_leader(5s), next);
  // /readyz says who leads, on the woken node too (from its next claim on).
  auto readyz = [&] {
    return nlohmann::json::parse(http_call(nodes[leader].port, "GET", "/readyz").body);
  };
  auto ready = readyz();
  for (deadline = steady::now() + 5s;
       ready["cluster"]["leader_node"] != nodes[next].name && steady::now() < deadline;
       ready = readyz())
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(ready["cluster"]["node"], nodes[leader].name);
  EXPECT_EQ(ready["cluster"]["leader"], false);
  EXPECT_EQ(ready["cluster"]["leader_node"], nodes[next].name);
  EXPECT_EQ(ready["cluster"]["members"].size(), 2u);
  std::cout
      << "[ figures ] polled updates the woken node was refused to store: "
      << metric(nodes[leader], "vpnbot_telegram_polls_total{outcome=\"not_leader\"}").value_or(0)
      << "\n";

  push(users, first_user, "again");
  wait_settled(2 * users, 30s);
  expect_each_update_answered_once(2 * users);
  EXPECT_EQ(replies(emu), 2 * users) << "nothing was on the wire at the pause: no copies";
}

struct ClusterWebhook : ClusterFailover {
  static constexpr const char* secret = "cluster-Secret_1";

  std::map<std::string, std::string> webhook_env() const {
    return {{"VPNBOT_TELEGRAM_MODE", "webhook"},
            {"VPNBOT_TELEGRAM_WEBHOOK_URL", "https://bot.example.com/telegram/webhook"},
            {"VPNBOT_TELEGRAM_WEBHOOK_SECRET", secret}};
  }

  void start_meshed(int count, std::map<std::string, std::string> extra = {}, int launch = -1) {
    auto env = webhook_env();
    env.insert(extra.begin(), extra.end());
    start(count, "6s", env, launch);
    wait_meshed();
  }

  void wait_meshed() {
    auto deadline = steady::now() + 30s;
    while (steady::now() < deadline && !meshed()) std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(meshed()) << "the nodes did not all connect";
  }

  // Posts the update to node `first` as a load balancer would: a node that
  // does not answer is skipped for the next one up.
  void post(size_t first, const nlohmann::json& update) {
    for (size_t k = 0; k < 3 * nodes.size(); ++k) {
      const auto& n = nodes[(first + k) % nodes.size()];
      if (!n.up) continue;
      int status = 0;
      try {
        status = bot_api_emulator::post_to_webhook(n.port, "/telegram/webhook", update,
                                                   std::string(secret));
      } catch (const std::exception&) {
        status = 0;  // refused or cut off: the next node
      }
      if (status == 200) return;
      if (status == 404) std::this_thread::sleep_for(50ms);  // the route is not up yet
    }
    ADD_FAILURE() << "no node took update " << update["update_id"];
  }

  // Every node sees the others: connected, and alive in its latest view.
  bool meshed() const {
    auto want = static_cast<double>(nodes.size());
    for (const auto& n : nodes)
      if (metric(n, "vpnbot_cluster_peers") != want - 1 ||
          metric(n, "vpnbot_cluster_members") != want)
        return false;
    return true;
  }
};

TEST_F(ClusterWebhook, UpdatesPostedToAnyNodeAreHandledOnceInOrderOnTheirUsersOwner) {
  constexpr int users = 300;
  constexpr int rounds = 3;
  constexpr int64_t first_user = 9500;
  start_meshed(3);
  ASSERT_GE(one_leader(10s), 0);

  // Round-robin over the nodes, as a load balancer would.
  int64_t id = 1;
  for (int r = 0; r < rounds; ++r)
    for (int u = 0; u < users; ++u, ++id)
      post(id, bot_api_emulator::text_update(id, first_user + u,
                                             r == 0 ? "/start" : "hi " + std::to_string(r)));
  wait_settled(users * rounds, 60s);
  expect_each_update_answered_once(users * rounds);
  EXPECT_EQ(replies(emu), users * rounds);
  EXPECT_EQ(scalar(url,
                   "SELECT count(*) FROM (SELECT user_id FROM telegram_updates GROUP BY user_id"
                   " HAVING count(DISTINCT handled_by) <> 1 OR bool_or(handled_by IS NULL)) x"),
            "0")
      << "a user's updates were handled on more than one node";
  EXPECT_EQ(scalar(url,
                   "SELECT count(*) FROM telegram_updates a JOIN telegram_updates b"
                   " ON a.user_id = b.user_id AND a.update_id < b.update_id"
                   " AND a.handled_at > b.handled_at"),
            "0")
      << "a user's updates were handled out of order";
  std::cout << "[ figures ] updates handled per node:";
  for (const auto& n : nodes) {
    auto handled =
        scalar(url, "SELECT count(*) FROM telegram_updates WHERE handled_by = '" + n.name + "'");
    std::cout << " " << n.name << " " << handled;
    EXPECT_NE(handled, "0") << n.name << " owns no user";
  }
  std::cout << "\n";
}

TEST_F(ClusterWebhook, ANodeThatDoesNotLeadKilledMidStreamLosesNothingAndSendsNothingTwice) {
  constexpr int users = 200;
  constexpr int rounds = 3;
  constexpr int64_t first_user = 9900;
  start_meshed(3);
  auto leader = one_leader(10s);
  ASSERT_GE(leader, 0);
  auto victim = (leader + 1) % 3;

  int64_t id = 1;
  for (int r = 0; r < rounds; ++r)
    for (int u = 0; u < users; ++u, ++id) {
      if (r == 1 && u == users / 2) {
        nodes[victim].process->signal(SIGKILL);
        ASSERT_EQ(nodes[victim].process->wait_exit(10s), 128 + SIGKILL);
        nodes[victim].up = false;
      }
      post(id, bot_api_emulator::text_update(id, first_user + u,
                                             r == 0 ? "/start" : "hi " + std::to_string(r)));
    }
  wait_settled(users * rounds, 60s);
  expect_each_update_answered_once(users * rounds);
  // Only the leader sends, so the kill left no call in flight to repeat.
  EXPECT_EQ(replies(emu), users * rounds);
  auto by_victim = scalar(
      url, "SELECT count(*) FROM telegram_updates WHERE handled_by = '" + nodes[victim].name + "'");
  std::cout << "[ figures ] " << nodes[victim].name << " handled " << by_victim
            << " updates before it was killed; the others the rest\n";
  EXPECT_NE(by_victim, "0");
  EXPECT_EQ(leaders(), std::vector<int>{leader});
}

TEST_F(ClusterWebhook, TheNodesTogetherKeepToTheGlobalRate) {
  constexpr int users = 120;
  constexpr int64_t first_user = 10500;
  start_meshed(
      3, {{"VPNBOT_TELEGRAM_UNLIMITED_RATES", "false"}, {"VPNBOT_TELEGRAM_GLOBAL_RATE", "20"}});
  ASSERT_GE(one_leader(10s), 0);
  for (int u = 0; u < users; ++u)
    post(u, bot_api_emulator::text_update(u + 1, first_user + u, "/start"));
  wait_settled(users, 60s);
  std::vector<steady::time_point> sent;
  for (const auto& c : emu.calls("sendMessage"))
    if (c.status == 200) sent.push_back(c.at);
  ASSERT_EQ(sent.size(), static_cast<size_t>(users));
  std::sort(sent.begin(), sent.end());
  // The most calls Telegram saw within any one second: the rate plus the
  // bucket's burst (a tenth of the rate) at most.
  size_t busiest = 0;
  for (size_t i = 0, j = 0; j < sent.size(); ++j) {
    while (sent[j] - sent[i] >= 1s) ++i;
    busiest = std::max(busiest, j - i + 1);
  }
  std::cout << "[ figures ] busiest second: " << busiest << " sendMessage calls (global_rate 20)\n";
  EXPECT_LE(busiest, 22u);
}

TEST_F(ClusterWebhook, ANodeThatJoinsTakesItsShareAndTheOldOwnersLetThoseSessionsGo) {
  constexpr int users = 150;
  constexpr int64_t first_user = 11000;
  start_meshed(3, {}, 2);
  int64_t id = 1;
  for (int u = 0; u < users; ++u, ++id)
    post(id, bot_api_emulator::text_update(id, first_user + u, "/start"));
  wait_settled(users, 60s);
  EXPECT_EQ(scalar(url, "SELECT count(*) FROM telegram_updates WHERE handled_by = 'node-3'"), "0");

  start_node(2);
  wait_meshed();
  for (int u = 0; u < users; ++u, ++id)
    post(id, bot_api_emulator::text_update(id, first_user + u, "hi"));
  wait_settled(2 * users, 60s);
  expect_each_update_answered_once(2 * users);
  // The newcomer owns a share: those users' new updates were handled there.
  auto moved = scalar(url,
                      "SELECT count(*) FROM telegram_updates WHERE handled_by = 'node-3'"
                      " AND update_id > " +
                          std::to_string(users));
  std::cout << "[ figures ] users that moved to node-3: " << moved << " of " << users << "\n";
  EXPECT_NE(moved, "0");
  // Every user's second update was handled on its owner among the three.
  EXPECT_EQ(
      scalar(url, "SELECT count(DISTINCT handled_by) FROM telegram_updates WHERE update_id > " +
                      std::to_string(users)),
      "3");
  // The old owners ended the sessions of the users they lost.
  double let_go = 0;
  for (int i = 0; i < 2; ++i)
    let_go += metric(nodes[i], "vpnbot_telegram_sessions_passivated_total").value_or(0);
  EXPECT_GE(let_go, std::stod(moved));
  for (const auto& n : nodes)
    EXPECT_EQ(metric(n, "vpnbot_cluster_sessions_owned"),
              metric(n, "vpnbot_telegram_sessions_live"))
        << n.name;
}

}  // namespace
}  // namespace vpnbot::testing_support
