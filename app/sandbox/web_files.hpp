#pragma once

// The web chat's page, script and style (app/sandbox_web), compiled into
// the binary by cmake/embed_files.cmake: no CDN, no download at run time.

#include <optional>
#include <string_view>
#include <vector>

#include "config/embedded_file.hpp"
#include "messages/http.hpp"

namespace vpnbot::sandbox {

const std::vector<embedded_file>& embedded_web_files();

// The file as a 200 response with its content type; nullopt when no such
// file is embedded.
std::optional<http_response> web_file(std::string_view name);

}  // namespace vpnbot::sandbox
