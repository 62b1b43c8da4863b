#!/usr/bin/env bash
# Installs or upgrades vpnbot on a Debian host as a systemd service, from this
# checkout, and proves the new release runs with the configuration it checked.
#
#   sudo bash scripts/deploy.sh             # build, install, restart, verify
#   bash scripts/deploy.sh --dry-run        # print the steps, change nothing
#
# Steps: packages (scripts/install-deps.sh), build (scripts/build.sh --target
# vpnbot), the `vpnbot` user and directories, the binary into
# /usr/local/lib/vpnbot/releases/<git rev>/, `vpnbot --check-config` with the
# unit's environment BEFORE anything is switched, the `current` symlink, the
# unit, daemon-reload, restart, then /readyz. The service applies the database
# migrations itself when it starts (there is no migrate-only command), so the
# restart migrates. Verified: /readyz answers 200, the service's main PID is
# new and runs the new binary, and the config_digest /readyz reports equals
# the one --check-config printed. Otherwise the previous release is switched
# back and restarted, and the script exits 1. (Migrations are not undone: an
# older binary runs on the newer schema, since migrations only add.)
#
# Options:
#   --dry-run           print what would be done
#   --no-deps           skip scripts/install-deps.sh
#   --no-build          use the existing build/vpnbot
#   --config FILE       install FILE as /etc/vpnbot/vpnbot.toml (else keep the
#                       one there, or install config/vpnbot.example.toml once)
#   --ready-timeout S   seconds to wait for /readyz (default 120)
#   --keep N            releases kept besides the current one (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local/lib/vpnbot
releases=$prefix/releases
etc=/etc/vpnbot
data=/var/lib/vpnbot
unit=/etc/systemd/system/vpnbot.service
user=vpnbot

dry_run=0 deps=1 build=1 config_src="" ready_timeout=120 keep=4
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --no-deps) deps=0 ;;
    --no-build) build=0 ;;
    --config) config_src="${2:?--config needs a file}"; shift ;;
    --ready-timeout) ready_timeout="${2:?--ready-timeout needs seconds}"; shift ;;
    --keep) keep="${2:?--keep needs a number}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "deploy: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "deploy: $*" >&2; }
die() { say "$*"; exit 1; }
# Runs a command, or only prints it with --dry-run.
run() {
  if [ "$dry_run" = 1 ]; then printf '+ %s\n' "$*"; else "$@"; fi
}

rev=$(git rev-parse --short=12 HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)
if git rev-parse HEAD >/dev/null 2>&1 && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  rev="$rev-dirty"
fi
release=$releases/$rev

[ "$dry_run" = 1 ] || [ "$(id -u)" -eq 0 ] || die "run as root (or with --dry-run)"
[ "$dry_run" = 1 ] || command -v systemctl >/dev/null || die "systemctl not found: this script needs systemd"

# The environment the unit gives the service (EnvironmentFile= and
# Environment=), for --check-config: the digest it prints must be the one the
# service computes.
unit_env_check() {
  local bin=$1
  # The single-quoted script is bash -c's own; its $0..$3 are the arguments.
  # shellcheck disable=SC2016
  runuser -u "$user" -- env -i PATH=/usr/bin:/bin bash -c \
    'set -a; [ ! -r "$0" ] || . "$0"; set +a; export VPNBOT_SERVICE_DATA_DIR="$1"; exec "$2" --check-config --config "$3"' \
    "$etc/vpnbot.env" "$data" "$bin" "$etc/vpnbot.toml"
}

# host:port of [http] listen in --check-config's output, made reachable.
listen_address() {
  local listen
  listen=$(awk '/^\[http\]/{s=1; next} /^\[/{s=0} s && /^listen = /{gsub(/"/, "", $3); print $3; exit}')
  case "$listen" in
    0.0.0.0:*) echo "127.0.0.1:${listen#0.0.0.0:}" ;;
    "[::]:"*) echo "[::1]:${listen#\[::\]:}" ;;
    *) echo "$listen" ;;
  esac
}

# Waits for 200 from /readyz; prints the body.
wait_ready() {
  local url=$1 deadline=$((SECONDS + ready_timeout)) body
  while [ $SECONDS -lt $deadline ]; do
    if body=$(curl -fsS --max-time 3 "$url" 2>/dev/null); then
      echo "$body"
      return 0
    fi
    sleep 1
  done
  return 1
}

main_pid() { systemctl show -p MainPID --value vpnbot 2>/dev/null || echo 0; }

switch_to() {  # atomically points current at a release directory
  run ln -sfn "$1" "$prefix/current.new"
  run mv -T "$prefix/current.new" "$prefix/current"
}

say "release $rev"

say "1/9 packages"
[ "$deps" = 0 ] || run bash scripts/install-deps.sh

say "2/9 build"
[ "$build" = 0 ] || run bash scripts/build.sh --target vpnbot
[ "$dry_run" = 1 ] || [ -x build/vpnbot ] || die "build/vpnbot is missing"

say "3/9 user and directories"
if ! id "$user" >/dev/null 2>&1; then
  run useradd --system --user-group --home-dir "$data" --no-create-home --shell /usr/sbin/nologin "$user"
fi
run install -d -m 0755 -o root -g root "$prefix" "$releases"
run install -d -m 0750 -o root -g "$user" "$etc"
run install -d -m 0750 -o "$user" -g "$user" "$data"
if [ -n "$config_src" ]; then
  run install -m 0640 -o root -g "$user" "$config_src" "$etc/vpnbot.toml"
elif [ "$dry_run" = 1 ] || [ ! -e "$etc/vpnbot.toml" ]; then
  run install -m 0640 -o root -g "$user" config/vpnbot.example.toml "$etc/vpnbot.toml"
fi
if [ "$dry_run" = 1 ] || [ ! -e "$etc/vpnbot.env" ]; then
  say "   $etc/vpnbot.env: secrets as VPNBOT_<SECTION>_<KEY>=value (created empty if missing)"
  run install -m 0640 -o root -g "$user" /dev/null "$etc/vpnbot.env"
fi

say "4/9 install the binary as $release"
run install -d -m 0755 "$release"
run install -m 0755 build/vpnbot "$release/vpnbot.new"
run mv -f "$release/vpnbot.new" "$release/vpnbot"

say "5/9 check the configuration with the new binary (nothing switched yet)"
expected=""
address=""
if [ "$dry_run" = 1 ]; then
  printf '+ %s\n' "runuser -u $user -- <unit environment> $release/vpnbot --check-config --config $etc/vpnbot.toml"
else
  checked=$(unit_env_check "$release/vpnbot") || die "--check-config refused the configuration; nothing was switched"
  expected=$(sed -n 's/^# config_digest \([0-9a-f]*\)$/\1/p' <<<"$checked")
  [ -n "$expected" ] || die "--check-config printed no config_digest (a binary older than this script?)"
  address=$(listen_address <<<"$checked")
  [ -n "$address" ] || die "no [http] listen in --check-config's output"
  say "   config_digest $expected, /readyz at http://$address/readyz"
fi

previous=""
if [ -L "$prefix/current" ]; then previous=$(readlink -f "$prefix/current"); fi
say "6/9 switch current: ${previous:-none} -> $release"
switch_to "$release"

say "7/9 unit, daemon-reload, restart (the service migrates the database as it starts)"
run install -m 0644 deploy/vpnbot.service "$unit"
run systemctl daemon-reload
run systemctl enable vpnbot.service
old_pid=0
[ "$dry_run" = 1 ] || old_pid=$(main_pid)
run systemctl restart vpnbot.service

# Proves the running service is this release with this configuration; prints
# why not.
verify() {
  local body pid exe running
  body=$(wait_ready "http://$address/readyz") || { echo "/readyz did not answer 200 within ${ready_timeout}s"; return 1; }
  pid=$(main_pid)
  if [ "$pid" = 0 ] || [ "$pid" = "$old_pid" ]; then
    echo "the main PID did not change ($old_pid): no new process"
    return 1
  fi
  exe=$(readlink -f "/proc/$pid/exe" 2>/dev/null || true)
  [ "$exe" = "$release/vpnbot" ] || { echo "PID $pid runs '${exe:-?}', not $release/vpnbot"; return 1; }
  running=$(sed -n 's/.*"config_digest":"\([0-9a-f]*\)".*/\1/p' <<<"$body")
  [ "$running" = "$expected" ] || { echo "/readyz reports config_digest '${running:-none}', --check-config printed '$expected': the running configuration is not the checked one"; return 1; }
  echo "ready, PID $pid runs $exe, config_digest $running"
}

say "8/9 wait for /readyz and compare the configuration"
if [ "$dry_run" = 1 ]; then
  printf '+ %s\n' "curl http://<http.listen>/readyz until 200 (up to ${ready_timeout}s)" \
    "check: new MainPID, /proc/<pid>/exe = $release/vpnbot, /readyz config_digest = --check-config's"
  say "9/9 on failure: switch current back to the previous release, restart, exit 1; else keep $keep old releases"
  exit 0
fi
if why=$(verify); then
  say "   $why"
else
  say "FAILED: $why"
  systemctl --no-pager --lines=20 status vpnbot.service >&2 || true
  if [ -n "$previous" ] && [ "$previous" != "$release" ] && [ -x "$previous/vpnbot" ]; then
    say "rolling back to $previous"
    switch_to "$previous"
    systemctl restart vpnbot.service || true
    if wait_ready "http://$address/readyz" >/dev/null; then
      say "rolled back: $previous is ready"
    else
      say "rolled back to $previous, but it is not ready either: see journalctl -u vpnbot"
    fi
  else
    say "no previous release to roll back to: stopping vpnbot"
    systemctl stop vpnbot.service || true
  fi
  exit 1
fi

say "9/9 prune: keep the current release and $keep others"
# Newest first by modification time; never the current one.
mapfile -t old < <(find "$releases" -mindepth 1 -maxdepth 1 -type d ! -path "$release" -printf '%T@ %p\n' | sort -rn | cut -d' ' -f2- | tail -n +"$((keep + 1))")
for d in "${old[@]}"; do rm -rf -- "$d"; done
say "deployed $rev"
