#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz) with clang into ./build-fuzz and runs
# each for a while from its seed corpus, printing executions and exec/s.
#
#   scripts/fuzz.sh                    every target for 5 s
#   scripts/fuzz.sh --smoke            every target for 4 s (the test suite's run)
#   scripts/fuzz.sh --seconds 120      every target for 120 s
#   scripts/fuzz.sh --runs 10000000    every target for 10,000,000 inputs
#   scripts/fuzz.sh ... xui_model http_request   only these targets
#
# New inputs go to build-fuzz/corpus/<target>/ (the seeds in
# tests/fuzz/corpus/ stay as they are), a crashing input to
# build-fuzz/crashes/<target>-*. Exits 1 when any target fails.
set -euo pipefail
cd "$(dirname "$0")/.."

limit=(-max_total_time=5)
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) limit=(-max_total_time=4) ;;
    --seconds) limit=(-max_total_time="$2"); shift ;;
    --runs) limit=(-runs="$2"); shift ;;
    -h | --help) sed -n 2,14p "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
if [ ${#targets[@]} -eq 0 ]; then
  for dir in tests/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DVPNBOT_FUZZ=ON >/dev/null
fi
cmake --build build-fuzz -j "${VPNBOT_JOBS:-2}" >/dev/null

failed=()
printf '%-20s %14s %10s\n' target executions exec/s
for t in "${targets[@]}"; do
  work=build-fuzz/corpus/$t
  mkdir -p "$work" build-fuzz/crashes
  log=build-fuzz/fuzz-$t.log
  if build-fuzz/tests/fuzz/fuzz_"$t" "${limit[@]}" -timeout=10 -print_final_stats=1 \
    -artifact_prefix=build-fuzz/crashes/"$t"- "$work" tests/fuzz/corpus/"$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    printf '%-20s %14s %10s\n' "$t" "$runs" "$rate"
  else
    printf '%-20s FAILED, see %s\n' "$t" "$log"
    grep -m1 -E '^==[0-9]+==ERROR|^invariant broken|runtime error|^SUMMARY' "$log" || true
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]} (inputs in build-fuzz/crashes/)" >&2
  exit 1
fi
