// The Bot API request builder, the HTTP client actor and the response parser
// together against the emulator: the contract the outbox will rely on.

#include <gtest/gtest.h>

#include <caf/all.hpp>

#include "actors/http_client.hpp"
#include "adapters/emulators/telegram/bot_api_emulator.hpp"
#include "adapters/telegram/http_transport.hpp"
#include "messages/type_ids.hpp"

namespace vpnbot::telegram {
namespace {

using namespace std::chrono_literals;

struct TelegramTransport : ::testing::Test {
  emulators::bot_api_emulator tg;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  http_client_actor client;

  void SetUp() override {
    register_message_types(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
    config::http_client_settings s;
    s.read_timeout = 1s;
    s.total_timeout = 3s;
    client = spawn_http_client(*sys, s);
  }
  void TearDown() override {
    caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
    sys.reset();
  }

  template <class Params>
  result<nlohmann::json, telegram_error> send(const Params& p) {
    auto ep = endpoint::make(tg.api_base(), tg.token());
    EXPECT_TRUE(ep.ok());
    auto req = build(*ep, p);
    EXPECT_TRUE(req.ok());
    caf::scoped_actor self{*sys};
    caf::expected<http_client_response> got{caf::error{}};
    self->request(client, 10s, to_http_request(*req))
        .receive([&](http_client_response& r) { got = std::move(r); },
                 [&](caf::error& e) { got = std::move(e); });
    return from_http_result(got);
  }
};

TEST_F(TelegramTransport, SendMessageRoundTripsThroughTheEmulator) {
  auto r =
      send(send_message{.chat_id = 42, .text = "Привет, <b>мир</b>", .mode = parse_mode::html});
  ASSERT_TRUE(r.ok()) << r.error().description;
  EXPECT_EQ((*r)["chat"]["id"], 42);
  auto call = tg.calls("sendMessage").at(0);
  EXPECT_EQ(call.params["chat_id"], 42);
  EXPECT_EQ(call.params["text"], "Привет, <b>мир</b>");
  EXPECT_EQ(call.params["parse_mode"], "HTML");
}

TEST_F(TelegramTransport, FloodControlIsClassifiedWithItsRetryAfter) {
  tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", 7);
  auto r = send(send_message{.chat_id = 1, .text = "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, error_kind::flood);
  EXPECT_EQ(r.error().retry_after, std::chrono::seconds(7));
}

TEST_F(TelegramTransport, BlockedUserIsClassified) {
  tg.block_chat(5);
  auto r = send(send_message{.chat_id = 5, .text = "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, error_kind::blocked);
}

TEST_F(TelegramTransport, ASlowAnswerIsATransportTimeoutWithoutTheToken) {
  tg.delay_next(2s);
  auto r = send(get_me{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, error_kind::transport);
  EXPECT_EQ(r.error().description.find(tg.token()), std::string::npos);
}

TEST_F(TelegramTransport, LongPollGetsAReadTimeoutBeyondItsWait) {
  auto ep = endpoint::make(tg.api_base(), tg.token());
  auto req = build(*ep, get_updates{.timeout_seconds = 30});
  ASSERT_TRUE(req.ok());
  auto http = to_http_request(*req);
  EXPECT_EQ(http.read_timeout, 40s);
  EXPECT_GT(http.total_timeout, http.read_timeout);
  EXPECT_EQ(http.target, "telegram");
}

}  // namespace
}  // namespace vpnbot::telegram
