#pragma once

// Whether a Bot API body is a success envelope ({"ok": true, "result": ...}),
// told with nlohmann's SAX reader and no document: a sent message's result
// (the whole message, echoed back) costs no allocation to check. Anything
// else, an error envelope or a foreign body, is for parse_response.

#include <string_view>

namespace vpnbot::telegram {

bool is_success_envelope(std::string_view body);

}  // namespace vpnbot::telegram
