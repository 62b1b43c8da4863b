#pragma once

// Cutting text to a length limit without splitting a character: a byte cut
// inside a Cyrillic letter leaves invalid UTF-8, which providers refuse and
// PostgreSQL will not store.

#include <cstddef>
#include <string>
#include <string_view>

namespace vpnbot::codec {

// What a limit counts. YooKassa, Robokassa and CryptoBot count characters as
// code points; Telegram counts UTF-16 code units (a character beyond the
// BMP, such as most emoji, is two); our own storage limits count bytes.
enum class text_unit { bytes, code_points, utf16_units };

// The longest prefix of `text` at most `max` units long that ends between
// two characters. A byte that starts no valid sequence counts as a
// character of its own, so invalid input is cut too, never overrun.
std::string truncate_utf8(std::string_view text, std::size_t max, text_unit unit);

// The length of the well-formed sequence that starts at text[i] (Unicode's
// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or
// 0 with `ill_formed` set to the bytes of its maximal ill-formed subpart,
// the bytes one U+FFFD stands for.
std::size_t well_formed_sequence(std::string_view text, std::size_t i, std::size_t& ill_formed);

}  // namespace vpnbot::codec
