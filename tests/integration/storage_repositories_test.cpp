// Round trips of the repositories against the real schema.

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "adapters/db/audit_repository.hpp"
#include "adapters/db/leases_repository.hpp"
#include "adapters/db/menu_facts.hpp"
#include "adapters/db/notifications_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/referrals_repository.hpp"
#include "adapters/db/sessions_repository.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/telegram_outbox_repository.hpp"
#include "adapters/db/telegram_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "adapters/db/webhook_events_repository.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::db {
namespace {

// The one value a query answers.
template <class T>
T one(pqxx::dbtransaction& tx, const std::string& sql) {
  return tx.exec1(sql)[0].as<T>();
}

using namespace std::chrono_literals;

struct StorageRepositories : testing_support::fresh_database {
  std::unique_ptr<pqxx::connection> conn;
  void SetUp() override {
    fresh_database::SetUp();
    if (IsSkipped()) return;
    migrate_schema();
    conn = std::make_unique<pqxx::connection>(url);
    pqxx::work tx{*conn};
    tx.exec(
        "INSERT INTO plans (id, code, titles, duration_days) VALUES (1, 'm1', '{\"en\":\"M\"}', "
        "30)");
    tx.exec("SELECT setval('plans_id_seq', 10)");
    tx.commit();
  }
  int64_t user(pqxx::work& tx, int64_t telegram_id) {
    return upsert_user_on_start(tx, telegram_id, "", "U", "en").user.id;
  }
};

TEST_F(StorageRepositories, UpsertOnStartCreatesOnceAndRefreshes) {
  pqxx::work tx{*conn};
  auto first = upsert_user_on_start(tx, 42, "alice", "Alice", "ru");
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.user.language, "ru");
  EXPECT_EQ(first.user.referral_code.size(), 8u);
  auto again = upsert_user_on_start(tx, 42, "alice2", "Alice B", "en");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.user.id, first.user.id);
  EXPECT_EQ(again.user.username, "alice2");
  EXPECT_EQ(again.user.language, "ru") << "a chosen language survives /start";
  EXPECT_EQ(find_user_by_referral_code(tx, first.user.referral_code)->telegram_id, 42);
  EXPECT_FALSE(find_user_by_telegram_id(tx, 43));
}

// A sender the update's statement found absent is inserted first, with its
// session at rest; one created meanwhile (two /start racing) is refreshed,
// not created twice.
TEST_F(StorageRepositories, AnAbsentSenderIsInsertedWithItsSessionOrRefreshedWhenItCameMeanwhile) {
  pqxx::work tx{*conn};
  auto created = insert_user_with_session(tx, 42, "alice", "Alice", "ru");
  EXPECT_TRUE(created.upserted.created);
  EXPECT_EQ(created.upserted.user.telegram_id, 42);
  EXPECT_EQ(created.upserted.user.username, "alice");
  EXPECT_EQ(created.upserted.user.language, "ru");
  EXPECT_EQ(created.upserted.user.referral_code.size(), 8u);
  ASSERT_TRUE(created.session);
  EXPECT_EQ(created.session->fsm_state, "main");
  EXPECT_EQ(created.session->version, 1);
  EXPECT_EQ(load_session(tx, created.upserted.user.id)->version, 1);

  auto raced = insert_user_with_session(tx, 42, "alice2", "Alice B", "en");
  EXPECT_FALSE(raced.upserted.created);
  EXPECT_EQ(raced.upserted.user.id, created.upserted.user.id);
  EXPECT_EQ(raced.upserted.user.referral_code, created.upserted.user.referral_code);
  EXPECT_EQ(raced.upserted.user.language, "ru") << "the stored language is kept";
  EXPECT_EQ(find_user_by_telegram_id(tx, 42)->first_name, "Alice B") << "the names refreshed";
  ASSERT_TRUE(raced.session);
  EXPECT_EQ(raced.session->version, 1);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM users")[0].as<int>(), 1);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM sessions")[0].as<int>(), 1);

  // A user stored without a session (as upsert_user_on_start makes one) gets
  // none here: only a turn that leaves the main menu writes one.
  upsert_user_on_start(tx, 43, "", "Bob", "en");
  auto bob = insert_user_with_session(tx, 43, "", "Bob", "en");
  EXPECT_FALSE(bob.upserted.created);
  EXPECT_FALSE(bob.session);
}

TEST_F(StorageRepositories, SecondTrialIsReportedNotThrown) {
  pqxx::work tx{*conn};
  auto u = user(tx, 1);
  new_subscription s{u,
                     1,
                     "trial",
                     3,
                     std::nullopt,
                     "6f1c3a52-5d5e-4f5b-9f8e-1a2b3c4d5e6f",
                     "tg1-1",
                     "abcdefghij012345"};
  auto [outcome, row] = create_subscription(tx, s);
  EXPECT_EQ(outcome, trial_outcome::created);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status, "active");
  s.client_uuid = "7f1c3a52-5d5e-4f5b-9f8e-1a2b3c4d5e6f";
  s.client_email = "tg1-2";
  s.sub_id = "bbcdefghij012345";
  EXPECT_EQ(create_subscription(tx, s).first, trial_outcome::already_taken);
  EXPECT_TRUE(trial_taken(tx, u));
  EXPECT_EQ(subscriptions_of_user(tx, u).size(), 1u);
  extend_subscription(tx, row->id, "2030-01-01T00:00:00Z");
  EXPECT_EQ(find_subscription(tx, row->id)->expires_at, "2030-01-01T00:00:00.000000Z");
}

TEST_F(StorageRepositories, PaymentLeavesPendingExactlyOnce) {
  pqxx::work tx{*conn};
  auto u = user(tx, 1);
  auto id =
      create_payment(tx, {u, "plan", 1, std::nullopt, "yookassa", 19900, "RUB", 3600, {}, {}});
  EXPECT_TRUE(set_provider_payment_id(tx, id, "yk-77"));
  EXPECT_TRUE(set_provider_payment_id(tx, id, "yk-77"));
  EXPECT_FALSE(set_provider_payment_id(tx, id, "yk-other"));
  EXPECT_EQ(find_payment_by_provider_id(tx, "yookassa", "yk-77")->id, id);
  EXPECT_TRUE(mark_payment_succeeded(tx, id, "2030-01-01T00:00:00Z"));
  EXPECT_FALSE(mark_payment_succeeded(tx, id, "2031-01-01T00:00:00Z"));
  EXPECT_FALSE(mark_payment_if_pending(tx, id, "failed"));
  auto p = find_payment_for_update(tx, id);
  EXPECT_EQ(p->status, "succeeded");
  EXPECT_EQ(p->granted_expiry, "2030-01-01T00:00:00.000000Z");
}

TEST_F(StorageRepositories, PendingPaymentsExpireAfterTheirTtl) {
  pqxx::work tx{*conn};
  auto u = user(tx, 1);
  auto stale = create_payment(
      tx, {u, "topup", std::nullopt, std::nullopt, "cryptobot", 500, "RUB", 0, {}, {}});
  auto fresh = create_payment(
      tx, {u, "topup", std::nullopt, std::nullopt, "cryptobot", 500, "RUB", 3600, {}, {}});
  auto expired = expire_pending_payments(tx);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0], stale);
  EXPECT_EQ(find_payment_for_update(tx, fresh)->status, "pending");
}

TEST_F(StorageRepositories, WebhookEventIsRecordedOnce) {
  pqxx::work tx{*conn};
  auto first = record_webhook_event(tx, "cryptobot", "inv-1", "{\"raw\":1}", "{}", true);
  auto again = record_webhook_event(tx, "cryptobot", "inv-1", "{\"raw\":1}", "{}", true);
  EXPECT_FALSE(first.duplicate);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(first.id, again.id);
  mark_webhook_processed(tx, first.id, "applied");
  EXPECT_EQ(tx.exec1("SELECT outcome FROM webhook_events")[0].as<std::string>(), "applied");
  // An overlapping replay's later outcome does not replace the first one.
  mark_webhook_processed(tx, first.id, "already_final");
  EXPECT_EQ(tx.exec1("SELECT outcome FROM webhook_events")[0].as<std::string>(), "applied");
}

TEST_F(StorageRepositories, AKnownUsersRowIsWrittenOnlyWhenSomethingChangedAndComesWithTheSession) {
  auto version = [&] {
    pqxx::work tx{*conn};
    return tx.exec1("SELECT xmin::text FROM users WHERE telegram_id = 42")[0].as<std::string>();
  };
  int64_t id = 0;
  {
    pqxx::work tx{*conn};
    auto created = upsert_user_with_session(tx, 42, "alice", "Alice", "en");
    EXPECT_TRUE(created.upserted.created);
    ASSERT_TRUE(created.session) << "a new user's session is created with it";
    EXPECT_EQ(created.session->fsm_state, "main");
    EXPECT_EQ(created.session->data_json, "{}");
    EXPECT_EQ(created.session->version, 1);
    id = created.upserted.user.id;
    EXPECT_EQ(load_session(tx, id)->version, 1) << "and stored";
    save_session(tx, id, "buy", R"({"plan":"m1"})", 1);
    tx.commit();
  }
  auto written = version();
  {
    pqxx::work tx{*conn};
    auto same = upsert_user_with_session(tx, 42, "alice", "Alice", "en");
    EXPECT_FALSE(same.upserted.created);
    EXPECT_EQ(same.upserted.user.id, id);
    EXPECT_EQ(same.upserted.user.username, "alice");
    ASSERT_TRUE(same.session);
    EXPECT_EQ(same.session->fsm_state, "buy");
    EXPECT_EQ(same.session->data_json, R"({"plan": "m1"})");
    EXPECT_EQ(same.session->version, 2);
    tx.commit();
  }
  EXPECT_EQ(version(), written) << "nothing changed: the row is only read";
  {
    pqxx::work tx{*conn};
    tx.exec("UPDATE users SET blocked_bot = true WHERE telegram_id = 42");
    tx.commit();
  }
  written = version();
  {
    pqxx::work tx{*conn};
    EXPECT_FALSE(
        upsert_user_with_session(tx, 42, "alice", "Alice", "en").upserted.user.blocked_bot);
    tx.commit();
  }
  EXPECT_NE(version(), written) << "writing to the bot unblocks it";
  {
    pqxx::work tx{*conn};
    EXPECT_EQ(tx.exec1("SELECT blocked_bot::text FROM users")[0].as<std::string>(), "false");
  }
  written = version();
  {
    pqxx::work tx{*conn};
    EXPECT_EQ(upsert_user_with_session(tx, 42, "", "Alice B", "en").upserted.user.first_name,
              "Alice B");
    tx.commit();
  }
  EXPECT_NE(version(), written) << "a new name is written";
  pqxx::work tx{*conn};
  EXPECT_EQ(
      tx.exec1("SELECT coalesce(username, '<none>') || first_name FROM users")[0].as<std::string>(),
      "<none>Alice B");
  // A minute later the row is written again, for last_seen_at.
  tx.exec("UPDATE users SET last_seen_at = now() - interval '2 minutes'");
  tx.commit();
  written = version();
  {
    pqxx::work again{*conn};
    upsert_user_with_session(again, 42, "", "Alice B", "en");
    again.commit();
  }
  EXPECT_NE(version(), written);
}

// The update's statement brings its sender and session along; a turn uses
// them as they are exactly when the upsert would have written nothing, and
// then they are what the upsert answers.
TEST_F(StorageRepositories, AnUpdateComesWithItsSenderAsStoredWhenNothingIsToBeWritten) {
  auto raw = nlohmann::json{{"update_id", 1}};
  pqxx::work tx{*conn};
  store_updates(tx, {{1, 42, raw.dump()}});
  auto stranger = next_pending_update(tx, {42}, {10s, 20});
  ASSERT_TRUE(stranger);
  EXPECT_FALSE(stranger->user) << "not a user yet";
  auto created = upsert_user_with_session(tx, 42, "alice", "Alice", "en");
  save_session(tx, created.upserted.user.id, "buy", R"({"plan":"m1"})", 1);

  auto pending = next_pending_update(tx, {42}, {10s, 20});
  ASSERT_TRUE(pending && pending->user);
  EXPECT_FALSE(pending->user->due_write);
  auto same = unchanged_user(*pending->user, "alice", "Alice");
  ASSERT_TRUE(same);
  auto upserted = upsert_user_with_session(tx, 42, "alice", "Alice", "en");
  EXPECT_EQ(same->upserted.user.id, upserted.upserted.user.id);
  EXPECT_EQ(same->upserted.user.referral_code, upserted.upserted.user.referral_code);
  EXPECT_EQ(same->upserted.user.username, "alice");
  EXPECT_FALSE(same->upserted.created);
  ASSERT_TRUE(same->session && upserted.session);
  EXPECT_EQ(same->session->fsm_state, upserted.session->fsm_state);
  EXPECT_EQ(same->session->data_json, upserted.session->data_json);
  EXPECT_EQ(same->session->version, upserted.session->version);

  // The main menu's facts come along, as read_menu_facts reads them.
  auto id = created.upserted.user.id;
  EXPECT_FALSE(pending->menu.trial_on_offer);
  EXPECT_EQ(pending->menu.active_panels, 0);
  plan_definition trial{"trial", {{"en", "3 days"}}, 3, 0, 0, true, 0, {}};
  upsert_plan(tx, trial);
  tx.exec(
      "INSERT INTO panels (name, base_url, inbound_id) VALUES ('p1', 'http://a/', 1),"
      " ('p2', 'http://b/', 1)");
  auto with_plan = next_pending_update(tx, {42}, {10s, 20});
  EXPECT_TRUE(with_plan->menu.trial_on_offer);
  EXPECT_EQ(with_plan->menu.active_panels, 2);
  EXPECT_EQ(with_plan->menu.trial_on_offer, read_menu_facts(tx, id).trial_on_offer);
  EXPECT_EQ(with_plan->menu.active_panels, read_menu_facts(tx, id).active_panels);

  // Whatever the upsert would write sends the turn to it.
  EXPECT_FALSE(unchanged_user(*pending->user, "alice2", "Alice"));
  EXPECT_FALSE(unchanged_user(*pending->user, "", "Alice"));
  EXPECT_FALSE(unchanged_user(*pending->user, "alice", "Alice B"));
  tx.exec("UPDATE users SET blocked_bot = true");
  EXPECT_TRUE(next_pending_update(tx, {42}, {10s, 20})->user->due_write);
  tx.exec("UPDATE users SET blocked_bot = false, last_seen_at = now() - interval '2 minutes'");
  auto stale = next_pending_update(tx, {42}, {10s, 20});
  EXPECT_TRUE(stale->user->due_write);
  EXPECT_FALSE(unchanged_user(*stale->user, "alice", "Alice"));
}

// The flood window is read up to the limit (a flood is not read whole at
// every turn), the latest first; its warning is found however far back in
// the flood it was sent; a session that remembers the window does not ask.
TEST_F(StorageRepositories, AFloodWindowIsReadUpToTheLimitWithItsWarning) {
  auto raw = nlohmann::json{{"update_id", 0}}.dump();
  pqxx::work tx{*conn};
  std::vector<incoming_update> flood;
  for (int64_t id = 1; id <= 30; ++id) flood.push_back({id, 42, raw});
  store_updates(tx, flood);
  auto received_a_minute_earlier = [&](const std::string& which) {
    tx.exec(
        "UPDATE telegram_updates SET received_at = received_at - interval '1 minute'"
        " WHERE " +
        which);
  };
  auto received_us = [&](int64_t id) {
    return one<int64_t>(tx,
                        "SELECT (extract(epoch FROM received_at) * 1000000)::bigint"
                        " FROM telegram_updates WHERE update_id = " +
                            std::to_string(id));
  };
  // Apart by a millisecond each, so that the latest are told from the others.
  tx.exec(
      "UPDATE telegram_updates SET received_at = received_at - (30 - update_id) * interval '1 ms'");
  tx.exec("UPDATE telegram_updates SET state = 'handled' WHERE update_id < 30");
  tx.exec(
      "UPDATE telegram_updates SET state = 'skipped', note = 'flood_warned' WHERE update_id = 5");
  auto limited = next_pending_update(tx, {42}, {10s, 10});
  ASSERT_TRUE(limited && limited->window);
  EXPECT_EQ(limited->update_id, 30);
  EXPECT_EQ(limited->received_us, received_us(30));
  std::vector<int64_t> latest;
  for (int64_t id = 29; id >= 20; --id) latest.push_back(received_us(id));
  EXPECT_EQ(limited->window->earlier_us, latest) << "the ten latest, up to the limit";
  EXPECT_EQ(limited->window->warned_us, received_us(5)) << "the warning 25 updates back";
  EXPECT_EQ(next_pending_update(tx, {42}, {10s, 100})->window->earlier_us.size(), 29u);
  EXPECT_FALSE(next_pending_update(tx, {42, false}, {10s, 10})->window)
      << "not read when not asked for";
  received_a_minute_earlier("update_id = 5");
  auto expired = next_pending_update(tx, {42}, {10s, 10});
  EXPECT_EQ(expired->window->earlier_us.size(), 10u);
  EXPECT_EQ(expired->window->warned_us, 0) << "the warning left the window";
  received_a_minute_earlier("update_id < 22");
  EXPECT_EQ(next_pending_update(tx, {42}, {10s, 10})->window->earlier_us.size(), 8u)
      << "only the eight since update 22 are in the window";
}

// Many users' next updates read by one statement are what each reads alone;
// many updates finished by one statement are each marked, with each one's
// replies kept apart and in their order.
TEST_F(StorageRepositories, ManyUsersUpdatesAreReadAndFinishedTogetherAsEachAlone) {
  auto raw = nlohmann::json{{"update_id", 0}};
  pqxx::work tx{*conn};
  store_updates(
      tx, {{1, 42, raw.dump()}, {2, 43, raw.dump()}, {3, 42, raw.dump()}, {4, 44, raw.dump()}});
  auto alice = upsert_user_with_session(tx, 43, "alice", "Alice", "en");
  save_session(tx, alice.upserted.user.id, "buy", R"({"plan":"m1"})", 1);
  const std::vector<int64_t> users{44, 42, 99, 43};
  std::vector<pending_read> reads;
  for (auto u : users) reads.push_back({u});
  auto together = next_pending_updates(tx, reads, {10s, 20});
  ASSERT_EQ(together.size(), users.size());
  for (std::size_t i = 0; i < users.size(); ++i) {
    auto alone = next_pending_update(tx, {users[i]}, {10s, 20});
    ASSERT_EQ(together[i].has_value(), alone.has_value()) << users[i];
    if (!alone) continue;
    EXPECT_EQ(together[i]->update_id, alone->update_id);
    EXPECT_EQ(together[i]->raw_json, alone->raw_json);
    EXPECT_EQ(together[i]->received_us, alone->received_us);
    ASSERT_TRUE(together[i]->window && alone->window);
    EXPECT_EQ(together[i]->window->earlier_us, alone->window->earlier_us);
    EXPECT_EQ(together[i]->more_pending, alone->more_pending);
    EXPECT_EQ(together[i]->user.has_value(), alone->user.has_value());
  }
  EXPECT_EQ(together[0]->update_id, 4);
  EXPECT_EQ(together[1]->update_id, 1);
  EXPECT_TRUE(together[1]->more_pending);
  EXPECT_FALSE(together[2]) << "user 99 has no update";
  ASSERT_TRUE(together[3] && together[3]->user && together[3]->user->known.session);
  EXPECT_EQ(together[3]->user->known.session->fsm_state, "buy");
  EXPECT_FALSE(together[0]->user) << "user 44 is not a user yet";
  EXPECT_THROW(next_pending_updates(tx, {{42}, {43}, {42}}, {10s, 20}), std::invalid_argument);

  auto reply = [](int64_t chat, std::string body) {
    outgoing_call c;
    c.chat_id = chat;
    c.method = "sendMessage";
    c.content_type = "application/json";
    c.body = std::move(body);
    return c;
  };
  std::vector<outgoing_call> first{reply(42, "a"), reply(42, "b")}, none, second{reply(44, "c")};
  auto ids = finish_updates(tx,
                            {{1, "handled", std::nullopt, &first},
                             {2, "skipped", std::string("flood_dropped"), &none},
                             {4, "handled", std::nullopt, &second}},
                            "node-1");
  ASSERT_EQ(ids.size(), 3u);
  ASSERT_EQ(ids[0].size(), 2u);
  EXPECT_LT(ids[0][0], ids[0][1]);
  EXPECT_TRUE(ids[1].empty());
  ASSERT_EQ(ids[2].size(), 1u);
  auto body_of = [&](int64_t id) {
    return one<std::string>(
        tx,
        "SELECT convert_from(body, 'UTF8') || '@' || update_id FROM telegram_outbox WHERE id = " +
            std::to_string(id));
  };
  EXPECT_EQ(body_of(ids[0][0]), "a@1");
  EXPECT_EQ(body_of(ids[0][1]), "b@1");
  EXPECT_EQ(body_of(ids[2][0]), "c@4");
  EXPECT_EQ(tx.exec1("SELECT string_agg(update_id || ':' || state || ':' || coalesce(note, '-')"
                     " || ':' || coalesce(handled_by, '-'), ' ' ORDER BY update_id)"
                     " FROM telegram_updates")[0]
                .as<std::string>(),
            "1:handled:-:node-1 2:skipped:flood_dropped:node-1 3:received:-:- 4:handled:-:node-1");
  EXPECT_EQ(next_pending_update(tx, {42}, {10s, 20})->update_id, 3);
  EXPECT_FALSE(next_pending_updates(tx, {{43}, {44}}, {10s, 20})[0]);
}

TEST_F(StorageRepositories, StaleSessionSaveIsRefused) {
  pqxx::work tx{*conn};
  auto u = user(tx, 1);
  EXPECT_FALSE(load_session(tx, u));
  auto v1 = save_session(tx, u, "menu", "{}", 0);
  ASSERT_EQ(v1, 1);
  EXPECT_FALSE(save_session(tx, u, "buy", "{}", 0));
  EXPECT_EQ(save_session(tx, u, "buy", "{\"plan\":\"m1\"}", 1), 2);
  EXPECT_FALSE(save_session(tx, u, "help", "{}", 1));
  EXPECT_EQ(load_session(tx, u)->fsm_state, "buy");
}

// The outbox sends only what its mark answers: a row recorded sent since a
// scan read it queued is not marked (and so not sent) again.
TEST_F(StorageRepositories, AnOutboxRowAlreadySentIsNotMarkedForSendingAgain) {
  pqxx::work tx{*conn};
  outgoing_call call;
  call.chat_id = 7;
  call.method = "sendMessage";
  call.content_type = "application/json";
  call.body = "{}";
  auto a = enqueue_outgoing(tx, call);
  auto b = enqueue_outgoing(tx, call);
  EXPECT_EQ(mark_outgoing_sending(tx, {a}), std::vector<int64_t>{a});
  EXPECT_EQ(mark_outgoing_sending(tx, {a}), std::vector<int64_t>{a}) << "a repeated mark";
  mark_outgoing_sent(tx, {a});
  EXPECT_EQ(mark_outgoing_sending(tx, {a, b}), std::vector<int64_t>{b});
  EXPECT_EQ(tx.exec1("SELECT state FROM telegram_outbox WHERE id = " + std::to_string(a))[0]
                .as<std::string>(),
            "sent");
}

// The method becomes the request's URL path: only 1-64 ASCII letters are
// stored, whatever code wrote the row.
TEST_F(StorageRepositories, TheOutboxStoresOnlyAMethodOfOneToSixtyFourLetters) {
  pqxx::work tx{*conn};
  // A savepoint of ours: libpqxx 6's subtransaction would not wrap the
  // repository's prepared statement (see db/group_commit.cpp).
  auto attempt = [&](const std::string& method) {
    outgoing_call call;
    call.method = method;
    call.content_type = "application/json";
    call.body = "{}";
    tx.exec("SAVEPOINT attempt");
    try {
      enqueue_outgoing(tx, call);
      tx.exec("RELEASE SAVEPOINT attempt");
      return true;
    } catch (const pqxx::check_violation&) {
      tx.exec("ROLLBACK TO SAVEPOINT attempt");
      return false;
    }
  };
  EXPECT_TRUE(attempt("sendMessage"));
  EXPECT_TRUE(attempt(std::string(64, 'Z')));
  for (const std::string& bad : std::vector<std::string>{
           "", std::string(65, 'a'), "send/Message", "sendMessage?x=1", "send Message",
           "sendMessage\n", "s\xc3\xa9ndMessage", "getMe2", "../getMe", "send%2FMessage"})
    EXPECT_FALSE(attempt(bad)) << '"' << bad << '"';
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM telegram_outbox")[0].as<int>(), 2);
}

TEST_F(StorageRepositories, TelegramOffsetOnlyMovesForwardAndUpdatesDedupe) {
  pqxx::work tx{*conn};
  auto a = nlohmann::json{{"update_id", 100}};
  auto b = nlohmann::json{{"update_id", 101}, {"message", {{"text", "é \"q\""}}}};
  EXPECT_EQ(store_updates(tx, {{100, 42, a.dump()}}), std::vector<int64_t>{100});
  EXPECT_EQ(store_updates(tx, {{100, 42, a.dump()}, {101, std::nullopt, b.dump()}}),
            std::vector<int64_t>{101})
      << "a batch stores only what is new";
  EXPECT_EQ(
      tx.exec1("SELECT raw::text FROM telegram_updates WHERE update_id = 101")[0].as<std::string>(),
      R"({"message": {"text": "é \"q\""}, "update_id": 101})");
  EXPECT_TRUE(
      tx.exec1("SELECT user_id IS NULL FROM telegram_updates WHERE update_id = 101")[0].as<bool>());
  advance_offset(tx, 7, 100);
  advance_offset(tx, 7, 90);
  EXPECT_EQ(offset_of(tx, 7), 100);
  advance_offset(tx, 7, 101);
  EXPECT_EQ(offset_of(tx, 7), 101);
}

TEST_F(StorageRepositories, LeaseHasOneOwnerUntilItRunsOut) {
  pqxx::work tx{*conn};
  EXPECT_TRUE(try_acquire_lease(tx, "workers", "node-a", 30s));
  EXPECT_TRUE(try_acquire_lease(tx, "workers", "node-a", 30s)) << "renewal";
  EXPECT_FALSE(try_acquire_lease(tx, "workers", "node-b", 30s));
  tx.exec("UPDATE leases SET expires_at = now() - interval '1 second'");
  EXPECT_TRUE(try_acquire_lease(tx, "workers", "node-b", 30s));
  release_lease(tx, "workers", "node-a");
  EXPECT_FALSE(try_acquire_lease(tx, "workers", "node-a", 30s)) << "a stale owner released nothing";
}

TEST_F(StorageRepositories, NotificationIsClaimedOnce) {
  pqxx::work tx{*conn};
  auto u = user(tx, 1);
  auto id = claim_notification(tx, u, "reminder", "reminder:1:2030-01-01:3d", "{}");
  ASSERT_TRUE(id);
  EXPECT_FALSE(claim_notification(tx, u, "reminder", "reminder:1:2030-01-01:3d", "{}"));
  mark_notification_sent(tx, *id);
  EXPECT_EQ(tx.exec1("SELECT state FROM notifications")[0].as<std::string>(), "sent");
}

TEST_F(StorageRepositories, PlansAreSeededUpdatedAndRetired) {
  pqxx::work tx{*conn};
  plan_definition m3{"m3", {{"en", "3 months"}, {"ru", "3 месяца"}},
                     90,   0,
                     3,    false,
                     2,    {{"RUB", 49900}, {"XTR", 250}}};
  auto id = upsert_plan(tx, m3);
  m3.prices = {{"RUB", 44900}};
  m3.raw_link = true;
  EXPECT_EQ(upsert_plan(tx, m3), id);
  auto found = find_plan(tx, "m3");
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->def.raw_link);
  EXPECT_EQ(found->def.titles.at("ru"), "3 месяца");
  EXPECT_EQ(found->def.prices, (std::map<std::string, int64_t>{{"RUB", 44900}}));
  deactivate_plans_except(tx, {"m3"});
  auto active = active_plans(tx);
  ASSERT_EQ(active.size(), 1u) << "m1 left the configuration";
  EXPECT_EQ(active[0].def.code, "m3");
}

TEST_F(StorageRepositories, ReferralIsRecordedOnceAndNeverSelf) {
  pqxx::work tx{*conn};
  auto a = user(tx, 1);
  auto b = user(tx, 2);
  auto c = user(tx, 3);
  EXPECT_EQ(record_referral(tx, a, a), referral_outcome::self_referral);
  EXPECT_EQ(record_referral(tx, a, b), referral_outcome::recorded);
  EXPECT_EQ(record_referral(tx, c, b), referral_outcome::already_referred);
  EXPECT_EQ(find_user_by_telegram_id(tx, 2)->referred_by, a);
  EXPECT_EQ(referral_stats_of(tx, a).invited, 1);
  audit(tx, "admin:1", "grant_days", "user:2", "{\"days\":7}");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM audit_log")[0].as<int>(), 1);
}

TEST(StorageReferralCodes, AreEightCharactersOfTheAlphabetAndVary) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto code = new_referral_code();
    ASSERT_EQ(code.size(), 8u);
    ASSERT_EQ(code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"), std::string::npos);
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace vpnbot::db
