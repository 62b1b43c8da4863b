#!/usr/bin/env bash
# The README's first command: install, build, and run vpnbot in the foreground.
# Uses config/vpnbot.toml when present, else the documented example; every key
# can be overridden by VPNBOT_<SECTION>_<KEY> environment variables.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh --target vpnbot
config=config/vpnbot.toml
[ -f "$config" ] || config=config/vpnbot.example.toml
exec ./build/vpnbot --config "$config" "$@"
