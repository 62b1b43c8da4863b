// `vpnbot --sandbox` end to end through the JSON behind its web chat: the
// real binary on its own embedded PostgreSQL, the emulators in its process.
// /start → Free trial → the key (a vless link and its QR code); Buy → 30
// days → CryptoBot → the sandbox's Pay → the paid key; Fail ends an invoice
// for good. Bad input is a 400 naming the field, and without the flag there
// is no /sandbox at all.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/eventually.hpp"
#include "support/sandbox_process.hpp"
#include "support/test_database.hpp"

namespace vpnbot::testing_support {

using namespace emulators;

namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr int64_t alice = 1;

// How many messages of the user's chat carry a vless link.
int vless_messages(const sandbox_process& sb, int64_t user) {
  int n = 0;
  for (const auto& m : sb.chat(user))
    if (m.value("text", m.value("caption", "")).find("vless://") != std::string::npos) ++n;
  return n;
}

void press(const sandbox_process& sb, int64_t user, const json& message, const std::string& label) {
  auto button = button_of(message, label);
  ASSERT_FALSE(button.is_null()) << "no " << label << " in " << message.dump();
  auto r = sb.post("/sandbox/api/press", {{"user_id", user},
                                          {"message_id", message["message_id"]},
                                          {"data", button["callback_data"]}});
  ASSERT_EQ(r.status, 200) << r.body;
}

// /start → Buy → 30 days → CryptoBot; returns the payment of the pay link
// the invoice message carries (empty, with a failure, when none came).
std::string order_with_cryptobot(const sandbox_process& sb, int64_t user) {
  auto start = sb.post("/sandbox/api/send", {{"user_id", user}, {"text", "/start"}});
  EXPECT_EQ(start.status, 200);
  for (const char* label : {"Buy", "30 days", "CryptoBot"}) {
    auto screen = sb.message_with_button(user, label, 30s);
    if (!screen) {
      ADD_FAILURE() << "no " << label << " in " << sb.chat(user).dump(2);
      return {};
    }
    press(sb, user, *screen, label);
  }
  std::string pay_url;
  auto prefix = sb.url("/sandbox/pay?payment=");
  eventually(
      [&] {
        for (const auto& m : sb.chat(user))
          for (const auto& row :
               m.value("reply_markup", json::object()).value("inline_keyboard", json::array()))
            for (const auto& b : row)
              if (b.value("url", "").rfind(prefix, 0) == 0) pay_url = b["url"];
        return !pay_url.empty();
      },
      30s);
  EXPECT_FALSE(pay_url.empty()) << "no pay link to " << prefix << " in " << sb.chat(user).dump(2);
  return pay_url.empty() ? "" : pay_url.substr(prefix.size());
}

// One sandbox for the suite (CTest runs each test in a process of its own).
class Sandbox : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      sb = new sandbox_process();
    } catch (const std::exception& e) {
      start_error = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete sb;
    sb = nullptr;
  }
  void SetUp() override { ASSERT_NE(sb, nullptr) << start_error; }
  static sandbox_process* sb;
  static std::string start_error;
};

sandbox_process* Sandbox::sb = nullptr;
std::string Sandbox::start_error;

TEST_F(Sandbox, ReadyzSaysSandbox) {
  auto r = sb->get("/readyz");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body).value("mode", ""), "sandbox");
}

TEST_F(Sandbox, ServesThePageAndItsFiles) {
  auto page = sb->get("/sandbox");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.headers["content-type"].find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("/sandbox/app.js"), std::string::npos);
  EXPECT_EQ(sb->get("/sandbox/app.js").status, 200);
  EXPECT_EQ(sb->get("/sandbox/style.css").status, 200);
  EXPECT_EQ(sb->get("/sandbox/pay?payment=1").status, 200);
  EXPECT_EQ(sb->get("/sandbox/nothing.js").status, 404);
}

TEST_F(Sandbox, TrialThenBuyAndPayDeliverKeys) {
  ASSERT_EQ(sb->post("/sandbox/api/send", {{"user_id", alice}, {"text", "/start"}}).status, 200);
  auto menu = sb->message_with_button(alice, "Free trial", 30s);
  ASSERT_TRUE(menu) << sb->chat(alice).dump();
  EXPECT_EQ(sb->chat(alice)[0].value("from", ""), "user");
  press(*sb, alice, *menu, "Free trial");

  json key;
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& m : sb->chat(alice))
          if (m.value("text", m.value("caption", "")).find("vless://") != std::string::npos)
            key = m;
        return !key.is_null();
      },
      30s))
      << sb->chat(alice).dump(2);
  json qr;
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& m : sb->chat(alice))
          if (m.contains("photo")) qr = m;
        return !qr.is_null();
      },
      30s))
      << sb->chat(alice).dump(2);
  auto png = sb->get(qr["photo"].get<std::string>());
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.body.substr(0, 4), "\x89PNG");
  auto state = json::parse(sb->get("/sandbox/api/state").body);
  EXPECT_FALSE(state["panel"]["clients"].empty());

  auto keys_before = vless_messages(*sb, alice);
  auto payment = order_with_cryptobot(*sb, alice);
  ASSERT_FALSE(payment.empty());
  auto paid = sb->post("/sandbox/api/pay", {{"payment", payment}});
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(json::parse(paid.body).value("webhook_status", 0), 200);
  EXPECT_TRUE(eventually([&] { return vless_messages(*sb, alice) > keys_before; }, 30s))
      << sb->chat(alice).dump(2);
  // Paid once: a second payment of the same invoice is refused.
  EXPECT_EQ(sb->post("/sandbox/api/pay", {{"payment", payment}}).status, 409);
}

TEST_F(Sandbox, AFailedInvoiceCannotBePaidAnyMore) {
  constexpr int64_t dave = 4;  // not one of the page's users: English
  auto payment = order_with_cryptobot(*sb, dave);
  ASSERT_FALSE(payment.empty());
  auto failed = sb->post("/sandbox/api/fail", {{"payment", payment}});
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(json::parse(failed.body).value("status", ""), "expired");
  EXPECT_EQ(sb->post("/sandbox/api/pay", {{"payment", payment}}).status, 409);
  auto state = json::parse(sb->get("/sandbox/api/state").body);
  ASSERT_EQ(state["payments"].size(), 1u);
  EXPECT_EQ(state["payments"][0].value("status", ""), "expired");
  // The watcher finds the expired invoice within seconds and tells the payer.
  auto told = [&] {
    for (const auto& m : sb->chat(dave))
      if (m.value("text", "").find("The payment did not go through") != std::string::npos)
        return true;
    return false;
  };
  EXPECT_TRUE(eventually(told, 30s)) << sb->chat(dave).dump(2);
}

TEST_F(Sandbox, BadInputIsA400NamingTheField) {
  auto field_of = [](const http_result& r) { return json::parse(r.body).value("field", ""); };
  auto r = http_call(sb->port(), "POST", "/sandbox/api/send", "{not json",
                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "body");
  r = sb->post("/sandbox/api/send", {{"user_id", "one"}, {"text", "/start"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "user_id");
  r = sb->post("/sandbox/api/send", {{"user_id", 1}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "text");
  r = sb->post("/sandbox/api/press", {{"user_id", 1}, {"data", "m:buy"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "message_id");
  r = sb->post("/sandbox/api/pay", {{"payment", 1001}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "payment");
  r = sb->get("/sandbox/api/chat?user_id=x");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field_of(r), "user_id");
  EXPECT_EQ(sb->post("/sandbox/api/pay", {{"payment", "999999"}}).status, 404);
}

TEST(SandboxOff, NoSandboxRoutesWithoutTheFlag) {
  if (!test_database_url()) GTEST_SKIP() << "no test PostgreSQL: run through scripts/test.sh";
  auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  service_process p({}, {{"VPNBOT_HTTP_LISTEN", "127.0.0.1:0"},
                         {"VPNBOT_LOG_LEVEL", "info"},
                         {"VPNBOT_DATABASE_URL", create_fresh_database(info->name())}});
  auto port = p.wait_for_http_port(60s);
  ASSERT_TRUE(port);
  EXPECT_EQ(http_call(*port, "GET", "/sandbox").status, 404);
  EXPECT_EQ(http_call(*port, "POST", "/sandbox/api/send", R"({"user_id":1,"text":"/start"})",
                      {{"Content-Type", "application/json"}})
                .status,
            404);
  ASSERT_TRUE(eventually([&] { return http_call(*port, "GET", "/readyz").status == 200; }, 30s));
  EXPECT_FALSE(json::parse(http_call(*port, "GET", "/readyz").body).contains("mode"));
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(30s), 0);
}

}  // namespace
}  // namespace vpnbot::testing_support
