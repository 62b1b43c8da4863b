#!/usr/bin/env bash
# Configures and builds vpnbot into ./build (two jobs: the CI machine has two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
# Paths relative to the checkout, so another clone or worktree sharing the
# cache (CCACHE_DIR) hits it too.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${VPNBOT_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -j "${VPNBOT_JOBS:-2}" "$@"
