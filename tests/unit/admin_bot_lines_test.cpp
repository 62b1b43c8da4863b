#include <gtest/gtest.h>

#include "domain/bot/admin_balance_line.hpp"
#include "domain/bot/admin_promo_line.hpp"

namespace vpnbot::telegram {
namespace {

TEST(AdminBotLines, BalanceLinesCarryASignAnAmountAndANote) {
  auto credit = parse_balance_line("+500 bonus for the review", 2);
  ASSERT_TRUE(credit);
  EXPECT_EQ(credit->delta_minor, 50000);
  EXPECT_EQ(credit->note, "bonus for the review");
  auto debit = parse_balance_line("  - 199.50   refund by card \n", 2);
  ASSERT_TRUE(debit);
  EXPECT_EQ(debit->delta_minor, -19950);
  EXPECT_EQ(debit->note, "refund by card");
  auto bare = parse_balance_line("+7", 0);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->delta_minor, 7);
  EXPECT_EQ(bare->note, "");
  for (const auto* bad : {"500 no sign", "+", "+0 nothing", "+1.234 too fine", "+5e3", "five", "",
                          "+500note", "-1,5 comma"})
    EXPECT_FALSE(parse_balance_line(bad, 2)) << bad;
  EXPECT_FALSE(parse_balance_line("+1.5 stars", 0));
}

TEST(AdminBotLines, PromoLinesGiveEveryTerm) {
  auto full = promo_terms_from_line("SPRING percent 20 uses=100 once until=2027-01-31 plans=m1,m3");
  ASSERT_TRUE(std::holds_alternative<promo::promo_terms>(full));
  const auto& t = std::get<promo::promo_terms>(full);
  EXPECT_EQ(t.code, "SPRING");
  EXPECT_EQ(t.kind, "percent_off");
  EXPECT_EQ(t.amount, 20);
  EXPECT_FALSE(t.currency);
  EXPECT_EQ(t.uses_limit, 100);
  EXPECT_TRUE(t.per_user_once);
  EXPECT_EQ(t.valid_until, "2027-01-31T23:59:59Z");
  EXPECT_EQ(t.plans, (std::vector<std::string>{"m1", "m3"}));

  auto gift = promo_terms_from_line("GIFT balance 250.50 RUB many");
  ASSERT_TRUE(std::holds_alternative<promo::promo_terms>(gift));
  EXPECT_EQ(std::get<promo::promo_terms>(gift).kind, "balance_credit");
  EXPECT_EQ(std::get<promo::promo_terms>(gift).amount, 25050);
  EXPECT_EQ(std::get<promo::promo_terms>(gift).currency, "RUB");
  EXPECT_FALSE(std::get<promo::promo_terms>(gift).per_user_once);
  EXPECT_FALSE(std::get<promo::promo_terms>(gift).uses_limit);
}

TEST(AdminBotLines, PromoLinesNameTheFieldAtFault) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "code"},
      {"SPRING", "kind"},
      {"SPRING percent", "amount"},
      {"SPRING percent twenty", "amount"},
      {"SPRING percent 20 uses=0", "uses_limit"},
      {"SPRING percent 20 uses=many", "uses_limit"},
      {"SPRING percent 20 forever", "options"},
      {"GIFT balance 250.505 RUB", "amount"},
      {"GIFT balance 250 ZZZ", "currency"},
  };
  for (const auto& [line, field] : cases) {
    auto r = promo_terms_from_line(line);
    ASSERT_TRUE(std::holds_alternative<promo::field_error>(r)) << line;
    EXPECT_EQ(std::get<promo::field_error>(r).field, field) << line;
  }
}

}  // namespace
}  // namespace vpnbot::telegram
