#include <gtest/gtest.h>

#include "adapters/telegram/bot_api.hpp"
#include "adapters/telegram/multipart.hpp"

namespace vpnbot::telegram {
namespace {

// A complete 1x1 PNG; it contains CR LF and NUL bytes, which must pass untouched.
const std::string tiny_png = [] {
  const unsigned char bytes[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
      0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}();

boundary_source fixed(std::vector<std::string> candidates) {
  auto i = std::make_shared<std::size_t>(0);
  return [candidates, i] { return candidates.at((*i)++); };
}

TEST(TelegramMultipart, SendPhotoBodyIsByteExact) {
  auto ep = endpoint::make("https://api.telegram.org", "1:t").value();
  send_photo p;
  p.chat_id = 42;
  p.png = tiny_png;
  p.filename = "qr.png";
  p.caption = "Scan me";
  p.reply_markup = inline_keyboard{{{inline_button::callback("Back", "m:main")}}};
  auto r = build(ep, p, fixed({"XyZ123"}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->method, "sendPhoto");
  EXPECT_EQ(r->chat_id, 42);
  EXPECT_EQ(r->content_type, "multipart/form-data; boundary=XyZ123");
  std::string expected =
      "--XyZ123\r\n"
      "Content-Disposition: form-data; name=\"chat_id\"\r\n"
      "\r\n"
      "42\r\n"
      "--XyZ123\r\n"
      "Content-Disposition: form-data; name=\"photo\"; filename=\"qr.png\"\r\n"
      "Content-Type: image/png\r\n"
      "\r\n" +
      tiny_png +
      "\r\n"
      "--XyZ123\r\n"
      "Content-Disposition: form-data; name=\"caption\"\r\n"
      "\r\n"
      "Scan me\r\n"
      "--XyZ123\r\n"
      "Content-Disposition: form-data; name=\"reply_markup\"\r\n"
      "\r\n"
      "{\"inline_keyboard\":[[{\"callback_data\":\"m:main\",\"text\":\"Back\"}]]}\r\n"
      "--XyZ123--\r\n";
  EXPECT_EQ(r->body, expected);
}

TEST(TelegramMultipart, SendPhotoLimits) {
  auto ep = endpoint::make("https://api.telegram.org", "1:t").value();
  EXPECT_FALSE(build(ep, send_photo{.chat_id = 1, .png = ""}));
  EXPECT_FALSE(build(ep, send_photo{.chat_id = 1, .png = std::string(10 * 1024 * 1024 + 1, 'x')}));
  send_photo long_caption{.chat_id = 1, .png = tiny_png};
  long_caption.caption = std::string(1025, 'c');
  EXPECT_FALSE(build(ep, long_caption));
}

TEST(TelegramMultipart, SkipsBoundariesFoundInTheContent) {
  std::vector<form_part> parts{form_part::text("a", "xx--abc--xx")};
  auto r = encode_multipart(parts, fixed({"abc", "bad boundary", "def"}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->content_type, "multipart/form-data; boundary=def");
  EXPECT_FALSE(encode_multipart_with_boundary(parts, "abc"));
}

TEST(TelegramMultipart, GivesUpWhenNoBoundaryFits) {
  std::vector<form_part> parts{form_part::text("a", "abc")};
  auto r = encode_multipart(parts, [] { return std::string("abc"); });
  EXPECT_FALSE(r);
}

TEST(TelegramMultipart, RandomBoundariesAreValidAndDistinct) {
  auto source = random_boundaries();
  auto a = source(), b = source();
  EXPECT_NE(a, b);
  EXPECT_LE(a.size(), 70u);
  EXPECT_TRUE(encode_multipart_with_boundary({form_part::text("x", "y")}, a));
}

TEST(TelegramMultipart, QuotesNamesAndRejectsBadHeaders) {
  auto r = encode_multipart_with_boundary(
      {form_part::file("f", "a\"b\r\n.png", "image/png", "D"), form_part::text("t", "")}, "B");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body,
            "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a%22b%0D%0A.png\"\r\n"
            "Content-Type: image/png\r\n\r\nD\r\n"
            "--B\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n\r\n--B--\r\n");
  EXPECT_FALSE(encode_multipart_with_boundary({form_part::file("f", "n", "a\r\nX: y", "D")}, "B"));
  EXPECT_FALSE(encode_multipart_with_boundary({}, ""));
  EXPECT_FALSE(encode_multipart_with_boundary({}, std::string(71, 'b')));
  EXPECT_FALSE(encode_multipart_with_boundary({}, "sp ace"));
}

}  // namespace
}  // namespace vpnbot::telegram
