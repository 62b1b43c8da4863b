#include <gtest/gtest.h>

#include "adapters/telegram/api_response.hpp"

namespace vpnbot::telegram {
namespace {

std::string envelope(int code, const std::string& description, const std::string& params = "") {
  std::string body = R"({"ok":false,"error_code":)" + std::to_string(code) + R"(,"description":")" +
                     description + "\"";
  if (!params.empty()) body += R"(,"parameters":)" + params;
  return body + "}";
}

telegram_error error_of(int status, const std::string& body) {
  auto r = parse_response(status, body);
  EXPECT_FALSE(r.ok()) << body;
  return r.ok() ? telegram_error{} : r.error();
}

TEST(TelegramApiResponse, SuccessYieldsTheResult) {
  auto r = parse_response(200, R"({"ok":true,"result":{"id":1,"is_bot":true,"first_name":"B"}})");
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["id"], 1);
  auto t = parse_response(200, R"({"ok":true,"result":true})");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, true);
}

// Every row of the error table in PROTOCOLS.md §2, with its exact description.
struct row {
  int code;
  const char* description;
  const char* parameters;
  error_kind kind;
};

TEST(TelegramApiResponse, ClassifiesEveryDocumentedError) {
  const row rows[] = {
      {429, "Too Many Requests: retry after 7", R"({"retry_after":7})", error_kind::flood},
      {403, "Forbidden: bot was blocked by the user", "", error_kind::blocked},
      {403, "Forbidden: user is deactivated", "", error_kind::deactivated},
      {400, "Bad Request: group chat was upgraded to a supergroup chat",
       R"({"migrate_to_chat_id":-1001234567890})", error_kind::chat_migrated},
      {400,
       "Bad Request: message is not modified: specified new message content and reply markup "
       "are exactly the same as a current content and reply markup of the message",
       "", error_kind::not_modified},
      {400, "Bad Request: query is too old and response timeout expired or query ID is invalid", "",
       error_kind::query_too_old},
      {401, "Unauthorized: invalid token specified", "", error_kind::unauthorized},
      {409,
       "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
       "delete the webhook first",
       "", error_kind::conflict_webhook},
      {409,
       "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
       "is running",
       "", error_kind::conflict_other_poller},
      {404, "Not Found: method not found", "", error_kind::not_found},
  };
  for (const auto& r : rows) {
    auto e = error_of(r.code, envelope(r.code, r.description, r.parameters));
    EXPECT_EQ(e.kind, r.kind) << r.description << " -> " << to_string(e.kind);
    EXPECT_EQ(e.code, r.code);
    EXPECT_EQ(e.description, r.description);
  }
}

TEST(TelegramApiResponse, CarriesParameters) {
  auto flood =
      error_of(429, envelope(429, "Too Many Requests: retry after 7", R"({"retry_after":7})"));
  EXPECT_EQ(flood.retry_after, std::chrono::seconds(7));
  EXPECT_FALSE(flood.migrate_to_chat_id);
  auto migrated =
      error_of(400, envelope(400, "Bad Request: group chat was upgraded to a supergroup chat",
                             R"({"migrate_to_chat_id":-1001234567890})"));
  EXPECT_EQ(migrated.migrate_to_chat_id, -1001234567890);
  // Without parameters, the description's number still counts.
  auto bare = error_of(429, envelope(429, "Too Many Requests: retry after 12"));
  EXPECT_EQ(bare.retry_after, std::chrono::seconds(12));
  EXPECT_FALSE(error_of(429, envelope(429, "Too Many Requests")).retry_after);
}

TEST(TelegramApiResponse, OtherErrorsFallIntoBroadKinds) {
  EXPECT_EQ(error_of(400, envelope(400, "Bad Request: chat not found")).kind,
            error_kind::bad_request);
  EXPECT_EQ(
      error_of(403, envelope(403, "Forbidden: bot can't initiate conversation with a user")).kind,
      error_kind::forbidden);
  EXPECT_EQ(error_of(500, envelope(500, "Internal Server Error")).kind, error_kind::server_error);
  EXPECT_EQ(error_of(502, envelope(502, "Bad Gateway")).kind, error_kind::server_error);
}

TEST(TelegramApiResponse, HtmlFromAProxyIsAServerError) {
  auto e = error_of(502,
                    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                    "</body>\r\n</html>\r\n");
  EXPECT_EQ(e.kind, error_kind::server_error);
  EXPECT_EQ(e.code, 502);
  EXPECT_NE(e.description.find("502 Bad Gateway"), std::string::npos);
  EXPECT_EQ(e.description.find('\n'), std::string::npos);
  EXPECT_EQ(error_of(503, "").kind, error_kind::server_error);
  EXPECT_EQ(error_of(200, "not json").kind, error_kind::server_error);
  EXPECT_EQ(error_of(200, R"({"ok":true})").kind, error_kind::server_error);
  EXPECT_EQ(error_of(200, R"([1,2])").kind, error_kind::server_error);
}

TEST(TelegramApiResponse, BareStatusImpliesTheKind) {
  EXPECT_EQ(error_of(429, "slow down").kind, error_kind::flood);
  EXPECT_EQ(error_of(401, "").kind, error_kind::unauthorized);
  EXPECT_EQ(error_of(404, "<h1>Not Found</h1>").kind, error_kind::not_found);
  EXPECT_EQ(error_of(403, "").kind, error_kind::forbidden);
  EXPECT_EQ(error_of(413, "too large").kind, error_kind::bad_request);
}

TEST(TelegramApiResponse, StatusStandsInForAMissingErrorCode) {
  auto e = error_of(429, R"({"ok":false,"description":"Too Many Requests: retry after 3"})");
  EXPECT_EQ(e.code, 429);
  EXPECT_EQ(e.kind, error_kind::flood);
  EXPECT_EQ(e.retry_after, std::chrono::seconds(3));
}

TEST(TelegramApiResponse, NeverRepeatsATokenFromTheBody) {
  auto e = error_of(404, "<p>The requested URL /bot123:SECRET/getMe was not found</p>");
  EXPECT_EQ(e.description.find("SECRET"), std::string::npos);
  EXPECT_NE(e.description.find("/bot***/getMe"), std::string::npos);
  auto t = transport_error("connect to https://api.telegram.org/bot123:SECRET/getUpdates: timeout");
  EXPECT_EQ(t.kind, error_kind::transport);
  EXPECT_EQ(t.code, 0);
  EXPECT_EQ(t.description.find("SECRET"), std::string::npos);
}

TEST(TelegramApiResponse, LongForeignBodiesAreCutShort) {
  auto e = error_of(500, std::string(100000, 'x'));
  EXPECT_LT(e.description.size(), 300u);
  std::string cyrillic;
  for (int i = 0; i < 500; ++i) cyrillic += "ж";
  auto c = error_of(500, cyrillic);
  EXPECT_NO_THROW((void)nlohmann::json(c.description).dump());  // cut on a character boundary
}

}  // namespace
}  // namespace vpnbot::telegram
