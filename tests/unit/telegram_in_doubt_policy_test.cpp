// Which calls caught in flight by a crash are sent again.

#include <gtest/gtest.h>

#include "adapters/telegram/in_doubt_policy.hpp"

namespace vpnbot::telegram {
namespace {

TEST(TelegramInDoubtPolicy, CallsHarmlessTwiceAreSentAgainOnEveryLane) {
  for (auto l : {lane::transactional, lane::interactive, lane::reminder, lane::broadcast}) {
    EXPECT_TRUE(resend_after_crash("editMessageText", l));
    EXPECT_TRUE(resend_after_crash("editMessageReplyMarkup", l));
    EXPECT_TRUE(resend_after_crash("answerCallbackQuery", l));
    EXPECT_TRUE(resend_after_crash("answerPreCheckoutQuery", l));
    EXPECT_TRUE(resend_after_crash("setWebhook", l));
    EXPECT_TRUE(resend_after_crash("deleteWebhook", l));
    EXPECT_TRUE(resend_after_crash("refundStarPayment", l));
  }
}

TEST(TelegramInDoubtPolicy, KeysPaymentResultsAndRepliesAreSentAgainOtherMessagesAreNot) {
  for (auto l : {lane::transactional, lane::interactive}) {
    EXPECT_TRUE(resend_after_crash("sendMessage", l));
    EXPECT_TRUE(resend_after_crash("sendPhoto", l));
  }
  for (auto l : {lane::reminder, lane::broadcast}) {
    EXPECT_FALSE(resend_after_crash("sendMessage", l));
    EXPECT_FALSE(resend_after_crash("sendPhoto", l));
  }
}

TEST(TelegramInDoubtPolicy, InvoicesAndUnknownMethodsAreNeverSentTwice) {
  EXPECT_FALSE(resend_after_crash("sendInvoice", lane::transactional));
  EXPECT_FALSE(resend_after_crash("someFutureMethod", lane::transactional));
}

}  // namespace
}  // namespace vpnbot::telegram
