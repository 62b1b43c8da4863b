#include <gtest/gtest.h>

#include "domain/bot/ui/callback_data.hpp"

namespace vpnbot::telegram {
namespace {

TEST(TelegramCallbackData, RoundTripsEveryAction) {
  const std::vector<std::pair<callback_action, std::string>> cases = {
      {open_screen{screen::main}, "m:main"},
      {open_screen{screen::buy}, "m:buy"},
      {open_screen{screen::subscriptions}, "m:subs"},
      {open_screen{screen::top_up}, "m:topup"},
      {open_screen{screen::promo}, "m:promo"},
      {choose_plan{"month_1"}, "p:month_1"},
      {choose_method{"month_1", "stars"}, "pm:month_1:stars"},
      {cancel_payment{"5f0c6a1e-2b7d-4c1a-9f3e-8d2b1a0c9e7f"},
       "pc:5f0c6a1e-2b7d-4c1a-9f3e-8d2b1a0c9e7f"},
      {open_subscription{42}, "s:42"},
      {show_qr{9223372036854775807}, "q:9223372036854775807"},
      {renew_subscription{7}, "r:7"},
      {set_auto_renew{42, true}, "ar:42:1"},
      {set_auto_renew{42, false}, "ar:42:0"},
      {top_up{50000, {}}, "t:50000"},
      {top_up{50000, "yookassa"}, "t:50000:yookassa"},
      {choose_language{language::ru}, "l:ru"},
      {open_screen{screen::admin_stats}, "m:astats"},
      {open_screen{screen::admin_promo_new}, "m:apnew"},
      {admin_user{1001, admin_user::op::card, 0}, "au:c:1001"},
      {admin_user{1001, admin_user::op::grant, 30}, "au:g:1001:30"},
      {admin_user{9223372036854775807, admin_user::op::take, 7}, "au:t:9223372036854775807:7"},
      {admin_user{1001, admin_user::op::ban, 0}, "au:x:1001"},
      {admin_user{1001, admin_user::op::resend_key, 0}, "au:k:1001"},
      {admin_refund{9223372036854775807, "5f0c6a1e-2b7d-4c1a-9f3e-8d2b1a0c9e7f"},
       "af:9223372036854775807:5f0c6a1e-2b7d-4c1a-9f3e-8d2b1a0c9e7f"},
      {admin_draft{"seg_active_paid"}, "ad:seg_active_paid"},
      {admin_broadcast{12, admin_broadcast::op::pause}, "ab:p:12"},
      {admin_broadcast{12, admin_broadcast::op::refresh}, "ab:r:12"},
      {admin_promo_disable{"SPRING-20"}, "ax:SPRING-20"},
  };
  for (const auto& [action, data] : cases) {
    auto encoded = encode_callback(action);
    ASSERT_TRUE(encoded) << data;
    EXPECT_EQ(*encoded, data);
    EXPECT_LE(encoded->size(), 64u);
    auto parsed = parse_callback(data);
    ASSERT_TRUE(parsed) << data;
    EXPECT_EQ(*parsed, action) << data;
  }
}

TEST(TelegramCallbackData, RejectsGarbage) {
  for (const std::string& g : std::vector<std::string>{
           "",          "m",        "m:",       "m:nowhere", "m:main:extra",
           "x:1",       "p:",       "p:a b",    "p:план",    "p:a:b",
           "pm:a",      "pm:a:",    "pm::b",    "s:",        "s:abc",
           "s:+1",      "s:01",     "s:-0",     "s:1.5",     "s:99999999999999999999",
           "ar:1",      "ar:1:2",   "ar:x:1",   "l:de",      "l:",
           "t:",        "q:1:",     ":",        "::",        std::string(65, 'm'),
           "au:c",      "au:z:1",   "au:c:1:5", "au:g:1",    "au:g:1:0",
           "au:t:1:-7", "au:g:x:1", "af:1",     "af:x:abc",  "af:1:a b",
           "ad:",       "ad:a:b",   "ab:r",     "ab:z:1",    "ab:p:01",
           "ax:",       "ax:a b",   "aq:1"})
    EXPECT_FALSE(parse_callback(g)) << g;
  EXPECT_FALSE(parse_callback("p:" + std::string(41, 'a')));
}

TEST(TelegramCallbackData, EncodingRefusesBadIdentifiers) {
  EXPECT_FALSE(encode_callback(choose_plan{""}));
  EXPECT_FALSE(encode_callback(choose_plan{"a:b"}));
  EXPECT_FALSE(encode_callback(choose_plan{std::string(41, 'a')}));
  EXPECT_FALSE(encode_callback(choose_method{"ok", "bad method"}));
  EXPECT_FALSE(encode_callback(cancel_payment{"../x"}));
  // Two identifiers of 40 do not fit in 64 bytes together; 30 each do.
  auto too_wide = encode_callback(choose_method{std::string(40, 'p'), std::string(40, 'm')});
  ASSERT_FALSE(too_wide);
  EXPECT_NE(too_wide.error().find("84 bytes"), std::string::npos);
  EXPECT_TRUE(encode_callback(choose_method{std::string(30, 'p'), std::string(30, 'm')}));
}

TEST(TelegramCallbackData, AdminActionsNeedAnAdmin) {
  for (const auto& data : {"m:admin", "m:astats", "m:afind", "m:abcast", "m:apromos", "m:apnew",
                           "au:g:1:30", "af:1:abc", "ad:send", "ab:c:1", "ax:CODE"}) {
    auto parsed = parse_callback(data);
    ASSERT_TRUE(parsed) << data;
    EXPECT_TRUE(needs_admin(*parsed)) << data;
  }
  for (const auto& data : {"m:main", "m:promo", "ar:1:1", "t:100", "s:1"})
    EXPECT_FALSE(needs_admin(*parse_callback(data))) << data;
}

TEST(TelegramCallbackData, AdminEncodingRefusesWhatCannotParse) {
  EXPECT_FALSE(encode_callback(admin_user{1, admin_user::op::grant, 0}));
  EXPECT_FALSE(encode_callback(admin_user{1, admin_user::op::take, -7}));
  EXPECT_FALSE(encode_callback(admin_refund{1, "not a uuid"}));
  EXPECT_FALSE(encode_callback(admin_draft{""}));
  EXPECT_FALSE(encode_callback(admin_promo_disable{"a:b"}));
}

}  // namespace
}  // namespace vpnbot::telegram
