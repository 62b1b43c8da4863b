// The sandbox's web chat in real headless Chromium: load /sandbox, click
// /start, press "Free trial", see the vless link and the QR image. The
// screenshot is kept as a test artifact in <build>/test-artifacts. Without
// chromium the test fails and says how to install it.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/headless_chromium.hpp"
#include "support/sandbox_process.hpp"

namespace vpnbot::testing_support {
namespace {

using namespace std::chrono_literals;

TEST(SandboxBrowser, ChatShowsTheTrialKeyAndItsQrCode) {
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
  ASSERT_TRUE(browser->wait_until(
      "[...document.querySelectorAll('.msg button')].find(b => b.textContent.includes('Free "
      "trial'))",
      30s))
      << browser->evaluate("document.getElementById('chat').innerText");
  browser->evaluate(
      "[...document.querySelectorAll('.msg button')].find(b => b.textContent.includes('Free "
      "trial')).click()");
  EXPECT_TRUE(browser->wait_until(
      "[...document.querySelectorAll('.msg')].some(m => m.textContent.includes('vless://'))", 30s))
      << browser->evaluate("document.getElementById('chat').innerText");
  EXPECT_TRUE(browser->wait_until(
      "[...document.querySelectorAll('img.photo')].some(i => i.complete && i.naturalWidth > 0)",
      30s));
  browser->evaluate("document.getElementById('chat').scrollTop = 1e9");

  std::filesystem::create_directories(VPNBOT_TEST_ARTIFACTS);
  auto shot = std::string(VPNBOT_TEST_ARTIFACTS) + "/sandbox_chat.png";
  std::ofstream(shot, std::ios::binary) << browser->screenshot_png();
  EXPECT_GT(std::filesystem::file_size(shot), 1000u) << shot;
}

}  // namespace
}  // namespace vpnbot::testing_support
