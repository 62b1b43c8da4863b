#!/usr/bin/env bash
# Checks the deploy files as far as this machine allows (ctest runs it as
# Deploy.check_files; docs/DEPLOY.md says what is and is not covered):
#   docker/compose.yaml   `docker compose config` when a compose plugin exists,
#                         and always a structural check with python3-yaml
#   docker/Dockerfile     HEALTHCHECK on /readyz, curl in the runtime stage,
#                         runtime package names known to apt (Debian 12 only)
#   docker/.env.example   every VPNBOT_ variable accepted by `vpnbot --check-config`
#   deploy/vpnbot.service the required settings; `systemd-analyze verify`
#   deploy/prometheus/alerts.yml, deploy/grafana/vpnbot.json  parse
#   scripts/deploy.sh     bash -n, shellcheck, --dry-run order
# (the metric names in the dashboard and the alerts are the unit test
# DeployFiles.*'s job: tests/unit/deploy_files_test.cpp).
#
#   bash scripts/check-deploy.sh [path/to/vpnbot]   (default build/vpnbot)
# `cond && ok ... || fail ...` is meant: ok and fail only print (and count).
# shellcheck disable=SC2015
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-build/vpnbot}"
failures=0
ok() { echo "ok:   $*"; }
skip() { echo "skip: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" -c 'import yaml' 2>/dev/null || { echo "FAIL: python3 with yaml is needed (apt install python3-yaml)"; exit 1; }

# --- compose: structure --------------------------------------------------------
if "$python" - <<'PY'
import re, sys, yaml
errors = []
def need(cond, what):
    if not cond: errors.append(what)
c = yaml.safe_load(open("docker/compose.yaml"))
s = c.get("services", {})
for name in ("postgres", "vpnbot", "proxy"):
    need(name in s, f"service {name}")
for name, svc in s.items():
    need(svc.get("restart") == "unless-stopped", f"{name}: restart: unless-stopped")
    need("healthcheck" in svc, f"{name}: a healthcheck")
pg, bot = s.get("postgres", {}), s.get("vpnbot", {})
need(str(pg.get("image", "")).startswith("postgres:15"), "postgres: image postgres:15*")
need("pg_isready" in str(pg.get("healthcheck", {}).get("test")), "postgres: pg_isready healthcheck")
vols = c.get("volumes") or {}
pg_mounts = [v.split(":") for v in pg.get("volumes", []) if isinstance(v, str)]
need(any(m[0] in vols and m[1] == "/var/lib/postgresql/data" for m in pg_mounts),
     "postgres: a named volume (declared under volumes:) at /var/lib/postgresql/data")
b = bot.get("build", {})
need(b.get("context") == ".." and b.get("dockerfile") == "docker/Dockerfile",
     "vpnbot: build context .. with docker/Dockerfile")
need("/readyz" in str(bot.get("healthcheck", {}).get("test")), "vpnbot: healthcheck on /readyz")
need((bot.get("depends_on") or {}).get("postgres", {}).get("condition") == "service_healthy",
     "vpnbot: depends_on postgres service_healthy")
need(bool(bot.get("env_file")), "vpnbot: env_file")
need(bot.get("environment", {}).get("VPNBOT_HTTP_LISTEN") == "0.0.0.0:8080",
     "vpnbot: VPNBOT_HTTP_LISTEN 0.0.0.0:8080 (the port the healthcheck uses)")
proxy = s.get("proxy", {})
need(proxy.get("profiles") == ["proxy"], "proxy: only under the profile 'proxy'")
ip = (proxy.get("networks", {}).get("default") or {}).get("ipv4_address")
need(bool(ip), "proxy: a fixed address for http.trusted_proxies")
# .env.example: the database URL points at the compose postgres with its credentials.
env = {}
for line in open("docker/.env.example"):
    m = re.match(r"^([A-Z0-9_]+)=(.*)$", line.strip())
    if m: env[m[1]] = m[2]
url = env.get("VPNBOT_DATABASE_URL", "")
want = f"postgresql://{env.get('POSTGRES_USER')}:{env.get('POSTGRES_PASSWORD')}@postgres:5432/{env.get('POSTGRES_DB')}"
need(url == want, f".env.example: VPNBOT_DATABASE_URL {url!r} != {want!r}")
need("VPNBOT_TELEGRAM_TOKEN" in env, ".env.example: VPNBOT_TELEGRAM_TOKEN")
need(f"VPNBOT_HTTP_TRUSTED_PROXIES={ip}/32" in open("docker/.env.example").read(),
     ".env.example: names the proxy's address for VPNBOT_HTTP_TRUSTED_PROXIES")
# stop_grace_period above the configured shutdown timeout.
def secs(v):
    m = re.fullmatch(r"(\d+)(ms|s|m)", v or "")
    return int(m[1]) * {"ms": 0.001, "s": 1, "m": 60}[m[2]] if m else None
need((secs(bot.get("stop_grace_period")) or 0) > (secs(env.get("VPNBOT_SERVICE_SHUTDOWN_TIMEOUT")) or 1e9),
     "vpnbot: stop_grace_period above VPNBOT_SERVICE_SHUTDOWN_TIMEOUT")
# compose.cluster.yaml: three nodes, each its own name and cluster address,
# behind the proxy's upstream.
cc = yaml.safe_load(open("docker/compose.cluster.yaml"))
cs = cc.get("services", {})
nodes = [n for n in cs if n.startswith("node-")]
need(len(nodes) == 3 and "postgres" in cs and "proxy" in cs,
     "compose.cluster.yaml: postgres, node-1..3, proxy")
names = set()
upstream = open("docker/nginx.cluster.conf").read()
for n in nodes:
    svc, e = cs[n], cs[n].get("environment", {})
    names.add(e.get("VPNBOT_SERVICE_NODE_NAME"))
    need(bool(e.get("VPNBOT_CLUSTER_LISTEN")), f"compose.cluster.yaml: {n} VPNBOT_CLUSTER_LISTEN")
    need(e.get("VPNBOT_HTTP_LISTEN") == "0.0.0.0:8080", f"compose.cluster.yaml: {n} listens on 8080")
    need("/readyz" in str(svc.get("healthcheck", {}).get("test")), f"compose.cluster.yaml: {n} healthcheck")
    need((svc.get("depends_on") or {}).get("postgres", {}).get("condition") == "service_healthy",
         f"compose.cluster.yaml: {n} waits for postgres")
    need(f"server {n}:8080" in upstream, f"nginx.cluster.conf: {n} in the upstream")
need(len(names) == 3 and None not in names, "compose.cluster.yaml: a node name per node")
# nginx forwards the client address.
conf = open("docker/nginx.conf").read()
need("X-Forwarded-For" in conf, "nginx.conf forwards X-Forwarded-For")
# alerts and dashboard parse.
a = yaml.safe_load(open("deploy/prometheus/alerts.yml"))
rules = [r for g in a["groups"] for r in g["rules"]]
need(len(rules) >= 5 and all({"alert", "expr"} <= r.keys() and "severity" in r.get("labels", {}) for r in rules),
     "alerts.yml: rules with alert, expr and labels.severity")
import json
d = json.load(open("deploy/grafana/vpnbot.json"))
need(d.get("__inputs", [{}])[0].get("name") == "DS_PROMETHEUS", "vpnbot.json: DS_PROMETHEUS input")
for e in errors: print("  missing:", e)
sys.exit(1 if errors else 0)
PY
then ok "compose.yaml, compose.cluster.yaml, .env.example, nginx.conf, nginx.cluster.conf, alerts.yml, vpnbot.json: structure"
else fail "structure (see above)"; fi

# --- compose: docker compose config ---------------------------------------------
if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
  if ENV_FILE=.env.example docker compose --env-file docker/.env.example -f docker/compose.yaml --profile proxy config -q; then
    ok "docker compose config"
  else fail "docker compose config"; fi
else
  skip "docker compose config: no docker compose on this machine (structural check only)"
fi

# --- Dockerfile ------------------------------------------------------------------
runtime=$(awk '/^FROM /{n++} n>=2' docker/Dockerfile)
grep -q '^HEALTHCHECK .*' <<<"$runtime" && grep -q '/readyz' <<<"$runtime" \
  && ok "Dockerfile: HEALTHCHECK on /readyz" || fail "Dockerfile: no HEALTHCHECK on /readyz in the runtime stage"
packages=$(sed -n '/apt-get install/,/rm -rf/p' <<<"$runtime" | sed 's/\\/ /g' | tr -s ' ' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' | grep -vE '^(apt-get|install|rm|update)$' || true)
grep -qx curl <<<"$packages" && ok "Dockerfile: curl in the runtime stage (for the HEALTHCHECK)" \
  || fail "Dockerfile: the HEALTHCHECK needs curl in the runtime stage"
if grep -q '^VERSION_ID="12"' /etc/os-release 2>/dev/null && command -v apt-cache >/dev/null; then
  unknown=""
  for p in $packages; do
    policy=$(apt-cache policy "$p" 2>/dev/null || true)
    grep -q 'Candidate: [0-9]' <<<"$policy" || unknown="$unknown $p"
  done
  [ -z "$unknown" ] && ok "Dockerfile: runtime packages known to apt: ${packages//$'\n'/ }" \
    || fail "Dockerfile: not Debian 12 package names:$unknown"
else
  skip "Dockerfile package names: not a Debian 12 machine with apt-cache"
fi

# --- .env.example against the binary ---------------------------------------------
if [ -x "$binary" ]; then
  # shellcheck disable=SC2016
  out=$(env -i PATH=/usr/bin:/bin bash -c 'set -a; . docker/.env.example; set +a; exec "$0" --check-config' "$binary" 2>&1) \
    && ! grep -qi 'warning' <<<"$out" \
    && ok ".env.example: accepted by vpnbot --check-config without warnings" \
    || { echo "$out" | grep -i 'error\|warning' | head; fail ".env.example: vpnbot --check-config"; }
else
  skip ".env.example against the binary: $binary not built"
fi

# --- systemd unit -----------------------------------------------------------------
unit=deploy/vpnbot.service
missing=""
for want in 'User=vpnbot' 'EnvironmentFile=/etc/vpnbot/vpnbot.env' \
  'ExecStart=/usr/local/lib/vpnbot/current/vpnbot --config /etc/vpnbot/vpnbot.toml' \
  'Restart=on-failure' 'StartLimitBurst=' 'NoNewPrivileges=yes' 'ProtectSystem=strict' \
  'ReadWritePaths=/var/lib/vpnbot' 'ProtectHome=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' \
  'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'RestrictAddressFamilies=' \
  'CapabilityBoundingSet=' 'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' \
  'SystemCallFilter=@system-service' 'UMask=' 'TimeoutStopSec='; do
  grep -q "^$want" "$unit" || missing="$missing '$want'"
done
[ -z "$missing" ] && ok "vpnbot.service: required settings" || fail "vpnbot.service lacks:$missing"
stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s$/\1/p' "$unit")
[ "${stop:-0}" -gt 15 ] && ok "vpnbot.service: TimeoutStopSec ${stop}s above the example's shutdown_timeout (15s)" \
  || fail "vpnbot.service: TimeoutStopSec must exceed service.shutdown_timeout"
if command -v systemd-analyze >/dev/null; then
  if [ -x "$binary" ]; then
    tmp=$(mktemp -d)
    sed "s|/usr/local/lib/vpnbot/current/vpnbot|$(readlink -f "$binary")|" "$unit" >"$tmp/vpnbot.service"
    if out=$(systemd-analyze verify "$tmp/vpnbot.service" 2>&1) && [ -z "$out" ]; then
      ok "systemd-analyze verify (ExecStart pointed at $binary)"
    else echo "$out"; fail "systemd-analyze verify"; fi
    rm -rf "$tmp"
  else skip "systemd-analyze verify: $binary not built"; fi
else
  skip "systemd-analyze verify: systemd-analyze not installed"
fi

# --- deploy.sh ----------------------------------------------------------------------
bash -n scripts/deploy.sh && ok "deploy.sh: bash -n" || fail "deploy.sh: bash -n"
if command -v shellcheck >/dev/null; then
  shellcheck scripts/deploy.sh scripts/check-deploy.sh && ok "shellcheck deploy.sh check-deploy.sh" \
    || fail "shellcheck"
else
  skip "shellcheck not installed"
fi
plan=$(bash scripts/deploy.sh --dry-run --no-deps --no-build 2>&1) || fail "deploy.sh --dry-run exited non-zero"
check_line=$(grep -n -- '--check-config' <<<"$plan" | head -1 | cut -d: -f1)
switch_line=$(grep -n 'mv -T .*current' <<<"$plan" | head -1 | cut -d: -f1)
restart_line=$(grep -n 'systemctl restart' <<<"$plan" | head -1 | cut -d: -f1)
if [ -n "$check_line" ] && [ -n "$switch_line" ] && [ -n "$restart_line" ] \
  && [ "$check_line" -lt "$switch_line" ] && [ "$switch_line" -lt "$restart_line" ]; then
  ok "deploy.sh --dry-run: --check-config, then the switch, then the restart"
else
  echo "$plan"; fail "deploy.sh --dry-run: order of check, switch and restart"
fi

[ "$failures" -eq 0 ] || { echo "check-deploy: $failures failure(s)"; exit 1; }
echo "check-deploy: all checks passed"
