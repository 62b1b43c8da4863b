#pragma once

// Why a supervisor failed or refused a request, as a CAF error category. The
// error's context is one readable sentence (which supervisor, which child,
// what it last died of), so `to_string(error)` in main's log says it all.

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <cstdint>

namespace vpnbot::supervision {

enum class supervisor_errc : uint8_t {
  // 0 is "no error" in CAF.
  restart_intensity_exceeded = 1,
  child_start_failed = 2,
  no_such_child = 3,
};

}  // namespace vpnbot::supervision

CAF_ERROR_CODE_ENUM(vpnbot::supervision::supervisor_errc, "supervisor")
