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

std::size_t well_formed_sequence(std::string_view text, std::size_t i, std::size_t& ill_formed) {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  auto lead = at(i);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the second byte's range
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    ill_formed = 1;
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    bool ok = i + k < text.size() &&
              (k == 1 ? at(i + k) >= low && at(i + k) <= high : (at(i + k) & 0xC0) == 0x80);
    if (!ok) {
      ill_formed = k;
      return 0;
    }
  }
  return length;
}

}  // namespace vpnbot::codec
