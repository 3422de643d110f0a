#!/usr/bin/env bash
# Runs every test of Send. It installs what the tests need (PostgreSQL, Redis) when missing;
# the tests start their own private servers on free ports, so nothing else needs to be running.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prerequisites.sh

# Servers the tests started are theirs alone; make sure none outlives the run.
cleanup() {
  pkill -f 'send-pg-' 2>/dev/null || true
  pkill -f 'send-test.rdb' 2>/dev/null || true
}
trap cleanup EXIT

log=$(mktemp)
status=0
dotnet test Send.sln --configuration Release --blame-hang-timeout 10m "$@" 2>&1 | tee "$log" || status=$?

# One closing line for humans and CI: the sum over every test assembly.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
