#pragma once

// multipart/form-data bodies (RFC 7578) for Bot API uploads. The boundary is
// chosen so that it occurs nowhere in the content, which makes the body
// unambiguous without any escaping of the parts themselves.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/telegram/result.hpp"

namespace vpnbot::telegram {

struct form_part {
  std::string name;
  std::string value;                    // text, or the raw bytes of a file
  std::optional<std::string> filename;  // set: the part is a file upload
  std::string content_type;             // empty: omitted (text/plain for the receiver)

  static form_part text(std::string name, std::string value) {
    return {std::move(name), std::move(value), std::nullopt, {}};
  }
  static form_part file(std::string name, std::string filename, std::string content_type,
                        std::string bytes) {
    return {std::move(name), std::move(bytes), std::move(filename), std::move(content_type)};
  }
};

struct multipart_body {
  std::string content_type;  // multipart/form-data; boundary=...
  std::string body;
};

// Encodes with this exact boundary; fails if it is not a valid RFC 2046
// boundary or occurs in any name, filename, content type or value.
result<multipart_body, std::string> encode_multipart_with_boundary(
    const std::vector<form_part>& parts, const std::string& boundary);

// Produces candidate boundaries; the default one is random.
using boundary_source = std::function<std::string()>;
boundary_source random_boundaries();

// Draws boundaries until one is absent from the content. A 128-bit random
// boundary collides with real content practically never; the loop is bounded
// all the same and reports failure instead of spinning.
result<multipart_body, std::string> encode_multipart(
    const std::vector<form_part>& parts,
    const boundary_source& next_boundary = random_boundaries());

}  // namespace vpnbot::telegram
