#pragma once

// The elements of a success envelope whose result is an array
// ({"ok":true,"result":[...]}, what getUpdates answers), each as the text
// Telegram wrote, found by a scan that follows strings and nesting and
// builds nothing: the poller stores each update's text as it came, where a
// document of the whole answer cost a heap object per value and a dump per
// update. Each element is read (and validated) on its own afterwards.
//
// nullopt for anything else: an error envelope, a result that is not an
// array, a key written with escapes, a body the scan cannot follow. The
// caller then reads the body with parse_response, as before.

#include <optional>
#include <string_view>
#include <vector>

namespace vpnbot::telegram {

std::optional<std::vector<std::string_view>> success_array_elements(std::string_view body);

}  // namespace vpnbot::telegram
