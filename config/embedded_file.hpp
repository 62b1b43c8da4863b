#pragma once

// A file of the source tree compiled into the binary (cmake/embed_files.cmake),
// so the service runs without its source tree: locales, SQL migrations.

#include <string_view>
#include <vector>

namespace vpnbot {

struct embedded_file {
  std::string_view name;  // file name without directory, e.g. "0001_domain.sql"
  std::string_view content;
};

}  // namespace vpnbot
