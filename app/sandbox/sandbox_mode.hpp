#pragma once

// `vpnbot --sandbox` (docs/SANDBOX.md): the whole service, unchanged,
// against the emulators of sandbox_world started in this process, with the
// web chat at http://<http.listen>/sandbox. Only the flag starts it; it
// says so loudly in the log and /readyz reports "mode":"sandbox".

#include "config/settings.hpp"

namespace vpnbot::sandbox {

// Runs until a stop signal, like app::run_service; returns its exit code.
int run_sandbox(config::settings settings);

}  // namespace vpnbot::sandbox
