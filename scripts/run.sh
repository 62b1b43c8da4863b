#!/usr/bin/env bash
# The README's first command: install, build, and run vpnbot in the foreground.
# Uses config/vpnbot.toml when present, else the documented example; every key
# can be overridden by VPNBOT_<SECTION>_<KEY> environment variables. Without a
# telegram.token it starts the sandbox (docs/SANDBOX.md) and prints its URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh --target vpnbot
config=config/vpnbot.toml
[ -f "$config" ] || config=config/vpnbot.example.toml
# The effective value of one key of a section, as --check-config prints it.
setting() {
  ./build/vpnbot --config "$config" --check-config 2>/dev/null |
    awk -v section="[$1]" -v key="$2" '/^\[/ { in_section = ($0 == section) }
      in_section && $1 == key && $2 == "=" { sub(/^[^=]*= */, ""); gsub(/"/, ""); print; exit }'
}
if [ -z "$(setting telegram token)" ]; then
  listen=$(setting http listen)
  host=${listen%:*}
  case "$host" in "" | 0.0.0.0) host=127.0.0.1 ;; esac
  echo "vpnbot: no telegram.token configured: starting the SANDBOX (emulated Telegram, panel and payments)."
  echo "vpnbot: open http://$host:${listen##*:}/sandbox in a browser."
  exec ./build/vpnbot --config "$config" --sandbox "$@"
fi
exec ./build/vpnbot --config "$config" "$@"
