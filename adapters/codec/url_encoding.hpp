#pragma once

// Percent-encoding the way the peers expect it. The escapes follow Go's
// net/url exactly, because 3x-ui builds share links with it and ours must be
// byte-identical: query components escape everything but [A-Za-z0-9-_.~]
// (space becomes '+'), fragments keep the reserved and !()* characters.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vpnbot::codec {

using form_fields = std::vector<std::pair<std::string, std::string>>;

// Go's url.QueryEscape.
std::string query_escape(std::string_view text);

// Go's escape(s, encodeFragment), as URL.String() writes a fragment.
std::string fragment_escape(std::string_view text);

// One path segment: everything but RFC 3986 unreserved characters escaped
// (space as %20), so an e-mail or id cannot add segments.
std::string path_segment_escape(std::string_view text);

// application/x-www-form-urlencoded, fields in the given order.
std::string form_encode(const form_fields& fields);

// Decodes %XX (and '+' as space when plus_is_space); nullopt on a broken escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Splits a form body or query string into decoded fields, in order, repeats
// kept; nullopt when any escape is broken.
std::optional<form_fields> form_decode(std::string_view text);

}  // namespace vpnbot::codec
