#include "adapters/panel/qr_png.hpp"

#include <gtest/gtest.h>
#include <png.h>
#include <qrencode.h>

#include <cstring>
#include <memory>
#include <vector>

#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

struct decoded {
  unsigned width = 0;
  unsigned height = 0;
  std::vector<png_byte> gray;  // one byte per pixel, 0 black, 255 white
  bool dark(unsigned x, unsigned y) const { return gray[y * width + x] < 128; }
};

// Decodes with libpng's simplified reader: an independent path from the
// writer under test.
decoded decode(const std::string& png) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, png.data(), png.size()))
    throw std::runtime_error(image.message);
  image.format = PNG_FORMAT_GRAY;
  decoded d;
  d.width = image.width;
  d.height = image.height;
  d.gray.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, d.gray.data(), 0, nullptr))
    throw std::runtime_error(image.message);
  return d;
}

const std::string link =
    "vless://b831381d-6324-4d53-ad4f-8cda48b30811@203.0.113.5:443?encryption=none"
    "&flow=xtls-rprx-vision&fp=chrome&pbk=PUBKEY&security=reality&sid=6ba85179"
    "&sni=www.google.com&spx=%2FAb3xQ9kLm2Pz7Yt&type=tcp#Main-tg123-7";

TEST(QrPng, IsAPngWithTheExpectedHeader) {
  auto png = qr_png(link);
  ASSERT_TRUE(png);
  ASSERT_GT(png->size(), 33u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
}

TEST(QrPng, ModulesMatchTheSymbolQrencodeMakes) {
  qr_options options;
  options.scale = 4;
  options.quiet_zone = 4;
  auto png = qr_png(link, options);
  ASSERT_TRUE(png);

  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(link.size()),
                        reinterpret_cast<const unsigned char*>(link.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  ASSERT_TRUE(code);
  const int modules = code->width;
  ASSERT_EQ(modules, 17 + 4 * code->version);

  auto d = decode(*png);
  const unsigned side = static_cast<unsigned>((modules + 2 * options.quiet_zone) * options.scale);
  EXPECT_EQ(d.width, side);
  EXPECT_EQ(d.height, side);

  auto module_dark = [&](int mx, int my) {
    unsigned x =
        static_cast<unsigned>((mx + options.quiet_zone) * options.scale + options.scale / 2);
    unsigned y =
        static_cast<unsigned>((my + options.quiet_zone) * options.scale + options.scale / 2);
    return d.dark(x, y);
  };
  for (int y = 0; y < modules; ++y)
    for (int x = 0; x < modules; ++x)
      ASSERT_EQ(module_dark(x, y), (code->data[y * modules + x] & 1) != 0) << x << "," << y;

  // The quiet zone is light all round.
  for (unsigned i = 0; i < side; ++i) {
    EXPECT_FALSE(d.dark(i, 0));
    EXPECT_FALSE(d.dark(0, i));
    EXPECT_FALSE(d.dark(i, side - 1));
    EXPECT_FALSE(d.dark(side - 1, i));
  }
  // Finder pattern in the top-left corner: dark ring, light ring, dark core.
  for (int i = 0; i < 7; ++i) {
    EXPECT_TRUE(module_dark(i, 0));
    EXPECT_TRUE(module_dark(i, 6));
    EXPECT_TRUE(module_dark(0, i));
    EXPECT_TRUE(module_dark(6, i));
  }
  for (int i = 1; i < 6; ++i) EXPECT_FALSE(module_dark(i, 1));
  EXPECT_TRUE(module_dark(3, 3));
}

TEST(QrPng, ScaleAndLevelChangeTheSize) {
  auto small = decode(*qr_png("hello", {1, 0, qr_error_correction::low}));
  EXPECT_EQ(small.width, 21u);  // version 1 without a quiet zone
  auto big = decode(*qr_png("hello", {10, 4, qr_error_correction::high}));
  EXPECT_EQ(big.width, 290u);
}

TEST(QrPng, RejectsBadInput) {
  auto code = [](const caf::expected<std::string>& r) {
    return r ? std::nullopt : panel_error_code(r.error());
  };
  EXPECT_EQ(code(qr_png("")), panel_errc::invalid_argument);
  EXPECT_EQ(code(qr_png("x", {0, 4, qr_error_correction::medium})), panel_errc::invalid_argument);
  EXPECT_EQ(code(qr_png(std::string(8000, 'x'))), panel_errc::invalid_argument);
}

}  // namespace
}  // namespace vpnbot::panel
