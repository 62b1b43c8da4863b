#pragma once

// The languages the bot speaks and how a user's is chosen. Telegram reports
// the app's language as an IETF tag ("ru", "en-US", "pt-br"); the user can
// switch afterwards, and that choice is stored by the caller.
//
// Choice: Russian for "ru" and "be" (Belarusian readers use Russian widely);
// English for everything else, Ukrainian included: addressing a Ukrainian
// user in Russian unasked would be a poor default, and the switch is one tap
// away.

#include <array>
#include <optional>
#include <string_view>

namespace vpnbot::telegram {

enum class language { en, ru };
inline constexpr std::array<language, 2> all_languages = {language::en, language::ru};

std::string_view code(language l);
// Exactly "en" or "ru" (a stored preference, a callback).
std::optional<language> parse_language(std::string_view code);
// From Telegram's language_code; absent or unknown gives English.
language language_for(std::optional<std::string_view> language_code);

}  // namespace vpnbot::telegram
