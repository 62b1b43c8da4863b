#!/usr/bin/env bash
# The chaos suite for the money path (docs/CHAOS.md) against a PostgreSQL
# cluster of its own. Without arguments the short run CI makes (Chaos.short);
# --long the documented long one: 1000 payments, 8 kills, 4 PostgreSQL
# restarts, the panel down for 60 s, the provider APIs for 30 s.
# CHAOS_SEED=<seed> replays a run; any CHAOS_* variable set here overrides
# the profile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--long" ]]; then
  export CHAOS_PAYMENTS="${CHAOS_PAYMENTS:-1000}" CHAOS_KILLS="${CHAOS_KILLS:-8}"
  export CHAOS_DB_CUTS="${CHAOS_DB_CUTS:-4}" CHAOS_PANEL_DOWN="${CHAOS_PANEL_DOWN:-60}"
  export CHAOS_PROVIDERS_DOWN="${CHAOS_PROVIDERS_DOWN:-30}"
  export CHAOS_SETTLE="${CHAOS_SETTLE:-600}" CHAOS_BUYERS="${CHAOS_BUYERS:-8}"
  # The cluster is this run's alone, so the database faults restart it.
  export CHAOS_DB_FAULT="${CHAOS_DB_FAULT:-restart}"
elif [[ -n "${1:-}" ]]; then
  echo "usage: scripts/chaos.sh [--long]" >&2
  exit 2
fi
bash scripts/build.sh
export VPNBOT_BINARY="$PWD/build/vpnbot"
exec pg_virtualenv -t -v 15 build/tests/vpnbot_chaos_tests --gtest_filter=Chaos.*
