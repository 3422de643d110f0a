#!/usr/bin/env bash
# Installs what Send needs locally on Debian/Ubuntu when it is missing: the PostgreSQL and Redis
# servers (run as plain local processes: no Docker engine is assumed), the .NET local tools, and
# the npm clients the tests use as judges of the wire format (tests/peers).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# A real DNS server on loopback for the domain-verification tests.
command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)

if ((${#missing[@]})); then
  echo "Installing ${missing[*]} (Debian packages)…"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet tool restore >/dev/null
(cd tests/peers && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
