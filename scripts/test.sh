#!/usr/bin/env bash
# The README's second command: install, build, and run the whole test suite
# against a throw-away PostgreSQL 15 cluster started by pg_virtualenv, then
# a short run of every fuzz target (a separate clang build in build-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
(cd build && pg_virtualenv -t -v 15 ctest --output-on-failure -j "${VPNBOT_JOBS:-2}" "$@")
bash scripts/fuzz.sh --smoke
