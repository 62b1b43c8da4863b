#pragma once

// The configuration `vpnbot --sandbox` runs with: the operator's, with
// everything that reaches the outside world pointed at the sandbox's
// emulators (Telegram, the panel list, the payment providers), the
// sandbox's users as admins, and a database of its own: the embedded
// PostgreSQL under <service.data_dir>/sandbox/pg, whatever database.url says.

#include "app/sandbox/sandbox_world.hpp"
#include "config/settings.hpp"

namespace vpnbot::sandbox {

config::settings sandbox_settings(config::settings s, const sandbox_world& world);

}  // namespace vpnbot::sandbox
