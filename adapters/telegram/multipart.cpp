#include "adapters/telegram/multipart.hpp"

#include <random>
#include <string_view>

namespace vpnbot::telegram {

namespace {

constexpr std::string_view crlf = "\r\n";

bool is_boundary_char(char c) {
  // RFC 2046 bchars without the space, which may not end a boundary and buys nothing.
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=?").find(c) != std::string_view::npos;
}

bool valid_boundary(const std::string& b) {
  if (b.empty() || b.size() > 70) return false;
  for (char c : b)
    if (!is_boundary_char(c)) return false;
  return true;
}

// Quoted-string parameter as browsers send it (HTML form submission rules,
// adopted by RFC 7578 §4.2): quote, CR and LF are percent-encoded.
std::string form_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += "%22";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  out += '"';
  return out;
}

bool occurs_in(const std::vector<form_part>& parts, const std::string& boundary) {
  auto in = [&](const std::string& s) { return s.find(boundary) != std::string::npos; };
  for (const auto& p : parts)
    if (in(p.name) || in(p.value) || in(p.content_type) || (p.filename && in(*p.filename)))
      return true;
  return false;
}

}  // namespace

result<multipart_body, std::string> encode_multipart_with_boundary(
    const std::vector<form_part>& parts, const std::string& boundary) {
  if (!valid_boundary(boundary)) return fail(std::string("invalid multipart boundary"));
  if (occurs_in(parts, boundary))
    return fail(std::string("multipart boundary occurs in the content"));
  std::string body;
  for (const auto& p : parts) {
    if (p.content_type.find_first_of("\r\n") != std::string::npos)
      return fail("content type of part \"" + p.name + "\" contains a line break");
    body.append("--").append(boundary).append(crlf);
    body.append("Content-Disposition: form-data; name=").append(form_quoted(p.name));
    if (p.filename) body.append("; filename=").append(form_quoted(*p.filename));
    body.append(crlf);
    if (!p.content_type.empty()) body.append("Content-Type: ").append(p.content_type).append(crlf);
    body.append(crlf).append(p.value).append(crlf);
  }
  body.append("--").append(boundary).append("--").append(crlf);
  return multipart_body{"multipart/form-data; boundary=" + boundary, std::move(body)};
}

boundary_source random_boundaries() {
  return [] {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr std::string_view alphabet =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string b = "vpnbot-";
    for (int i = 0; i < 24; ++i) b += alphabet[pick(rng)];  // 24 * log2(62) > 142 bits
    return b;
  };
}

result<multipart_body, std::string> encode_multipart(const std::vector<form_part>& parts,
                                                     const boundary_source& next_boundary) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto b = next_boundary();
    if (valid_boundary(b) && !occurs_in(parts, b)) return encode_multipart_with_boundary(parts, b);
  }
  return fail(std::string("no usable multipart boundary after 8 candidates"));
}

}  // namespace vpnbot::telegram
