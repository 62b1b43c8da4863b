#!/usr/bin/env bash
# Installs every Debian package vpnbot needs to build, test and run.
# Idempotent: when everything is present it returns without touching apt.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config ccache clang-format
  clang libclang-rt-dev
  libcaf-dev libboost-dev libboost-system-dev libssl-dev openssl
  nlohmann-json3-dev libtomlplusplus-dev libpqxx-dev libqrencode-dev libpng-dev
  libgtest-dev libgmock-dev
  postgresql postgresql-contrib postgresql-common acl curl ca-certificates
  python3 python3-yaml shellcheck
  chromium  # the sandbox's browser test (ctest -R SandboxBrowser) drives it headless
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "vpnbot: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "vpnbot: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
