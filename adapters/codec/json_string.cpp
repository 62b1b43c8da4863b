#include "adapters/codec/json_string.hpp"

namespace vpnbot::codec {

namespace {

// How many bytes of a well-formed sequence start at text[i] (Unicode's
// table 3-7), or 0 with `valid` set to how many bytes of an ill-formed one
// form its maximal subpart, the bytes one U+FFFD stands for.
std::size_t utf8_sequence(std::string_view text, std::size_t i, std::size_t& valid) {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  auto lead = at(i);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the second byte's range
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
    valid = 1;
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    bool ok = i + k < text.size() &&
              (k == 1 ? at(i + k) >= low && at(i + k) <= high : (at(i + k) & 0xC0) == 0x80);
    if (!ok) {
      valid = k;
      return 0;
    }
  }
  return length;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x80) {
      std::size_t subpart = 0;
      if (auto n = utf8_sequence(text, i, subpart)) {
        out.append(text.substr(i, n));
        i += n;
      } else {
        out += "\xEF\xBF\xBD";
        i += subpart;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (b < 0x20) {
          out += "\\u00";
          out += hex[b >> 4];
          out += hex[b & 0xf];
        } else {
          out += c;
        }
    }
    ++i;
  }
  out += '"';
}

}  // namespace vpnbot::codec
