// Promo codes over a real database: the operator's create/list/disable, what
// each kind gives, the polite refusals, and a discount priced into an order
// and spent by the finalizer once.

#include <gtest/gtest.h>

#include "adapters/db/ledger_repository.hpp"
#include "adapters/db/payments_repository.hpp"
#include "adapters/db/plans_repository.hpp"
#include "adapters/db/users_repository.hpp"
#include "app/plan_seeding.hpp"
#include "domain/payments/payment_finalizer.hpp"
#include "domain/promo/discount.hpp"
#include "domain/promo/promo_admin.hpp"
#include "domain/promo/redemption.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::promo {
namespace {

struct PromoCodes : testing_support::fresh_database {
  std::unique_ptr<pqxx::connection> conn;
  int64_t user = 0;

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    conn = std::make_unique<pqxx::connection>(url);
    pqxx::work tx(*conn);
    app::seed_plans(tx, config::default_plans());
    user = db::upsert_user_on_start(tx, 71, "", "User", "en").user.id;
    tx.commit();
  }

  std::variant<promo_code, field_error> create(const promo_terms& terms) {
    pqxx::work tx(*conn);
    auto r = create_promo_code(tx, terms);
    tx.commit();
    return r;
  }

  std::string refused_field(const promo_terms& terms) {
    auto r = create(terms);
    if (!std::holds_alternative<field_error>(r)) return "(created)";
    return std::get<field_error>(r).field;
  }

  redemption redeem(const std::string& code, int64_t who = 0) {
    pqxx::work tx(*conn);
    auto r = redeem_promo_code(tx, who ? who : user, code);
    tx.commit();
    return r;
  }

  // An order of m1 in `currency` priced as the conversation prices it.
  db::payment_row order(const std::string& currency = "RUB",
                        const std::string& provider = "cryptobot") {
    pqxx::work tx(*conn);
    auto plan = db::find_plan(tx, "m1").value();
    auto price = price_order(tx, user, "m1", currency, plan.def.prices.at(currency));
    db::new_payment p;
    p.user_id = user;
    p.purpose = "plan";
    p.plan_id = plan.id;
    p.provider = provider;
    p.amount = price.amount;
    p.currency = currency;
    p.promo_redemption_id = price.promo_redemption_id;
    p.list_amount = price.list_amount;
    auto id = db::create_payment(tx, p);
    hold_for_order(tx, price, id);
    auto row = db::find_payment_for_update(tx, id).value();
    tx.commit();
    return row;
  }

  payments::finalize_result finalize(const db::payment_row& p) {
    pqxx::work tx(*conn);
    telegram::outbox_writer writer(tx);
    auto r = payments::finalize_payment(tx, {p.id, p.provider, "inv-" + p.id, p.amount, p.currency},
                                        {}, writer);
    tx.commit();
    return r.result;
  }
};

TEST_F(PromoCodes, CreateRefusesBadTermsNamingTheField) {
  EXPECT_EQ(refused_field({.code = "x", .kind = "days", .amount = 7}), "code");
  EXPECT_EQ(refused_field({.code = "GOOD", .kind = "free", .amount = 7}), "kind");
  EXPECT_EQ(refused_field({.code = "GOOD", .kind = "percent_off", .amount = 100}), "amount");
  EXPECT_EQ(refused_field({.code = "GOOD", .kind = "fixed_off", .amount = 500}), "currency");
  EXPECT_EQ(
      refused_field({.code = "GOOD", .kind = "days", .amount = 7, .valid_until = "2027-13-01"}),
      "valid_until");
  EXPECT_EQ(refused_field({.code = "GOOD", .kind = "days", .amount = 7, .plans = {"nope"}}),
            "plans");
  EXPECT_EQ(refused_field({.code = "GOOD", .kind = "days", .amount = 7, .plans = {"trial"}}),
            "plans");
  EXPECT_EQ(refused_field({.code = "GOOD", .kind = "days", .amount = 7}), "(created)");
  EXPECT_EQ(refused_field({.code = "good", .kind = "days", .amount = 3}), "code");
}

TEST_F(PromoCodes, TermsComeFromJsonAndCodesGoBackAsJson) {
  auto bad = terms_from_json(nlohmann::json{{"code", "SPRING"}, {"kind", "percent_off"}});
  ASSERT_TRUE(std::holds_alternative<field_error>(bad));
  EXPECT_EQ(std::get<field_error>(bad).field, "amount");
  auto terms = terms_from_json(nlohmann::json::parse(
      R"({"code": "SPRING", "kind": "percent_off", "amount": 20, "uses_limit": 100,
          "valid_until": "2099-01-01T00:00:00Z", "plans": ["m1", "m3"]})"));
  ASSERT_TRUE(std::holds_alternative<promo_terms>(terms));
  auto created = create(std::get<promo_terms>(terms));
  ASSERT_TRUE(std::holds_alternative<promo_code>(created));
  auto json = to_json(std::get<promo_code>(created));
  EXPECT_EQ(json["code"], "SPRING");
  EXPECT_EQ(json["uses"], 0);
  EXPECT_EQ(json["uses_limit"], 100);
  EXPECT_EQ(json["valid_until"], "2099-01-01T00:00:00Z");
  EXPECT_EQ(json["plans"], nlohmann::json::array({"m1", "m3"}));
  EXPECT_EQ(json["currency"], nullptr);
}

TEST_F(PromoCodes, ListShowsUsesAndDisabledCodesAreRefused) {
  create({.code = "ONE", .kind = "balance_credit", .amount = 100, .currency = "RUB"});
  EXPECT_EQ(redeem("ONE").result, redeem_result::applied);
  {
    pqxx::work tx(*conn);
    auto codes = list_promo_codes(tx);
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0].uses, 1);
    EXPECT_TRUE(disable_promo_code(tx, "one"));
    EXPECT_FALSE(disable_promo_code(tx, "NONE"));
    tx.commit();
  }
  pqxx::work tx(*conn);
  auto other = db::upsert_user_on_start(tx, 72, "", "Other", "en").user.id;
  tx.commit();
  EXPECT_EQ(redeem("ONE", other).result, redeem_result::disabled);
}

TEST_F(PromoCodes, RefusalsAreTold) {
  create({.code = "OLD", .kind = "days", .amount = 7, .valid_until = "2020-01-01"});
  create({.code = "RUBONLY", .kind = "balance_credit", .amount = 100, .currency = "USD"});
  EXPECT_EQ(redeem("NOSUCH").result, redeem_result::unknown);
  EXPECT_EQ(redeem("bad code!").result, redeem_result::unknown);
  EXPECT_EQ(redeem("OLD").result, redeem_result::expired);
  EXPECT_EQ(redeem("RUBONLY").result, redeem_result::wrong_currency);
  EXPECT_EQ(query("SELECT count(*) FROM promo_redemptions"), "0");
}

TEST_F(PromoCodes, DaysProvisionThenExtendLikeAPurchase) {
  create({.code = "WEEK", .kind = "days", .amount = 7});
  create({.code = "MORE", .kind = "days", .amount = 10, .plans = {"m1"}});
  auto first = redeem("WEEK");
  ASSERT_EQ(first.result, redeem_result::applied);
  EXPECT_EQ(query("SELECT kind || ' ' || (expires_at - starts_at)::text FROM subscriptions"),
            "paid 7 days");
  EXPECT_EQ(query("SELECT kind FROM jobs WHERE idempotency_key = 'promo:" +
                  std::to_string(*first.redemption_id) + "'"),
            "create_client");
  auto second = redeem("MORE");
  ASSERT_EQ(second.result, redeem_result::applied);
  EXPECT_EQ(second.subscription_id, first.subscription_id);
  EXPECT_EQ(query("SELECT (expires_at - starts_at)::text FROM subscriptions"), "17 days");
  EXPECT_EQ(query("SELECT kind FROM jobs WHERE idempotency_key = 'promo:" +
                  std::to_string(*second.redemption_id) + "'"),
            "extend_client");
}

TEST_F(PromoCodes, DaysForAnotherPlanIsWrongPlanAndLeavesNoTrace) {
  create({.code = "WEEK", .kind = "days", .amount = 7});
  create({.code = "YEARLY", .kind = "days", .amount = 30, .plans = {"m12"}});
  ASSERT_EQ(redeem("WEEK").result, redeem_result::applied);
  EXPECT_EQ(redeem("YEARLY").result, redeem_result::wrong_plan);
  EXPECT_EQ(query("SELECT count(*) FROM promo_redemptions"), "1");
  EXPECT_EQ(query("SELECT uses FROM promo_codes WHERE code = 'YEARLY'"), "0");
}

TEST_F(PromoCodes, BalanceCreditIsALedgerEntry) {
  create({.code = "GIFT", .kind = "balance_credit", .amount = 25000, .currency = "RUB"});
  auto r = redeem("GIFT");
  ASSERT_EQ(r.result, redeem_result::applied);
  EXPECT_EQ(query("SELECT reason || ' ' || delta || ' ' || ref FROM balance_ledger"),
            "promo 25000 promo:" + std::to_string(*r.redemption_id));
  EXPECT_EQ(query("SELECT balance FROM users"), "25000");
}

TEST_F(PromoCodes, UsesLimitAndOncePerUser) {
  create({.code = "TWO", .kind = "percent_off", .amount = 5, .uses_limit = 2});
  create({.code = "AGAIN",
          .kind = "balance_credit",
          .amount = 100,
          .currency = "RUB",
          .per_user_once = false});
  EXPECT_EQ(redeem("TWO").result, redeem_result::applied);
  EXPECT_EQ(redeem("TWO").result, redeem_result::already_used);
  pqxx::work tx(*conn);
  auto b = db::upsert_user_on_start(tx, 73, "", "B", "en").user.id;
  auto c = db::upsert_user_on_start(tx, 74, "", "C", "en").user.id;
  tx.commit();
  EXPECT_EQ(redeem("TWO", b).result, redeem_result::applied);
  EXPECT_EQ(redeem("TWO", c).result, redeem_result::used_up);
  EXPECT_EQ(redeem("AGAIN").result, redeem_result::applied);
  EXPECT_EQ(redeem("AGAIN").result, redeem_result::applied);
  EXPECT_EQ(query("SELECT balance FROM users WHERE telegram_id = 71"), "200");
}

TEST_F(PromoCodes, DiscountArithmeticNeverGoesBelowOneUnit) {
  EXPECT_EQ(discounted_amount(19900, "percent_off", 20), 15920);
  EXPECT_EQ(discounted_amount(150, "percent_off", 33), 101);  // Stars stay whole: 49 off
  EXPECT_EQ(discounted_amount(150, "percent_off", 99), 2);
  EXPECT_EQ(discounted_amount(19900, "fixed_off", 5000), 14900);
  EXPECT_EQ(discounted_amount(19900, "fixed_off", 50000), 1);
}

TEST_F(PromoCodes, PercentOffPricesTheNextOrderAndTheFinalizerSpendsItOnce) {
  create({.code = "SALE20", .kind = "percent_off", .amount = 20, .plans = {"m1"}});
  auto r = redeem("SALE20");
  ASSERT_EQ(r.result, redeem_result::applied);
  auto discounted = order();
  EXPECT_EQ(discounted.amount, 15920);
  EXPECT_EQ(discounted.list_amount, 19900);
  EXPECT_EQ(discounted.promo_redemption_id, r.redemption_id);
  EXPECT_EQ(finalize(discounted), payments::finalize_result::granted);
  EXPECT_EQ(query("SELECT consumed_payment_id FROM promo_redemptions"), discounted.id);
  EXPECT_EQ(finalize(discounted), payments::finalize_result::already_final);
  auto full = order();
  EXPECT_EQ(full.amount, 19900);
  EXPECT_FALSE(full.promo_redemption_id);
}

TEST_F(PromoCodes, StarsOrderTakesAPercentButNotARoubleDiscount) {
  create({.code = "RUB500", .kind = "fixed_off", .amount = 5000, .currency = "RUB"});
  ASSERT_EQ(redeem("RUB500").result, redeem_result::applied);
  auto stars = order("XTR", "stars");
  EXPECT_EQ(stars.amount, 150);
  EXPECT_FALSE(stars.list_amount);
  auto roubles = order();
  EXPECT_EQ(roubles.amount, 14900);
  create({.code = "STAR10", .kind = "percent_off", .amount = 10});
  ASSERT_EQ(redeem("STAR10").result, redeem_result::applied);
  EXPECT_EQ(order("XTR", "stars").amount, 135);
}

TEST_F(PromoCodes, ANewOrderWithTheDiscountCancelsTheOlderOne) {
  create({.code = "HALF", .kind = "percent_off", .amount = 50});
  ASSERT_EQ(redeem("HALF").result, redeem_result::applied);
  auto first = order();
  auto second = order();
  EXPECT_EQ(first.amount, 9950);
  EXPECT_EQ(second.amount, 9950);
  EXPECT_EQ(query("SELECT status FROM payments WHERE id = '" + first.id + "'"), "failed");
  EXPECT_EQ(finalize(second), payments::finalize_result::granted);
  // The cancelled order's money comes late anyway: granted, the reuse audited.
  EXPECT_EQ(finalize(first), payments::finalize_result::granted_late);
  EXPECT_EQ(query("SELECT consumed_payment_id FROM promo_redemptions"), second.id);
  EXPECT_EQ(query("SELECT count(*) FROM audit_log WHERE action = 'promo_discount_spent_before'"),
            "1");
}

TEST_F(PromoCodes, ADiscountForAnotherPlanIsNoted) {
  create({.code = "ONLYYEAR", .kind = "percent_off", .amount = 30, .plans = {"m12"}});
  ASSERT_EQ(redeem("ONLYYEAR").result, redeem_result::applied);
  pqxx::work tx(*conn);
  EXPECT_TRUE(holds_discount_for_other_plans(tx, user, "m1"));
  EXPECT_FALSE(holds_discount_for_other_plans(tx, user, "m12"));
}

}  // namespace
}  // namespace vpnbot::promo
