#pragma once

// The locale files of config/locales as they were at build time, compiled
// into the binary (see cmake/embed_locales.cmake), so the bot can talk
// without its source tree.

#include <string_view>

namespace vpnbot::telegram {

// The JSON text of config/locales/<code>.json; empty when there was none.
std::string_view embedded_locale(std::string_view code);

}  // namespace vpnbot::telegram
