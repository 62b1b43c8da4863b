#pragma once

// Whether text typed by an operator is HTML Telegram will parse
// (parse_mode HTML): only its tags (b, strong, i, em, u, ins, s, strike,
// del, a, code, pre, blockquote, tg-spoiler, tg-emoji, span), each closed in
// order, and only its entities (&lt; &gt; &amp; &quot; and numeric ones).
// Telegram refuses a whole message that breaks this ("can't parse
// entities"), so a broadcast is checked before anyone is sent it.

#include <optional>
#include <string>
#include <string_view>

namespace vpnbot::telegram {

// What is wrong, or nullopt for text Telegram accepts.
std::optional<std::string> html_markup_problem(std::string_view text);

}  // namespace vpnbot::telegram
