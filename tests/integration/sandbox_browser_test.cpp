// The sandbox's web chat in real headless Chromium: load /sandbox, click
// /start, press "Free trial", see the vless link and the QR image and the
// new client in the side panel; then buy a plan: Buy → 30 days → CryptoBot,
// open the invoice's pay page, press "Pay", and the paid key arrives in the
// chat. Screenshots are kept as test artifacts in <build>/test-artifacts.
// Without chromium the test fails and says how to install it.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/headless_chromium.hpp"
#include "support/sandbox_process.hpp"

namespace vpnbot::testing_support {
namespace {

using namespace std::chrono_literals;

// The newest chat button (or link button) whose text contains `label`.
std::string button(const std::string& label) {
  return "[...document.querySelectorAll('.msg .button')].reverse().find(b => "
         "b.textContent.includes('" +
         label + "'))";
}

const std::string chat_text = "document.getElementById('chat').innerText";

void save_screenshot(headless_chromium& browser, const std::string& name) {
  std::filesystem::create_directories(VPNBOT_TEST_ARTIFACTS);
  auto shot = std::string(VPNBOT_TEST_ARTIFACTS) + "/" + name;
  std::ofstream(shot, std::ios::binary) << browser.screenshot_png();
  EXPECT_GT(std::filesystem::file_size(shot), 1000u) << shot;
}

TEST(SandboxBrowser, TrialThenBuyAPlanInTheWebChat) {
  std::unique_ptr<headless_chromium> browser;
  try {
    browser = std::make_unique<headless_chromium>();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  sandbox_process sb;
  browser->navigate(sb.url("/sandbox"));
  ASSERT_TRUE(browser->wait_until("document.querySelectorAll('#user option').length > 0", 30s));
  browser->evaluate("document.getElementById('start').click()");
  ASSERT_TRUE(browser->wait_until(button("Free trial"), 30s)) << browser->evaluate(chat_text);
  browser->evaluate(button("Free trial") + ".click()");
  EXPECT_TRUE(browser->wait_until(
      "[...document.querySelectorAll('.msg')].some(m => m.textContent.includes('vless://'))", 30s))
      << browser->evaluate(chat_text);
  EXPECT_TRUE(browser->wait_until(
      "[...document.querySelectorAll('img.photo')].some(i => i.complete && i.naturalWidth > 0)",
      30s));
  EXPECT_TRUE(browser->wait_until(
      "[...document.querySelectorAll('#clients td')].some(td => td.textContent.startsWith('tg1-'))",
      15s));
  browser->evaluate("document.getElementById('chat').scrollTop = 1e9");
  save_screenshot(*browser, "sandbox_chat.png");

  browser->evaluate("document.getElementById('start').click()");
  for (const char* label : {"Buy", "30 days", "CryptoBot"}) {
    ASSERT_TRUE(browser->wait_until(button(label), 30s)) << "no " << label << " in\n"
                                                         << browser->evaluate(chat_text);
    browser->evaluate(button(label) + ".click()");
  }
  std::string pay_link =
      "[...document.querySelectorAll('.msg a.button')].reverse().find(a => "
      "a.href.includes('/sandbox/pay?payment='))";
  ASSERT_TRUE(browser->wait_until(pay_link, 30s)) << browser->evaluate(chat_text);
  browser->navigate(browser->evaluate(pay_link + ".href").get<std::string>());
  ASSERT_TRUE(browser->wait_until(
      "document.getElementById('invoice').textContent.includes('(active)')", 30s));
  browser->evaluate("document.getElementById('pay').click()");
  ASSERT_TRUE(
      browser->wait_until("document.getElementById('result').textContent.includes('paid')", 30s))
      << browser->evaluate("document.body.innerText");

  browser->navigate(sb.url("/sandbox"));
  EXPECT_TRUE(browser->wait_until(
      "[...document.querySelectorAll('.msg')].filter(m => m.textContent.includes('vless://'))"
      ".length >= 2",
      30s))
      << browser->evaluate(chat_text);
  EXPECT_TRUE(browser->wait_until(
      "[...document.querySelectorAll('#payments td')].some(td => td.textContent === 'paid')", 15s));
  browser->evaluate("document.getElementById('chat').scrollTop = 1e9");
  save_screenshot(*browser, "sandbox_paid.png");
}

}  // namespace
}  // namespace vpnbot::testing_support
