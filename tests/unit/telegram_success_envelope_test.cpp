#include <gtest/gtest.h>

#include "adapters/telegram/api_response.hpp"
#include "adapters/telegram/success_envelope.hpp"

namespace vpnbot::telegram {
namespace {

TEST(TelegramSuccessEnvelope, ASentMessageIsASuccess) {
  EXPECT_TRUE(is_success_envelope(
      R"({"ok":true,"result":{"message_id":7,"chat":{"id":1,"type":"private"},)"
      R"("date":1,"text":"hi","reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}}})"));
  EXPECT_TRUE(is_success_envelope(R"( {"result": true, "ok": true} )"));
}

TEST(TelegramSuccessEnvelope, EverythingElseIsLeftToParseResponse) {
  for (const char* body : {
           R"({"ok":false,"error_code":429,"description":"Too Many Requests"})",
           R"({"ok":true})",                      // no result
           R"({"ok":"true","result":1})",         // not a boolean
           R"({"result":{"ok":true}})",           // "ok" below the top
           R"({"result":1,"x":{"ok":true}})",     // likewise
           R"([{"ok":true,"result":1}])",         // not an object
           R"({"ok":true,"result":1} trailing)",  // not one document
           R"({"ok":true,"result":)",             // cut short
           "<html>Bad Gateway</html>",
           "",
       }) {
    EXPECT_FALSE(is_success_envelope(body)) << body;
    // And parse_response, which gets them, finds no success in them either.
    EXPECT_FALSE(parse_response(200, body)) << body;
  }
}

TEST(TelegramSuccessEnvelope, AgreesWithParseResponseOnSuccess) {
  for (const char* body : {R"({"ok":true,"result":[]})", R"({"ok":true,"result":null})",
                           R"({"description":"x","ok":true,"result":{"ok":false}})"}) {
    EXPECT_TRUE(is_success_envelope(body)) << body;
    EXPECT_TRUE(parse_response(200, body)) << body;
  }
}

}  // namespace
}  // namespace vpnbot::telegram
