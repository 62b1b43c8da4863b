#include <gtest/gtest.h>

#include "adapters/telegram/update_parser.hpp"

namespace vpnbot::telegram {
namespace {

using nlohmann::json;

update parse_ok(const std::string& text) {
  auto r = parse_update(std::string_view(text));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().reason);
  return r.ok() ? r.value() : update{};
}

TEST(TelegramUpdateParser, TextMessage) {
  auto u = parse_ok(R"({"update_id":100,"message":{"message_id":5,
      "from":{"id":4503599627370497,"is_bot":false,"first_name":"Анна","last_name":"K",
              "username":"anna","language_code":"ru"},
      "chat":{"id":4503599627370497,"type":"private","first_name":"Анна"},
      "date":1700000000,"text":"/start ref_42"}})");
  EXPECT_EQ(u.update_id, 100);
  ASSERT_TRUE(u.message);
  EXPECT_EQ(u.message->message_id, 5);
  ASSERT_TRUE(u.message->from);
  EXPECT_EQ(u.message->from->id, 4503599627370497);  // above 2^52
  EXPECT_EQ(u.message->from->first_name, "Анна");
  EXPECT_EQ(u.message->from->language_code, "ru");
  EXPECT_EQ(u.message->chat.type, "private");
  EXPECT_EQ(u.message->date, 1700000000);
  EXPECT_EQ(u.message->text, "/start ref_42");
  EXPECT_EQ(sender_id(u), 4503599627370497);
}

TEST(TelegramUpdateParser, IgnoresUnknownFieldsAndMissingOptionalOnes) {
  auto u = parse_ok(R"({"update_id":1,"brand_new_field":{"x":[1,2]},"message":{
      "message_id":1,"chat":{"id":-1001234567890,"type":"supergroup","is_forum":true},
      "date":1,"entities":[{"type":"bot_command","offset":0,"length":6}],
      "from":{"id":9,"first_name":"B","is_premium":true,"last_name":null},
      "photo":[{"file_id":"x"}],"story":{}}})");
  ASSERT_TRUE(u.message);
  EXPECT_EQ(u.message->chat.id, -1001234567890);
  EXPECT_FALSE(u.message->text);
  EXPECT_FALSE(u.message->from->last_name);
  EXPECT_FALSE(u.message->from->username);
  EXPECT_FALSE(u.message->from->is_bot);
}

TEST(TelegramUpdateParser, UnhandledKindsParseEmpty) {
  auto u = parse_ok(R"({"update_id":3,"inline_query":{"id":"1"}})");
  EXPECT_FALSE(u.message || u.edited_message || u.callback_query || u.pre_checkout_query ||
               u.my_chat_member);
  EXPECT_FALSE(sender_id(u));
}

TEST(TelegramUpdateParser, CallbackWithAccessibleMessage) {
  auto u = parse_ok(R"({"update_id":7,"callback_query":{"id":"4382bfdwdsb323b2d9",
      "from":{"id":11,"is_bot":false,"first_name":"C"},
      "message":{"message_id":50,"chat":{"id":11,"type":"private"},"date":1700000001,
                 "text":"Main menu","reply_markup":{"inline_keyboard":[]}},
      "chat_instance":"-123","data":"m:buy"}})");
  ASSERT_TRUE(u.callback_query);
  const auto& q = *u.callback_query;
  EXPECT_EQ(q.id, "4382bfdwdsb323b2d9");
  EXPECT_EQ(q.data, "m:buy");
  EXPECT_EQ(q.chat_instance, "-123");
  ASSERT_TRUE(q.message);
  ASSERT_TRUE(std::holds_alternative<message>(*q.message));
  EXPECT_EQ(std::get<message>(*q.message).text, "Main menu");
  EXPECT_EQ(message_id_of(*q.message), 50);
  EXPECT_EQ(chat_of(*q.message).id, 11);
  EXPECT_EQ(sender_id(u), 11);
}

TEST(TelegramUpdateParser, CallbackWithInaccessibleMessage) {
  auto u = parse_ok(R"({"update_id":8,"callback_query":{"id":"q2",
      "from":{"id":12,"is_bot":false,"first_name":"D"},
      "message":{"chat":{"id":12,"type":"private"},"message_id":49,"date":0},
      "chat_instance":"1","data":"m:main"}})");
  ASSERT_TRUE(u.callback_query && u.callback_query->message);
  const auto& m = *u.callback_query->message;
  ASSERT_TRUE(std::holds_alternative<inaccessible_message>(m));
  EXPECT_EQ(message_id_of(m), 49);
  EXPECT_EQ(chat_of(m).id, 12);
}

TEST(TelegramUpdateParser, CallbackFromAnInlineMessage) {
  auto u = parse_ok(R"({"update_id":9,"callback_query":{"id":"q3",
      "from":{"id":13,"is_bot":false,"first_name":"E"},"inline_message_id":"AAA",
      "chat_instance":"1","data":"x"}})");
  ASSERT_TRUE(u.callback_query);
  EXPECT_FALSE(u.callback_query->message);
  EXPECT_EQ(u.callback_query->inline_message_id, "AAA");
}

TEST(TelegramUpdateParser, PreCheckoutQuery) {
  auto u = parse_ok(R"({"update_id":10,"pre_checkout_query":{"id":"pcq",
      "from":{"id":14,"is_bot":false,"first_name":"F","language_code":"en"},
      "currency":"XTR","total_amount":150,"invoice_payload":"pay-7f3a",
      "order_info":{"name":"F"}}})");
  ASSERT_TRUE(u.pre_checkout_query);
  EXPECT_EQ(u.pre_checkout_query->id, "pcq");
  EXPECT_EQ(u.pre_checkout_query->currency, "XTR");
  EXPECT_EQ(u.pre_checkout_query->total_amount, 150);
  EXPECT_EQ(u.pre_checkout_query->invoice_payload, "pay-7f3a");
  EXPECT_FALSE(u.pre_checkout_query->shipping_option_id);
  EXPECT_EQ(sender_id(u), 14);
}

TEST(TelegramUpdateParser, SuccessfulPayment) {
  auto u = parse_ok(R"({"update_id":11,"message":{"message_id":60,
      "from":{"id":15,"is_bot":false,"first_name":"G"},"chat":{"id":15,"type":"private"},
      "date":1700000002,"successful_payment":{"currency":"XTR","total_amount":150,
      "invoice_payload":"pay-7f3a","telegram_payment_charge_id":"stxT",
      "provider_payment_charge_id":"","subscription_expiration_date":1702592002,
      "is_recurring":true,"is_first_recurring":true}}})");
  ASSERT_TRUE(u.message && u.message->successful_payment);
  const auto& p = *u.message->successful_payment;
  EXPECT_EQ(p.currency, "XTR");
  EXPECT_EQ(p.total_amount, 150);
  EXPECT_EQ(p.invoice_payload, "pay-7f3a");
  EXPECT_EQ(p.telegram_payment_charge_id, "stxT");
  EXPECT_EQ(p.provider_payment_charge_id, "");
  EXPECT_EQ(p.subscription_expiration_date, 1702592002);
  EXPECT_TRUE(p.is_recurring);
  EXPECT_TRUE(p.is_first_recurring);
}

TEST(TelegramUpdateParser, RefundedPayment) {
  auto u = parse_ok(R"({"update_id":12,"message":{"message_id":61,
      "chat":{"id":15,"type":"private"},"date":1,"refunded_payment":{"currency":"XTR",
      "total_amount":150,"invoice_payload":"pay-7f3a","telegram_payment_charge_id":"stxT"}}})");
  ASSERT_TRUE(u.message && u.message->refunded_payment);
  EXPECT_EQ(u.message->refunded_payment->total_amount, 150);
  EXPECT_FALSE(u.message->refunded_payment->provider_payment_charge_id);
  EXPECT_FALSE(sender_id(u));  // no "from": nobody to route to
}

TEST(TelegramUpdateParser, MyChatMemberBlockAndUnblock) {
  auto blocked = parse_ok(R"({"update_id":13,"my_chat_member":{
      "chat":{"id":16,"type":"private","first_name":"H"},
      "from":{"id":16,"is_bot":false,"first_name":"H"},"date":5,
      "old_chat_member":{"status":"member","user":{"id":1,"is_bot":true,"first_name":"Bot"}},
      "new_chat_member":{"status":"kicked","until_date":0,
                         "user":{"id":1,"is_bot":true,"first_name":"Bot"}}}})");
  ASSERT_TRUE(blocked.my_chat_member);
  EXPECT_TRUE(blocked.my_chat_member->blocked_by_user());
  EXPECT_FALSE(blocked.my_chat_member->unblocked_by_user());
  EXPECT_EQ(blocked.my_chat_member->old_status, "member");
  EXPECT_EQ(sender_id(blocked), 16);
}

TEST(TelegramUpdateParser, MalformedUpdatesReportWhatAndWhere) {
  auto r = parse_update(json::parse(R"({"update_id":5,"message":{"message_id":"x","chat":{}}})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().update_id, 5);
  EXPECT_EQ(r.error().reason, "message.message_id: expected an integer");
  auto no_chat =
      parse_update(json::parse(R"({"update_id":6,"message":{"message_id":1,"date":1}})"));
  ASSERT_FALSE(no_chat);
  EXPECT_EQ(no_chat.error().reason, "message.chat: expected an object");
  auto no_id = parse_update(json::parse(R"({"message":{}})"));
  ASSERT_FALSE(no_id);
  EXPECT_FALSE(no_id.error().update_id);
  EXPECT_FALSE(parse_update(json::parse("[]")));
  EXPECT_FALSE(parse_update(std::string_view("{not json")));
  auto fractional = parse_update(json::parse(R"({"update_id":1.5})"));
  ASSERT_FALSE(fractional);
  EXPECT_FALSE(fractional.error().update_id);
  auto too_big = parse_update(json::parse(R"({"update_id":18446744073709551615})"));
  EXPECT_FALSE(too_big);
  auto wrong_type = parse_update(json::parse(R"({"update_id":2,"callback_query":{"id":7,
      "from":{"id":1,"first_name":"x"},"chat_instance":"c"}})"));
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().reason, "callback_query.id: expected a string");
}

TEST(TelegramUpdateParser, BatchSkipsMalformedEntriesAndStillAdvances) {
  auto batch = parse_updates(json::parse(R"([
      {"update_id":20,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"date":1}},
      {"update_id":21,"message":{"message_id":"broken"}},
      "garbage",
      {"update_id":22,"callback_query":{"id":"q","from":{"id":2,"first_name":"x"},
                                        "chat_instance":"c","data":"m:main"}},
      {"update_id":23,"pre_checkout_query":{"id":"p"}}
  ])"));
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->updates.size(), 2u);
  EXPECT_EQ(batch->updates[0].update_id, 20);
  EXPECT_EQ(batch->updates[1].update_id, 22);
  ASSERT_EQ(batch->skipped.size(), 3u);
  EXPECT_EQ(batch->skipped[0].update_id, 21);
  EXPECT_FALSE(batch->skipped[1].update_id);
  EXPECT_EQ(batch->skipped[2].update_id, 23);
  EXPECT_EQ(batch->next_offset, 24);  // the malformed last one is confirmed too

  auto empty = parse_updates(json::array());
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->next_offset);
  EXPECT_FALSE(parse_updates(json::object()));
}

TEST(TelegramUpdateParser, MethodResults) {
  auto me = parse_user(json::parse(R"({"id":7000000001,"is_bot":true,"first_name":"VPN",
      "username":"vpn_bot","can_join_groups":false})"));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->id, 7000000001);
  EXPECT_EQ(me->username, "vpn_bot");
  auto sent = parse_message(json::parse(R"({"message_id":70,"chat":{"id":3,"type":"private"},
      "date":1,"photo":[{"file_id":"f","file_unique_id":"u","width":1,"height":1}]})"));
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->message_id, 70);
  EXPECT_FALSE(parse_message(json::parse("true")));
  auto info = parse_webhook_info(json::parse(R"({"url":"https://x/y","has_custom_certificate":false,
      "pending_update_count":3,"last_error_date":1700000000,"last_error_message":"Connection refused",
      "max_connections":40,"allowed_updates":["message","callback_query"],"ip_address":"1.2.3.4"})"));
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->url, "https://x/y");
  EXPECT_EQ(info->pending_update_count, 3);
  EXPECT_EQ(info->last_error_message, "Connection refused");
  EXPECT_EQ(info->max_connections, 40);
  EXPECT_EQ(info->allowed_updates, (std::vector<std::string>{"message", "callback_query"}));
  auto polling = parse_webhook_info(json::parse(R"({"url":"","pending_update_count":0})"));
  ASSERT_TRUE(polling);
  EXPECT_TRUE(polling->url.empty());
}

}  // namespace
}  // namespace vpnbot::telegram
