// Many users' turns taken together (handle_next_updates, what the pool runs
// for sessions' turns waiting together) with a real PostgreSQL: each user
// gets what a turn of its own would have given, in one transaction; and a
// user's turns judged by its session's memory of the flood window get what
// turns reading the window from the database get.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "adapters/db/telegram_repository.hpp"
#include "domain/bot/conversation.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::telegram {
namespace {

using json = nlohmann::json;

struct TelegramMergedTurns : testing_support::fresh_database {
  std::unique_ptr<pqxx::connection> conn;
  bot_profile bot;

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    conn = std::make_unique<pqxx::connection>(url);
    bot.username = "vpn_test_bot";
    bot.node = "node-1";
  }

  void TearDown() override {
    conn.reset();
    fresh_database::TearDown();
  }
};

json text_update(int64_t update_id, int64_t user, const std::string& text) {
  return {{"update_id", update_id},
          {"message",
           {{"message_id", update_id},
            {"date", 1700000000},
            {"from", {{"id", user}, {"is_bot", false}, {"first_name", "U" + std::to_string(user)}}},
            {"chat", {{"id", user}, {"type", "private"}}},
            {"text", text}}}};
}

struct seen {
  std::optional<handled_update> handled;
  std::vector<std::string> replies;  // chat:body of its outbox rows, in order
};

// The updates below, stored; then the users' turns, taken in the order
// given, either one transaction for all or one call each in one transaction.
std::vector<seen> run(pqxx::connection& c, const bot_profile& bot, bool together) {
  const std::vector<int64_t> users{501, 504, 502, 503};
  auto a1 = text_update(1, 501, "/start"), b1 = text_update(2, 502, "hi"),
       a2 = text_update(3, 501, "/help");
  auto broken = json{{"update_id", 4}, {"message", "not a message"}};
  pqxx::work tx{c};
  db::store_updates(
      tx, {{1, 501, a1.dump()}, {2, 502, b1.dump()}, {3, 501, a2.dump()}, {4, 503, broken.dump()}});
  std::vector<std::optional<handled_update>> handled;
  if (together) {
    std::vector<turn_ask> asks;
    for (auto u : users) asks.push_back({u, nullptr});
    handled = handle_next_updates(tx, bot, asks);
  } else {
    for (auto u : users) handled.push_back(handle_next_update(tx, bot, u));
  }
  std::vector<seen> out;
  for (auto& h : handled) {
    seen s{h, {}};
    if (h)
      for (auto id : h->outbox_ids)
        s.replies.push_back(
            tx.exec1("SELECT chat_id || ':' || convert_from(body, 'UTF8') FROM telegram_outbox"
                     " WHERE id = " +
                     std::to_string(id))[0]
                .as<std::string>());
    out.push_back(std::move(s));
  }
  EXPECT_EQ(tx.exec1("SELECT string_agg(update_id || ':' || state || ':' || coalesce(note, '-')"
                     " || ':' || coalesce(handled_by, '-'), ' ' ORDER BY update_id)"
                     " FROM telegram_updates")[0]
                .as<std::string>(),
            "1:handled:-:node-1 2:handled:-:node-1 3:received:-:- 4:skipped:malformed:node-1");
  tx.abort();
  return out;
}

TEST_F(TelegramMergedTurns, EachUserGetsWhatATurnOfItsOwnGives) {
  auto alone = run(*conn, bot, false);
  auto together = run(*conn, bot, true);
  ASSERT_EQ(together.size(), 4u);
  ASSERT_EQ(alone.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(together[i].handled.has_value(), alone[i].handled.has_value()) << i;
    if (!alone[i].handled) continue;
    EXPECT_EQ(together[i].handled->update_id, alone[i].handled->update_id);
    EXPECT_EQ(together[i].handled->outcome, alone[i].handled->outcome);
    EXPECT_EQ(together[i].handled->replies, alone[i].handled->replies);
    EXPECT_EQ(together[i].handled->more_pending, alone[i].handled->more_pending);
    EXPECT_EQ(together[i].replies, alone[i].replies) << i;
    EXPECT_TRUE(together[i].handled->flood.known) << "the window read comes back to the session";
  }
  ASSERT_TRUE(together[0].handled);
  EXPECT_EQ(together[0].handled->update_id, 1);
  EXPECT_TRUE(together[0].handled->more_pending) << "user 501's /help waits";
  ASSERT_EQ(together[0].replies.size(), 1u);
  EXPECT_TRUE(together[0].replies[0].starts_with("501:")) << together[0].replies[0];
  EXPECT_FALSE(together[1].handled) << "user 504 has no update";
  ASSERT_TRUE(together[2].handled);
  EXPECT_EQ(together[2].handled->outcome, "handled");
  ASSERT_EQ(together[2].replies.size(), 1u);
  EXPECT_TRUE(together[2].replies[0].starts_with("502:")) << together[2].replies[0];
  ASSERT_TRUE(together[3].handled);
  EXPECT_EQ(together[3].handled->outcome, "malformed");
  EXPECT_TRUE(together[3].replies.empty());
}

// A user given twice would have its update handled twice in one
// transaction: refused, and the pool then runs each call by itself.
TEST_F(TelegramMergedTurns, AUserGivenTwiceIsRefused) {
  pqxx::work tx{*conn};
  EXPECT_THROW(handle_next_updates(tx, bot, {{501, nullptr}, {502, nullptr}, {501, nullptr}}),
               std::invalid_argument);
}

// Twelve updates of one user: 1–6 received two minutes before 7–12. The
// turns are taken one by one, remembering the window (as a session does) or
// reading it every time; answers each turn's outcome and reply count.
std::vector<std::string> take_all(pqxx::connection& c, const bot_profile& bot, bool remember) {
  pqxx::work tx{c};
  std::vector<std::string> raws;
  for (int64_t id = 1; id <= 12; ++id)
    raws.push_back(text_update(id, 501, id == 1 ? "/start" : "hi").dump());
  std::vector<db::incoming_update> updates;
  for (int64_t id = 1; id <= 12; ++id)
    updates.push_back({id, 501, raws[static_cast<std::size_t>(id - 1)]});
  db::store_updates(tx, updates);
  tx.exec(
      "UPDATE telegram_updates SET received_at = received_at - interval '2 minutes'"
      " + update_id * interval '1 ms' WHERE update_id <= 6");
  std::vector<std::string> outcomes;
  flood_memory memory;
  while (auto h = handle_next_update(tx, bot, 501, remember ? &memory : nullptr)) {
    outcomes.push_back(h->outcome + ":" + std::to_string(h->replies));
    EXPECT_TRUE(h->flood.known);
    memory = std::move(h->flood);
  }
  tx.abort();
  return outcomes;
}

// A session's turns judged by what it remembers of its user's flood window
// (flood_memory) come to what turns reading the window each time come to.
TEST_F(TelegramMergedTurns, ARememberedFloodWindowGivesTheDatabasesVerdicts) {
  bot.flood = {std::chrono::seconds(60), 3};
  auto read_each_time = take_all(*conn, bot, false);
  auto remembered = take_all(*conn, bot, true);
  const std::vector<std::string> expected{
      "handled:1", "handled:1", "handled:1", "flood_warned:1", "flood_dropped:0", "flood_dropped:0",
      // Two minutes later the earlier six are out of the window, and so is
      // the warning: three more, then a new warning.
      "handled:1", "handled:1", "handled:1", "flood_warned:1", "flood_dropped:0",
      "flood_dropped:0"};
  EXPECT_EQ(read_each_time, expected);
  EXPECT_EQ(remembered, expected);
}

}  // namespace
}  // namespace vpnbot::telegram
