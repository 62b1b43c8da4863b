#include "adapters/codec/utf8.hpp"

namespace vpnbot::codec {
namespace {

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Bytes of the sequence its first byte announces; 1 for a byte that starts none.
std::size_t announced_length(unsigned char c) {
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

}  // namespace

std::string truncate_utf8(std::string_view text, std::size_t max, text_unit unit) {
  std::size_t used = 0, end = 0;
  while (end < text.size()) {
    auto announced = announced_length(static_cast<unsigned char>(text[end]));
    std::size_t len = 1;
    while (len < announced && end + len < text.size() &&
           continuation(static_cast<unsigned char>(text[end + len])))
      ++len;
    std::size_t units = unit == text_unit::bytes         ? len
                        : unit == text_unit::utf16_units ? (len == 4 ? 2 : 1)
                                                         : 1;
    if (used + units > max) break;
    used += units;
    end += len;
  }
  return std::string(text.substr(0, end));
}

}  // namespace vpnbot::codec
