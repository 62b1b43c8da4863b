// The operator's actions (domain/admin) called directly against PostgreSQL:
// each changes what it says, queues the panel work and messages it needs,
// writes its audit row, and refuses bad input or a missing user without
// changing anything.

#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/db/panels_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/subscription_liveness.hpp"
#include "adapters/db/subscriptions_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "app/plan_seeding.hpp"
#include "config/settings.hpp"
#include "domain/admin/balance_adjustment.hpp"
#include "domain/admin/key_resend.hpp"
#include "domain/admin/payment_admin.hpp"
#include "domain/admin/service_stats.hpp"
#include "domain/admin/time_grant.hpp"
#include "domain/admin/user_ban.hpp"
#include "domain/admin/user_lookup.hpp"
#include "domain/admin/webhook_event_admin.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "domain/subscriptions/provisioning.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::admin {
namespace {

struct AdminActions : testing_support::fresh_database {
  int64_t alice = 0;  // users.id of Telegram user 501
  const acting_operator api = acting_operator::api();

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    pqxx::connection c(url);
    pqxx::work tx(c);
    app::seed_plans(tx, config::settings{}.bot.plans);
    db::upsert_panel(tx, "main", "http://127.0.0.1:1", 1);
    alice = db::upsert_user_on_start(tx, 501, "Alice", "Alice", "en").user.id;
    db::upsert_user_on_start(tx, 502, "bob", "Bob", "ru");
    tx.commit();
  }

  // A paid subscription of alice's, its client created (a key issued).
  int64_t give_subscription(const std::string& link = "vless://key@host:443") {
    return in_tx([&](pqxx::work& tx) {
      auto plan = db::active_plans(tx);
      auto paid = std::find_if(plan.begin(), plan.end(), [](auto& p) { return !p.def.is_trial; });
      auto row = subscriptions::provision(tx, alice, *paid, "paid", "test:create");
      db::set_access_link(tx, row->id, link);
      tx.exec("UPDATE jobs SET state = 'done'");
      return row->id;
    });
  }

  // Alice's 300 RUB top-up, paid through YooKassa and finalized.
  std::string paid_yookassa_topup(const std::string& provider_payment_id) {
    return in_tx([&](pqxx::work& tx) {
      db::new_payment p;
      p.user_id = alice;
      p.purpose = "topup";
      p.provider = "yookassa";
      p.amount = 30000;
      p.currency = "RUB";
      auto id = db::create_payment(tx, p);
      telegram::outbox_writer out(tx);
      payments::finalize_payment(tx, {id, "yookassa", provider_payment_id, 30000, "RUB"}, {}, out);
      return id;
    });
  }
};

TEST_F(AdminActions, GrantExtendsTheNewestSubscriptionAndQueuesTheExtension) {
  auto sub = give_subscription();
  auto before = query("SELECT extract(epoch from expires_at)::bigint FROM subscriptions");
  auto r = in_tx([&](pqxx::work& tx) { return grant_days(tx, api, 501, 30); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->subscription_id, sub);
  EXPECT_FALSE(r->created);
  EXPECT_EQ(query("SELECT (extract(epoch from expires_at)::bigint - " + before +
                  ") / 86400 FROM"
                  " subscriptions"),
            "30");
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'extend_client' AND state = 'queued'"),
            "1");
  EXPECT_EQ(query("SELECT actor || ' ' || action || ' ' || subject || ' ' || (details->>'days')"
                  " FROM audit_log"),
            "api grant_days user:501 30");
}

TEST_F(AdminActions, GrantWithoutASubscriptionProvisionsOneOnTheDefaultPanel) {
  auto r = in_tx([&](pqxx::work& tx) { return grant_days(tx, api, 501, 10); });
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->created);
  EXPECT_EQ(query("SELECT kind || ' ' || p.name FROM subscriptions s JOIN panels p ON p.id ="
                  " s.panel_id"),
            "paid main");
  EXPECT_EQ(
      query("SELECT round(extract(epoch from expires_at - now()) / 86400) FROM subscriptions"),
      "10");
  // The key follows the create_client job, as after a purchase.
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'create_client'"), "1");
}

TEST_F(AdminActions, TakingMoreTimeThanIsLeftEndsTheSubscriptionAndDisablesItsClient) {
  give_subscription();
  auto r = in_tx([&](pqxx::work& tx) { return grant_days(tx, api, 501, -400); });
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ended);
  EXPECT_EQ(query("SELECT status FROM subscriptions"), "expired");
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'disable_client' AND state = 'queued'"),
            "1");
  EXPECT_EQ(query("SELECT action FROM audit_log"), "take_days");
}

TEST_F(AdminActions, TakingSomeTimeMovesTheExpiryEarlierOnThePanel) {
  give_subscription();
  auto before = query("SELECT extract(epoch from expires_at)::bigint FROM subscriptions");
  auto r = in_tx([&](pqxx::work& tx) { return grant_days(tx, api, 501, -2); });
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ended);
  EXPECT_EQ(query("SELECT (" + before +
                  " - extract(epoch from expires_at)::bigint) / 86400 FROM"
                  " subscriptions"),
            "2");
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'extend_client'"), "1");
}

TEST_F(AdminActions, GrantRefusesBadDaysAnUnknownUserAndTakingFromNothing) {
  auto zero = in_tx([&](pqxx::work& tx) { return grant_days(tx, api, 501, 0); });
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().kind, refusal::bad_input);
  EXPECT_EQ(zero.error().field, "days");
  auto huge = in_tx([&](pqxx::work& tx) { return grant_days(tx, api, 501, 5000); });
  EXPECT_EQ(huge.error().field, "days");
  auto nobody = in_tx([&](pqxx::work& tx) { return grant_days(tx, api, 999, 5); });
  EXPECT_EQ(nobody.error().kind, refusal::not_found);
  auto nothing = in_tx([&](pqxx::work& tx) { return grant_days(tx, api, 501, -5); });
  EXPECT_EQ(nothing.error().kind, refusal::conflict);
  EXPECT_EQ(query("SELECT count(*) FROM subscriptions"), "0");
  EXPECT_EQ(query("SELECT count(*) FROM audit_log"), "0");
}

TEST_F(AdminActions, BanDisablesLiveClientsTellsTheUserAndUnbanEnablesThem) {
  auto sub = give_subscription();
  auto banned = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return ban_user(tx, acting_operator::bot_admin(7), 501, out);
  });
  ASSERT_TRUE(banned);
  EXPECT_TRUE(banned->changed);
  EXPECT_EQ(banned->subscriptions, 1);
  EXPECT_EQ(query("SELECT banned FROM users WHERE telegram_id = 501"), "t");
  EXPECT_EQ(query("SELECT subject_id FROM jobs WHERE kind = 'disable_client' AND state ="
                  " 'queued'"),
            std::to_string(sub));
  EXPECT_EQ(query("SELECT count(*) FROM telegram_outbox WHERE convert_from(body, 'UTF8') LIKE"
                  " '%access to this service has been suspended%'"),
            "1");
  EXPECT_EQ(query("SELECT actor || ' ' || action || ' ' || (details->>'admin') FROM audit_log"),
            "admin ban 7");
  // The disable job is not skipped as "active again": a banned user's
  // subscription is not enabled.
  EXPECT_FALSE(
      in_tx([&](pqxx::work& tx) { return db::find_subscription_liveness(tx, sub)->enabled; }));
  auto again = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return ban_user(tx, api, 501, out);
  });
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'disable_client'"), "1");

  auto unbanned = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return unban_user(tx, api, 501, out);
  });
  ASSERT_TRUE(unbanned);
  EXPECT_EQ(unbanned->subscriptions, 1);
  EXPECT_EQ(query("SELECT banned FROM users WHERE telegram_id = 501"), "f");
  EXPECT_EQ(query("SELECT count(*) FROM jobs WHERE kind = 'enable_client'"), "1");
  EXPECT_EQ(query("SELECT count(*) FROM telegram_outbox WHERE convert_from(body, 'UTF8') LIKE"
                  " '%access has been restored%'"),
            "1");
}

TEST_F(AdminActions, BalanceMovesThroughTheLedgerAndRefusesAnOverdraftOrAnotherCurrency) {
  auto credit = in_tx([&](pqxx::work& tx) {
    return adjust_balance(tx, api, 501, {5000, "RUB", "goodwill"});
  });
  ASSERT_TRUE(credit);
  EXPECT_EQ(credit->balance_minor, 5000);
  EXPECT_EQ(query("SELECT reason || ' ' || delta FROM balance_ledger"), "admin_adjustment 5000");
  EXPECT_EQ(query("SELECT details->>'note' FROM audit_log WHERE action = 'adjust_balance'"),
            "goodwill");
  auto debit = in_tx([&](pqxx::work& tx) {
    return adjust_balance(tx, api, 501, {-2000, "RUB", ""});
  });
  ASSERT_TRUE(debit);
  EXPECT_EQ(debit->balance_minor, 3000);
  auto overdraft = in_tx([&](pqxx::work& tx) {
    return adjust_balance(tx, api, 501, {-3001, "RUB", ""});
  });
  EXPECT_EQ(overdraft.error().kind, refusal::conflict);
  auto usd = in_tx([&](pqxx::work& tx) { return adjust_balance(tx, api, 501, {100, "USD", ""}); });
  EXPECT_EQ(usd.error().field, "currency");
  auto zero = in_tx([&](pqxx::work& tx) { return adjust_balance(tx, api, 501, {0, "RUB", ""}); });
  EXPECT_EQ(zero.error().field, "delta_minor");
  EXPECT_EQ(query("SELECT balance FROM users WHERE telegram_id = 501"), "3000");
  EXPECT_EQ(query("SELECT count(*) FROM balance_ledger"), "2");
}

TEST_F(AdminActions, ResendKeyQueuesTheLinkAndItsQrCode) {
  auto none = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return resend_key(tx, api, 501, out);
  });
  EXPECT_EQ(none.error().kind, refusal::conflict);
  auto sub = give_subscription("vless://the-key@host:443");
  auto r = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return resend_key(tx, api, 501, out);
  });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->subscription_id, sub);
  EXPECT_EQ(r->messages, 2);
  EXPECT_EQ(query("SELECT string_agg(method, ',' ORDER BY id) FROM telegram_outbox"),
            "sendMessage,sendPhoto");
  EXPECT_EQ(query("SELECT count(*) FROM telegram_outbox WHERE method = 'sendMessage' AND"
                  " convert_from(body, 'UTF8') LIKE '%vless://the-key@host:443%'"),
            "1");
}

TEST_F(AdminActions, UsersAreFoundByIdUsernameOrReferralCodeAndTheCardShowsThem) {
  auto code = query("SELECT referral_code FROM users WHERE telegram_id = 502");
  auto by = [&](const std::string& q) {
    return in_tx([&](pqxx::work& tx) {
      auto found = find_users(tx, q);
      return found.size() == 1 ? found[0].telegram_id : int64_t{-1};
    });
  };
  EXPECT_EQ(by("501"), 501);
  EXPECT_EQ(by("@alice"), 501);
  EXPECT_EQ(by("BOB"), 502);
  EXPECT_EQ(by(code), 502);
  EXPECT_EQ(by("nobody"), -1);
  give_subscription();
  in_tx([&](pqxx::work& tx) { return adjust_balance(tx, api, 501, {700, "RUB", ""}); });
  auto card = in_tx([&](pqxx::work& tx) { return user_card(tx, 501); });
  ASSERT_TRUE(card);
  EXPECT_EQ((*card)["subscriptions"].size(), 1u);
  EXPECT_EQ((*card)["subscriptions"][0]["status"], "active");
  EXPECT_EQ((*card)["balance_minor"], 700);
  EXPECT_EQ((*card)["ledger"][0]["reason"], "admin_adjustment");
  EXPECT_EQ((*card)["referrals"]["invited"], 0);
  EXPECT_FALSE(in_tx([&](pqxx::work& tx) { return user_card(tx, 999); }));
}

TEST_F(AdminActions, StatsCountUsersSubscriptionsRevenueJobsAndTheOutbox) {
  give_subscription();
  auto payment = paid_yookassa_topup("yk-1");
  auto s = in_tx([&](pqxx::work& tx) { return collect_stats(tx); });
  EXPECT_EQ(s.users_total, 2);
  EXPECT_EQ(s.users_new_today, 2);
  EXPECT_EQ(s.active_paid, 1);
  EXPECT_EQ(s.active_trials, 0);
  EXPECT_EQ(s.revenue_today["RUB"], 30000);
  EXPECT_EQ(s.revenue_30d["RUB"], 30000);
  EXPECT_EQ(s.payments_by_status["succeeded"], 1);
  EXPECT_EQ(s.jobs_waiting, 0);
  EXPECT_GE(s.outbox_queued["transactional"], 1);  // the top-up's receipt
  EXPECT_EQ(to_json(s)["users"]["total"], 2);

  // A partial refund (as YooKassa's notification records it) is net of the
  // revenue it came back from; an older payment refunded today counts only
  // as the refund.
  auto old = paid_yookassa_topup("yk-old");
  in_tx([&](pqxx::work& tx) {
    tx.exec_params("UPDATE payments SET finalized_at = now() - interval '40 days' WHERE id = $1",
                   old);
    tx.exec_params(
        "INSERT INTO payment_refunds (provider, refund_id, payment_id, amount) VALUES"
        " ('yookassa', 'rf-1', $1, 10000), ('yookassa', 'rf-old', $2, 5000)",
        payment, old);
    return 0;
  });
  s = in_tx([&](pqxx::work& tx) { return collect_stats(tx); });
  EXPECT_EQ(s.revenue_today["RUB"], 30000 - 10000 - 5000);
  EXPECT_EQ(s.revenue_30d["RUB"], 30000 - 10000 - 5000);
}

TEST_F(AdminActions, AStarsPaymentIsRefundedWholeAndOtherProvidersAreRefusedByName) {
  auto make = [&](const std::string& provider, const std::string& currency) {
    return in_tx([&](pqxx::work& tx) {
      db::new_payment p;
      p.user_id = alice;
      p.purpose = "topup";
      p.provider = provider;
      p.amount = provider == "stars" ? 150 : 30000;
      p.currency = currency;
      auto id = db::create_payment(tx, p);
      telegram::outbox_writer out(tx);
      payments::finalize_payment(tx, {id, provider, "charge-" + provider, p.amount, currency}, {},
                                 out);
      return id;
    });
  };
  in_tx([&](pqxx::work& tx) {
    tx.exec("UPDATE users SET balance_currency = 'XTR' WHERE telegram_id = 501");
    return 0;
  });
  auto stars = make("stars", "XTR");
  auto partial = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return refund_payment(tx, api, stars, 10, out);
  });
  EXPECT_EQ(partial.error().field, "amount_minor");
  auto r = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return refund_payment(tx, api, stars, std::nullopt, out);
  });
  ASSERT_TRUE(r);
  ASSERT_TRUE(std::holds_alternative<payment_refunded>(*r));
  EXPECT_TRUE(std::get<payment_refunded>(*r).fully_refunded);
  EXPECT_EQ(query("SELECT status FROM payments WHERE id = '" + stars + "'"), "refunded");
  EXPECT_EQ(query("SELECT count(*) FROM telegram_outbox WHERE method = 'refundStarPayment'"), "1");
  EXPECT_EQ(query("SELECT subject FROM audit_log WHERE actor = 'api' AND action = 'refund'"),
            "payment:" + stars);
  auto twice = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return refund_payment(tx, api, stars, std::nullopt, out);
  });
  EXPECT_EQ(twice.error().kind, refusal::conflict);

  auto unknown = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return refund_payment(tx, api, "00000000-0000-4000-8000-000000000000", std::nullopt, out);
  });
  EXPECT_EQ(unknown.error().kind, refusal::not_found);
}

TEST_F(AdminActions, AYooKassaRefundIsRecordedAsARequestForTheRefundSender) {
  auto id = paid_yookassa_topup("yk-2");
  auto r = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return refund_payment(tx, api, id, 10000, out);
  });
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(std::holds_alternative<refund_requested>(*r));
  const auto& requested = std::get<refund_requested>(*r);
  EXPECT_EQ(requested.amount_minor, 10000);
  EXPECT_EQ(requested.provider, "yookassa");
  EXPECT_EQ(query("SELECT status || '/' || amount_minor || '/' || (idempotence_key = id::text)"
                  " || '/' || operator_kind FROM refund_requests WHERE id = '" +
                  requested.request_id + "'"),
            "requested/10000/true/api");
  EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'refund_requested'"), "1");
  // Nothing is taken back until YooKassa has refunded.
  EXPECT_EQ(query("SELECT status FROM payments"), "succeeded");
  EXPECT_EQ(query("SELECT balance FROM users WHERE telegram_id = 501"), "30000");
  // While that request is unsettled, another is refused.
  auto second = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return refund_payment(tx, api, id, 100, out);
  });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, refusal::conflict);
  EXPECT_EQ(query("SELECT count(*) FROM refund_requests"), "1");
}

TEST_F(AdminActions, ARefundOfAProviderWithoutARefundApiIsAConflictNamingIt) {
  auto id = in_tx([&](pqxx::work& tx) {
    db::new_payment p;
    p.user_id = alice;
    p.purpose = "topup";
    p.provider = "coingate";
    p.amount = 30000;
    p.currency = "RUB";
    auto id = db::create_payment(tx, p);
    telegram::outbox_writer out(tx);
    payments::finalize_payment(tx, {id, "coingate", "cg-1", 30000, "RUB"}, {}, out);
    return id;
  });
  auto r = in_tx([&](pqxx::work& tx) {
    telegram::outbox_writer out(tx);
    return refund_payment(tx, api, id, std::nullopt, out);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, refusal::conflict);
  EXPECT_NE(r.error().message.find("coingate"), std::string::npos) << r.error().message;
  EXPECT_EQ(query("SELECT status FROM payments"), "succeeded");
  EXPECT_EQ(query("SELECT count(*) FROM refund_requests"), "0");
}

TEST_F(AdminActions, PaymentsAreListedByStatusProviderAndPayer) {
  in_tx([&](pqxx::work& tx) {
    for (auto provider : {"yookassa", "cryptobot"}) {
      db::new_payment p;
      p.user_id = alice;
      p.purpose = "topup";
      p.provider = provider;
      p.amount = 100;
      p.currency = "RUB";
      db::create_payment(tx, p);
    }
    return 0;
  });
  auto list = [&](payment_filter f) {
    return in_tx([&](pqxx::work& tx) { return list_payments(tx, f); });
  };
  EXPECT_EQ(list({})->size(), 2u);
  EXPECT_EQ(list({"pending", "cryptobot", 501})->size(), 1u);
  EXPECT_EQ(list({std::nullopt, std::nullopt, 502})->size(), 0u);
  EXPECT_EQ(list({"paid", std::nullopt, std::nullopt}).error().field, "status");
  EXPECT_EQ(list({std::nullopt, "Not A Provider", std::nullopt}).error().field, "provider");
}

TEST_F(AdminActions, OnlyADeadWebhookEventIsReplayed) {
  query(
      "INSERT INTO webhook_events (provider, event_id, raw_body, signature_ok, processed_at,"
      " outcome, attempts) VALUES ('yookassa', 'e-1', 'x', true, now(), 'dead', 8),"
      " ('yookassa', 'e-2', 'y', true, now(), 'granted', 1) RETURNING id");
  auto dead = query("SELECT id FROM webhook_events WHERE event_id = 'e-1'");
  auto done = query("SELECT id FROM webhook_events WHERE event_id = 'e-2'");
  auto listed = in_tx([&](pqxx::work& tx) { return list_webhook_events(tx, "dead"); });
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0]["event_id"], "e-1");
  EXPECT_EQ(in_tx([&](pqxx::work& tx) { return list_webhook_events(tx, "odd"); }).error().field,
            "status");
  auto r = in_tx([&](pqxx::work& tx) { return replay_webhook_event(tx, api, std::stoll(dead)); });
  ASSERT_TRUE(r);
  EXPECT_EQ(query("SELECT (outcome IS NULL AND processed_at IS NULL AND attempts = 0)::text FROM"
                  " webhook_events WHERE id = " +
                  dead),
            "true");
  auto refused =
      in_tx([&](pqxx::work& tx) { return replay_webhook_event(tx, api, std::stoll(done)); });
  EXPECT_EQ(refused.error().kind, refusal::conflict);
  EXPECT_EQ(
      in_tx([&](pqxx::work& tx) { return replay_webhook_event(tx, api, 12345); }).error().kind,
      refusal::not_found);
  EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'replay_webhook_event'"), "1");
}

}  // namespace
}  // namespace vpnbot::admin
