#include "app/sandbox/web_files.hpp"

#include <string>

namespace vpnbot::sandbox {
namespace {

std::string content_type_of(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

std::optional<http_response> web_file(std::string_view name) {
  for (const auto& f : embedded_web_files())
    if (f.name == name)
      return http_response{
          200, content_type_of(name), {{"Cache-Control", "no-cache"}}, std::string(f.content)};
  return std::nullopt;
}

}  // namespace vpnbot::sandbox
