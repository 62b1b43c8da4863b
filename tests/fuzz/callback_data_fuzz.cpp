// Callback data of inline buttons, as a callback_query carries it back.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/bot/ui/callback_data.hpp"
#include "tests/fuzz/invariant.hpp"

using namespace vpnbot;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto action = telegram::parse_callback(text);
  if (!action) return 0;
  // The form is canonical: what parses is exactly what the keyboard wrote.
  auto encoded = telegram::encode_callback(*action);
  fuzz::require(encoded.ok(), "a parsed action encodes");
  fuzz::require(*encoded == text, "encode(parse(data)) == data");
  return 0;
}
