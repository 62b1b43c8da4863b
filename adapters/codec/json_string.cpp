#include "adapters/codec/json_string.hpp"

#include "adapters/codec/utf8.hpp"

namespace vpnbot::codec {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x80) {
      std::size_t subpart = 0;
      if (auto n = well_formed_sequence(text, i, subpart)) {
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
