#include "adapters/panel/qr_png.hpp"

#include <png.h>
#include <qrencode.h>

#include <csetjmp>
#include <memory>
#include <vector>

#include "adapters/panel/panel_error.hpp"

namespace vpnbot::panel {
namespace {

struct sink {
  std::string* out;
  bool failed = false;
};

void append(png_structp png, png_bytep data, size_t size) {
  auto* s = static_cast<sink*>(png_get_io_ptr(png));
  if (s->failed) return;
  try {
    s->out->append(reinterpret_cast<const char*>(data), size);
  } catch (...) {
    // No longjmp out of a catch block: remember and let the caller fail.
    s->failed = true;
  }
}

void flush(png_structp) {}

QRecLevel to_qrencode(qr_error_correction level) {
  switch (level) {
    case qr_error_correction::low:
      return QR_ECLEVEL_L;
    case qr_error_correction::medium:
      return QR_ECLEVEL_M;
    case qr_error_correction::quartile:
      return QR_ECLEVEL_Q;
    case qr_error_correction::high:
      return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

// libpng reports errors by longjmp; this frame holds only trivially
// destructible locals, so jumping back here skips no destructor.
bool encode_png(const std::vector<png_bytep>& rows, png_uint_32 side, sink* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, append, flush);
  png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, const_cast<png_bytepp>(rows.data()));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return !out->failed;
}

}  // namespace

caf::expected<std::string> qr_png(std::string_view text, const qr_options& options) {
  if (options.scale < 1 || options.scale > 64 || options.quiet_zone < 0 || options.quiet_zone > 16)
    return caf::make_error(panel_errc::invalid_argument, "QR scale or quiet zone out of range");
  if (text.empty()) return caf::make_error(panel_errc::invalid_argument, "QR text is empty");
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0,
                        to_qrencode(options.level)),
      &QRcode_free);
  if (!code) return caf::make_error(panel_errc::invalid_argument, "text does not fit in a QR code");

  const int modules = code->width + 2 * options.quiet_zone;
  const auto side = static_cast<png_uint_32>(modules * options.scale);
  const std::size_t row_bytes = (side + 7) / 8;
  // 1 bit per pixel, most significant first; 1 is light, so start all light.
  std::vector<png_byte> pixels(row_bytes * side, 0xff);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (!(code->data[y * code->width + x] & 1)) continue;
      for (int dy = 0; dy < options.scale; ++dy) {
        const std::size_t py =
            static_cast<std::size_t>((y + options.quiet_zone) * options.scale + dy);
        for (int dx = 0; dx < options.scale; ++dx) {
          const std::size_t px =
              static_cast<std::size_t>((x + options.quiet_zone) * options.scale + dx);
          pixels[py * row_bytes + px / 8] &= static_cast<png_byte>(~(0x80u >> (px % 8)));
        }
      }
    }
  }
  std::vector<png_bytep> rows(side);
  for (std::size_t y = 0; y < side; ++y) rows[y] = pixels.data() + y * row_bytes;

  std::string png;
  sink out{&png};
  if (!encode_png(rows, side, &out))
    return caf::make_error(panel_errc::invalid_argument, "PNG encoding failed");
  return png;
}

}  // namespace vpnbot::panel
