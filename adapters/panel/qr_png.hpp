#pragma once

// A QR code of a string (the share link) as PNG bytes in memory, ready to
// upload as a photo: libqrencode in byte mode, drawn by libpng as a 1-bit
// greyscale square with a light quiet zone around the symbol.

#include <caf/expected.hpp>
#include <string>
#include <string_view>

namespace vpnbot::panel {

enum class qr_error_correction { low, medium, quartile, high };

struct qr_options {
  int scale = 8;       // pixels per module, 1 to 64
  int quiet_zone = 4;  // light modules on each side (the standard asks for 4)
  qr_error_correction level = qr_error_correction::medium;
};

// The PNG, or panel_errc::invalid_argument when the text does not fit in a
// QR code or the options are out of range.
caf::expected<std::string> qr_png(std::string_view text, const qr_options& options = {});

}  // namespace vpnbot::panel
