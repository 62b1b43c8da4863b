#!/usr/bin/env bash
# Builds vpnbot and the updates benchmark, then runs it (docs/BENCHMARKS.md).
# Without arguments: the burst workload (2000 users x 10 updates), then the
# low-load latency mode. With arguments: one run with those, e.g.
#   bash scripts/bench-updates.sh --users 100
#   bash scripts/bench-updates.sh --emulator-capacity
#   bash scripts/bench-updates.sh --rival bench/node_bot   # the Node.js bot
set -euo pipefail
cd "$(dirname "$0")/.."
for a in "$@"; do
  if [ "$a" = "--rival" ]; then
    if ! command -v npm >/dev/null; then
      echo "the Node.js bot needs node and npm: apt-get install -y nodejs npm" >&2
      exit 1
    fi
    npm ci --prefix bench/node_bot --no-audit --no-fund
  fi
done
bash scripts/build.sh --target vpnbot --target bench_updates_bench
bench=(./build/bench/bench_updates_bench --vpnbot ./build/vpnbot)
if [ "$#" -gt 0 ]; then
  exec "${bench[@]}" "$@"
fi
"${bench[@]}"
echo
"${bench[@]}" --latency
