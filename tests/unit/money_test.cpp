#include "adapters/payments/money.hpp"

#include <gtest/gtest.h>

namespace vpnbot::payments {
namespace {

TEST(PaymentMoney, Exponents) {
  EXPECT_EQ(currency_exponent("RUB"), 2u);
  EXPECT_EQ(currency_exponent("USD"), 2u);
  EXPECT_EQ(currency_exponent("EUR"), 2u);
  EXPECT_EQ(currency_exponent("XTR"), 0u);
  EXPECT_EQ(currency_exponent("USDT"), 6u);
  EXPECT_EQ(currency_exponent("TON"), 9u);
  EXPECT_FALSE(currency_exponent("ETH"));
  EXPECT_FALSE(currency_exponent("rub"));
  EXPECT_TRUE(is_fiat_currency("RUB"));
  EXPECT_FALSE(is_fiat_currency("USDT"));
}

TEST(PaymentMoney, ParsesExactDecimals) {
  EXPECT_EQ(parse_decimal("199.00", 2), 19900);
  EXPECT_EQ(parse_decimal("199", 2), 19900);
  EXPECT_EQ(parse_decimal("199.5", 2), 19950);
  EXPECT_EQ(parse_decimal("0.01", 2), 1);
  EXPECT_EQ(parse_decimal("100.000000", 2), 10000);
  EXPECT_EQ(parse_decimal("5", 0), 5);
  EXPECT_EQ(parse_decimal("5.000", 0), 5);
  EXPECT_EQ(parse_decimal("1.234567", 6), 1234567);
  EXPECT_EQ(parse_decimal("92233720368547758.07", 2), INT64_MAX);
}

TEST(PaymentMoney, RejectsGarbageAndInexactValues) {
  for (const char* bad : {"", ".", "1.", ".5", "-1", "+1", " 1", "1 ", "1,00", "1e3", "0x10",
                          "1.2.3", "١٢", "NaN", "inf"})
    EXPECT_FALSE(parse_decimal(bad, 2)) << bad;
  EXPECT_FALSE(parse_decimal("199.001", 2));               // not representable in kopecks
  EXPECT_FALSE(parse_decimal("1.5", 0));                   // half a star
  EXPECT_FALSE(parse_decimal("92233720368547758.08", 2));  // overflow
  EXPECT_FALSE(parse_decimal("1.0000000", 2, 6));          // more digits than allowed
}

TEST(PaymentMoney, ParseMoneyUsesTheCurrency) {
  EXPECT_EQ(parse_money("2.5", "USDT"), (money{2500000, "USDT"}));
  EXPECT_EQ(parse_money("100", "XTR"), (money{100, "XTR"}));
  EXPECT_FALSE(parse_money("1", "ETH"));
}

TEST(PaymentMoney, Formats) {
  EXPECT_EQ(format_decimal(19900, 2), "199.00");
  EXPECT_EQ(format_decimal(5, 2), "0.05");
  EXPECT_EQ(format_decimal(0, 2), "0.00");
  EXPECT_EQ(format_decimal(-150, 2), "-1.50");
  EXPECT_EQ(format_decimal(7, 0), "7");
  EXPECT_EQ(format_decimal(INT64_MIN, 2), "-92233720368547758.08");
  EXPECT_EQ(format_money({2500000, "USDT"}), "2.500000");
  EXPECT_FALSE(format_money({1, "ETH"}));
}

TEST(PaymentMoney, RoundTrips) {
  for (int64_t v : std::initializer_list<int64_t>{0, 1, 99, 100, 123456789, INT64_MAX})
    EXPECT_EQ(parse_decimal(format_decimal(v, 2), 2), v);
}

}  // namespace
}  // namespace vpnbot::payments
