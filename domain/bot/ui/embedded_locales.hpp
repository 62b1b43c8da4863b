#pragma once

// The locale files of config/locales as they were at build time, compiled
// into the binary (see cmake/embed_files.cmake), so the bot can talk
// without its source tree.

#include <string_view>
#include <vector>

#include "config/embedded_file.hpp"

namespace vpnbot::telegram {

// Every config/locales/*.json, by file name.
const std::vector<embedded_file>& embedded_locale_files();

// The JSON text of config/locales/<code>.json; empty when there was none.
std::string_view embedded_locale(std::string_view code);

}  // namespace vpnbot::telegram
