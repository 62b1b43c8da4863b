// The broadcast's domain functions against PostgreSQL, no actors: create
// materialises the segment's recipients, claim_next streams them into the
// outbox a window at a time, the outbox's outcomes come back through the
// trigger, and pause, resume and cancel act on claiming.

#include "domain/broadcasts/broadcast_control.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "adapters/db/telegram_outbox_repository.hpp"
#include "domain/broadcasts/broadcast_claim.hpp"
#include "domain/broadcasts/broadcast_json.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::broadcasts {
namespace {

struct BroadcastControl : testing_support::fresh_database {
  void SetUp() override {
    fresh_database::SetUp();
    if (IsSkipped()) return;
    migrate_schema();
  }

  // Users first..last (Telegram ids), language en.
  void users(int64_t first, int64_t last, const std::string& language = "en") {
    pqxx::connection c(url);
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO users (telegram_id, referral_code, language)"
        " SELECT g, 'ref' || g, $3 FROM generate_series($1::bigint, $2::bigint) g",
        first, last, language);
    tx.commit();
  }

  created create_ok(const broadcast_spec& spec) {
    auto r = in_tx([&](pqxx::dbtransaction& tx) { return create(tx, spec); });
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : created{};
  }

  progress progress_ok(int64_t id) {
    auto r = in_tx([&](pqxx::dbtransaction& tx) { return progress_of(tx, id); });
    EXPECT_TRUE(r);
    return r ? *r : progress{};
  }

  claim_report claim(int window) {
    return in_tx([&](pqxx::dbtransaction& tx) { return claim_next(tx, window, window); });
  }

  // What the outbox does when Telegram answered.
  void sent(const std::vector<int64_t>& ids) {
    in_tx([&](pqxx::dbtransaction& tx) {
      db::mark_outgoing_sending(tx, ids);
      db::mark_outgoing_sent(tx, ids);
      return 0;
    });
  }
  void failed(int64_t id, const std::string& reason) {
    in_tx([&](pqxx::dbtransaction& tx) {
      db::mark_outgoing_failed(tx, id, reason);
      return 0;
    });
  }
};

TEST_F(BroadcastControl, SegmentsSelectTheirUsersAndLeaveOutWhoBlockedTheBot) {
  users(1, 6);
  users(7, 7, "ru");
  query(
      "INSERT INTO plans (code, titles, duration_days) VALUES ('m1', '{\"en\":\"M\"}', 30);"
      "INSERT INTO subscriptions (user_id, plan_id, kind, status, starts_at, expires_at,"
      " client_uuid, client_email, sub_id)"
      " SELECT u.id, p.id, s.kind, s.status, now() - interval '60 days', now() + s.expires,"
      "  gen_random_uuid(), 'e' || u.telegram_id || s.kind, lpad(u.telegram_id || s.kind, 16, 'a')"
      " FROM (VALUES (1::bigint, 'paid', 'active', interval '10 days'),"
      "              (2, 'trial', 'active', interval '2 days'),"
      "              (3, 'paid', 'expired', interval '-5 days'),"
      "              (4, 'trial', 'active', interval '3 days'),"
      "              (4, 'paid', 'active', interval '20 days'))"
      "   AS s(tg, kind, status, expires)"
      " JOIN users u ON u.telegram_id = s.tg CROSS JOIN plans p;"
      "INSERT INTO payments (user_id, purpose, provider, amount, currency, status, finalized_at)"
      " SELECT id, 'topup', 'cryptobot', 100, 'USD', 'succeeded', now() FROM users"
      " WHERE telegram_id IN (1, 4);"
      "UPDATE users SET blocked_bot = true WHERE telegram_id = 5;"
      "UPDATE users SET banned = true WHERE telegram_id = 6;");
  auto chats = [&](segment s, std::optional<std::string> lang = std::nullopt) {
    auto id = create_ok({.text = "hello", .segment = s, .language = lang}).id;
    return query(
        "SELECT string_agg(chat_id::text, ',' ORDER BY chat_id) FROM broadcast_recipients"
        " WHERE broadcast_id = " +
        std::to_string(id));
  };
  EXPECT_EQ(chats(segment::all), "1,2,3,4,7");
  EXPECT_EQ(chats(segment::active_paid), "1,4");
  EXPECT_EQ(chats(segment::trial), "2");
  EXPECT_EQ(chats(segment::expired), "3");
  EXPECT_EQ(chats(segment::never_paid), "2,3,7");
  EXPECT_EQ(chats(segment::language, "ru"), "7");
}

TEST_F(BroadcastControl, CreateRefusesWhatTelegramWouldAndNamesTheField) {
  users(1, 3);
  auto refused = [&](const broadcast_spec& spec) {
    auto r = in_tx([&](pqxx::dbtransaction& tx) { return create(tx, spec); });
    return r ? std::string("accepted") : r.error().field;
  };
  EXPECT_EQ(refused({.text = ""}), "text");
  EXPECT_EQ(refused({.text = std::string(5000, 'x')}), "text");
  // Telegram would refuse every recipient's copy of broken HTML.
  EXPECT_EQ(refused({.text = "<b>sale</i>"}), "text");
  EXPECT_EQ(refused({.text = "<script>x</script>"}), "text");
  EXPECT_EQ(refused({.text = "hi", .segment = segment::language}), "language");
  EXPECT_EQ(refused({.text = "hi", .segment = segment::language, .language = "de"}), "language");
  EXPECT_EQ(refused({.text = "hi", .button = broadcast_button{"", std::nullopt}}), "button");
  EXPECT_EQ(query("SELECT count(*) FROM broadcasts"), "0");
  auto r = create_ok({.text = "<b>hi</b>", .button = broadcast_button{"Menu", std::nullopt}});
  EXPECT_EQ(r.total, 3);
  auto unknown = in_tx([](pqxx::dbtransaction& tx) { return progress_of(tx, 999); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().what, refusal::kind::not_found);
}

TEST_F(BroadcastControl, ClaimsAWindowAtATimeCountsOutcomesAndEndsDone) {
  users(1, 25);
  users(30, 30);
  auto id =
      create_ok({.text = "news", .button = broadcast_button{"Open", "https://example.com"}}).id;
  EXPECT_EQ(progress_ok(id).total, 26);

  auto first = claim(10);
  ASSERT_EQ(first.outbox_ids.size(), 10u);
  EXPECT_EQ(query("SELECT count(*) FROM telegram_outbox WHERE lane = 3 AND state = 'queued'"),
            "10");
  // Nothing more until half the window has drained.
  EXPECT_TRUE(claim(10).outbox_ids.empty());
  sent({first.outbox_ids.begin(), first.outbox_ids.begin() + 4});
  EXPECT_TRUE(claim(10).outbox_ids.empty());
  sent({first.outbox_ids.begin() + 4, first.outbox_ids.begin() + 5});
  EXPECT_EQ(claim(10).outbox_ids.size(), 5u);

  // The outbox's outcomes: a 403 blocked, a 400 chat not found.
  failed(first.outbox_ids[5], "blocked 403: Forbidden: bot was blocked by the user");
  failed(first.outbox_ids[6], "bad_request 400: Bad Request: chat not found");
  auto p = progress_ok(id);
  EXPECT_EQ(p.state, run_state::running);
  EXPECT_EQ(p.sent, 5);
  EXPECT_EQ(p.blocked, 1);
  EXPECT_EQ(p.failed, 1);
  EXPECT_EQ(p.left, 19);

  // Drain everything as the outbox would.
  for (int round = 0; round < 20 && progress_ok(id).state == run_state::running; ++round) {
    claim(10);
    auto open = query(
        "SELECT coalesce(string_agg(outbox_id::text, ','), '') FROM broadcast_recipients"
        " WHERE state = 'queued'");
    std::vector<int64_t> ids;
    for (std::size_t pos = 0; pos < open.size();) {
      auto comma = open.find(',', pos);
      ids.push_back(std::stoll(open.substr(pos, comma - pos)));
      pos = comma == std::string::npos ? open.size() : comma + 1;
    }
    sent(ids);
  }
  p = progress_ok(id);
  EXPECT_EQ(p.state, run_state::done);
  EXPECT_EQ(p.sent, 24);
  EXPECT_EQ(p.left, 0);
  // One message per recipient, each with the URL button.
  EXPECT_EQ(query("SELECT count(DISTINCT chat_id) FROM telegram_outbox WHERE lane = 3"), "26");
  EXPECT_EQ(query("SELECT count(*) FROM telegram_outbox WHERE lane = 3"), "26");
  EXPECT_EQ(query("SELECT count(*) FROM telegram_outbox WHERE lane = 3 AND"
                  " convert_from(body, 'UTF8')::jsonb #>> '{reply_markup,inline_keyboard,0,0,url}'"
                  " = 'https://example.com'"),
            "26");
}

TEST_F(BroadcastControl, PauseStopsClaimingResumeGoesOnCancelLeavesTheRestUnsent) {
  users(1, 30);
  auto id = create_ok({.text = "sale", .paid = true}).id;
  ASSERT_EQ(claim(10).outbox_ids.size(), 10u);
  EXPECT_EQ(query("SELECT count(*) FROM telegram_outbox WHERE lane = 3 AND paid_broadcast AND"
                  " convert_from(body, 'UTF8')::jsonb ->> 'allow_paid_broadcast' = 'true'"),
            "10");
  query("UPDATE broadcast_recipients SET state = 'sent' WHERE state = 'queued'");

  auto paused = in_tx([&](pqxx::dbtransaction& tx) { return pause(tx, id); });
  ASSERT_TRUE(paused);
  EXPECT_EQ(paused->state, run_state::paused);
  EXPECT_TRUE(claim(10).outbox_ids.empty());
  // Pausing twice is no change.
  EXPECT_TRUE(in_tx([&](pqxx::dbtransaction& tx) { return pause(tx, id); }));

  ASSERT_TRUE(in_tx([&](pqxx::dbtransaction& tx) { return resume(tx, id); }));
  ASSERT_EQ(claim(10).outbox_ids.size(), 10u);

  auto cancelled = in_tx([&](pqxx::dbtransaction& tx) { return cancel(tx, id); });
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->state, run_state::cancelled);
  EXPECT_EQ(cancelled->cancelled, 10);
  EXPECT_EQ(cancelled->sent, 10);
  EXPECT_TRUE(claim(10).outbox_ids.empty());
  auto again = in_tx([&](pqxx::dbtransaction& tx) { return resume(tx, id); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().what, refusal::kind::conflict);
  EXPECT_EQ(query("SELECT count(*) FROM broadcast_recipients WHERE state = 'pending'"), "0");
}

TEST(BroadcastJson, RequestsAreReadOrRefusedNamingTheFieldAndProgressIsWritten) {
  auto spec = spec_from_json(nlohmann::json::parse(
      R"({"text": "<b>hi</b>", "segment": "language", "language": "ru", "paid": true,)"
      R"( "button": {"text": "Menu", "menu": true}})"));
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->text, "<b>hi</b>");
  EXPECT_EQ(spec->segment, segment::language);
  EXPECT_EQ(spec->language, "ru");
  EXPECT_TRUE(spec->paid);
  ASSERT_TRUE(spec->button);
  EXPECT_FALSE(spec->button->url);
  EXPECT_EQ(spec_from_json({{"text", "x"}})->segment, segment::all);

  auto field = [](const nlohmann::json& body) {
    auto r = spec_from_json(body);
    return r ? std::string("accepted") : r.error().field;
  };
  EXPECT_EQ(field({{"segment", "all"}}), "text");
  EXPECT_EQ(field({{"text", "x"}, {"segment", "everyone"}}), "segment");
  EXPECT_EQ(field({{"text", "x"}, {"paid", "yes"}}), "paid");
  EXPECT_EQ(field({{"text", "x"}, {"button", {{"text", "b"}}}}), "button");
  EXPECT_EQ(field({{"text", "x"}, {"button", {{"text", "b"}, {"url", "u"}, {"menu", true}}}}),
            "button");

  progress p{.id = 7,
             .state = run_state::paused,
             .total = 10,
             .sent = 4,
             .failed = 1,
             .blocked = 2,
             .left = 3};
  auto j = to_json(p);
  EXPECT_EQ(j["state"], "paused");
  EXPECT_EQ(j["total"], 10);
  EXPECT_EQ(j["sent"], 4);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["blocked"], 2);
  EXPECT_EQ(to_json(created{5, 300}), (nlohmann::json{{"id", 5}, {"total", 300}}));
  EXPECT_EQ(to_json(refusal{refusal::kind::invalid, "text", "empty"})["field"], "text");
}

}  // namespace
}  // namespace vpnbot::broadcasts
