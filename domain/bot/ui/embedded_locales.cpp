#include "domain/bot/ui/embedded_locales.hpp"

#include <string>

namespace vpnbot::telegram {

std::string_view embedded_locale(std::string_view code) {
  auto wanted = std::string(code) + ".json";
  for (const auto& f : embedded_locale_files())
    if (f.name == wanted) return f.content;
  return {};
}

}  // namespace vpnbot::telegram
