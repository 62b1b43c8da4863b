// Redemptions of one promo code at once, with the interleaving forced as in
// payment_finalizer_races_test: the first transaction stays open until the
// second is seen waiting on a lock in pg_locks, then commits. Exactly one
// may take the last use; one user's second tap changes nothing.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "adapters/db/users_repository.hpp"
#include "app/plan_seeding.hpp"
#include "domain/promo/promo_admin.hpp"
#include "domain/promo/redemption.hpp"
#include "support/fresh_database.hpp"

namespace vpnbot::promo {
namespace {

using namespace std::chrono_literals;

struct PromoRaces : testing_support::fresh_database {
  std::vector<int64_t> users;

  void SetUp() override {
    fresh_database::SetUp();
    migrate_schema();
    pqxx::connection c(url);
    pqxx::work tx(c);
    app::seed_plans(tx, config::default_plans());
    for (int64_t tg = 61; tg <= 68; ++tg)
      users.push_back(db::upsert_user_on_start(tx, tg, "", "User", "en").user.id);
    tx.commit();
  }

  void create(promo_terms terms) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    ASSERT_TRUE(std::holds_alternative<promo_code>(create_promo_code(tx, terms)));
    tx.commit();
  }

  redeem_result redeem(int64_t user, const std::string& code) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto r = redeem_promo_code(tx, user, code).result;
    tx.commit();
    return r;
  }

  // `first` redeems in a transaction held open until `second`'s redemption
  // waits for it; returns both results.
  std::pair<redeem_result, redeem_result> race(int64_t first, int64_t second,
                                               const std::string& code) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    auto one = redeem_promo_code(tx, first, code).result;
    auto racer = std::async(std::launch::async, [&] { return redeem(second, code); });
    EXPECT_TRUE(someone_waits_for_a_lock()) << "the second redemption never waited for the first";
    tx.commit();
    return {one, racer.get()};
  }
};

TEST_F(PromoRaces, TwoUsersTakingTheLastUseOnlyOneGetsIt) {
  create({.code = "LAST",
          .kind = "balance_credit",
          .amount = 5000,
          .currency = "RUB",
          .uses_limit = 1});
  auto [one, two] = race(users[0], users[1], "LAST");
  EXPECT_EQ(one, redeem_result::applied);
  EXPECT_EQ(two, redeem_result::used_up);
  EXPECT_EQ(query("SELECT uses FROM promo_codes"), "1");
  EXPECT_EQ(query("SELECT count(*) FROM promo_redemptions"), "1");
  EXPECT_EQ(query("SELECT balance FROM users WHERE id = " + std::to_string(users[0])), "5000");
  EXPECT_EQ(query("SELECT balance FROM users WHERE id = " + std::to_string(users[1])), "0");
}

TEST_F(PromoRaces, OneUserTappingTwiceIsCreditedOnce) {
  create({.code = "TWICE", .kind = "balance_credit", .amount = 7000, .currency = "RUB"});
  auto [one, two] = race(users[0], users[0], "twice");
  EXPECT_EQ(one, redeem_result::applied);
  EXPECT_EQ(two, redeem_result::already_used);
  EXPECT_EQ(query("SELECT count(*) FROM promo_redemptions"), "1");
  EXPECT_EQ(query("SELECT balance FROM users WHERE id = " + std::to_string(users[0])), "7000");
}

TEST_F(PromoRaces, OneUserTappingTwiceGetsTheDaysOnce) {
  create({.code = "WEEK", .kind = "days", .amount = 7});
  auto [one, two] = race(users[0], users[0], "WEEK");
  EXPECT_EQ(one, redeem_result::applied);
  EXPECT_EQ(two, redeem_result::already_used);
  EXPECT_EQ(query("SELECT count(*) FROM subscriptions"), "1");
  EXPECT_EQ(query("SELECT count(*) FROM jobs"), "1");
}

// Unforced: eight users at once on a code with three uses.
TEST_F(PromoRaces, EightUsersAtOnceTakeExactlyTheThreeUses) {
  create({.code = "THREE", .kind = "percent_off", .amount = 10, .uses_limit = 3});
  std::vector<std::future<redeem_result>> runs;
  for (auto u : users)
    runs.push_back(std::async(std::launch::async, [this, u] { return redeem(u, "THREE"); }));
  int applied = 0, used_up = 0;
  for (auto& r : runs) {
    auto result = r.get();
    applied += result == redeem_result::applied;
    used_up += result == redeem_result::used_up;
  }
  EXPECT_EQ(applied, 3);
  EXPECT_EQ(used_up, 5);
  EXPECT_EQ(query("SELECT uses FROM promo_codes"), "3");
  EXPECT_EQ(query("SELECT count(DISTINCT user_id) FROM promo_redemptions"), "3");
}

}  // namespace
}  // namespace vpnbot::promo
