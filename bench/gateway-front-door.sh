#!/usr/bin/env bash
# Gateway throughput with its front door (API-key check, Redis quota, usage counting) against
# the same Gateway with the front door switched off, both proxying GET /v1/bench to a trivial
# upstream. Same machine, same run, alternated rounds; prints the ratio. See docs/benchmarks.md.
#
#   bench/gateway-front-door.sh [seconds-per-round] [rounds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROUND=${1:-10}
ROUNDS=${2:-3}
CONNECTIONS=${3:-32}

scripts/prerequisites.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
dotnet build Send.sln -c Release -v quiet -nologo >/dev/null

work=$(mktemp -d /tmp/send-bench-XXXX); chmod 755 "$work"
pids=()  # servers are started with exec inside their subshell, so each PID here is the server itself
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 120); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }

# PostgreSQL and Redis, private to this run.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=(); [ "$(id -u)" -eq 0 ] && { chown postgres "$work"; as_pg=(runuser -u postgres --); }
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
PG_PORT=$(free_port); REDIS_PORT=$(free_port)
"${as_pg[@]}" "$pg_bin/postgres" -D "$work/pg" -p "$PG_PORT" -k "$work/pg" -c listen_addresses=127.0.0.1 -c fsync=off >/dev/null 2>&1 & pids+=($!)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null & pids+=($!)

SECRET=$(head -c 48 /dev/urandom | base64 -w0)
random=$(LC_ALL=C tr -dc 'A-Za-z0-9' < <(head -c 2000 /dev/urandom)); BOOT="do_live_${random:0:32}"
KEYS_PORT=$(free_port); UP_PORT=$(free_port); ON_PORT=$(free_port); OFF_PORT=$(free_port)
common=(Send__InternalIdentity__Secret="$SECRET" ConnectionStrings__redis="127.0.0.1:$REDIS_PORT" Logging__LogLevel__Default=Warning)

(cd src/KeyService/bin/Release/net10.0 && exec env "${common[@]}" ConnectionStrings__keysdb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=keys" \
  Database__MigrateOnStartup=true SEND_BOOTSTRAP_API_KEY="$BOOT" ASPNETCORE_URLS="http://127.0.0.1:$KEYS_PORT" dotnet Send.KeyService.dll >"$work/keys.log" 2>&1) & pids+=($!)
(cd bench/Upstream/bin/Release/net10.0 && exec env ASPNETCORE_URLS="http://127.0.0.1:$UP_PORT" dotnet Send.Bench.Upstream.dll >/dev/null 2>&1) & pids+=($!)

# Both gateways get one extra route, /v1/bench, to the trivial upstream.
bench_route=(ReverseProxy__Routes__bench__ClusterId=bench ReverseProxy__Routes__bench__Match__Path=/v1/bench
  ReverseProxy__Routes__bench__Metadata__ReadPermission=emails:read ReverseProxy__Routes__bench__Metadata__WritePermission=emails:send
  ReverseProxy__Clusters__bench__Destinations__primary__Address="http://127.0.0.1:$UP_PORT" services__keyservice__http__0="http://127.0.0.1:$KEYS_PORT")
start_gateway() { # port environment extra-env...
  local port=$1 environment=$2; shift 2
  (cd src/Gateway/bin/Release/net10.0 && exec env "${common[@]}" "${bench_route[@]}" "$@" ASPNETCORE_ENVIRONMENT="$environment" \
    ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet Send.Gateway.dll >"$work/gateway-$port.log" 2>&1) & pids+=($!)
}
wait_http "http://127.0.0.1:$KEYS_PORT/health/live"
start_gateway "$ON_PORT" Production
start_gateway "$OFF_PORT" Benchmark Gateway__FrontDoor__Enabled=false
wait_http "http://127.0.0.1:$ON_PORT/health/live"; wait_http "http://127.0.0.1:$OFF_PORT/health/live"

# A key whose quota the run cannot exhaust, so every request does the full front-door work.
KEY=$(curl -fs "http://127.0.0.1:$ON_PORT/v1/api-keys" -H "Authorization: Bearer $BOOT" -H 'Content-Type: application/json' \
  -d '{"name":"bench","permission":"full_access","rate_limit":{"requests":1000000,"period":60}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -fs "http://127.0.0.1:$ON_PORT/v1/bench" -H "Authorization: Bearer $KEY" >/dev/null

run() { # url -> requests/s and p50/p99 latency; a round with any non-2xx answer is not a measurement
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_ROUND}s" --latency -H "Authorization: Bearer $KEY" "$1" |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF}
         END {if (bad > 0) {print "non-2xx answers: " bad > "/dev/stderr"; exit 1} printf "%s %s %s\n", rps, p50, p99}'
}
echo "warming up…"; wrk -t2 -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$ON_PORT/v1/bench" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d10s "http://127.0.0.1:$OFF_PORT/v1/bench" >/dev/null

printf '%-6s %-10s %12s %10s %10s\n' round mode "req/s" p50 p99
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  read -r on_rps on_p50 on_p99 < <(run "http://127.0.0.1:$ON_PORT/v1/bench")
  read -r off_rps off_p50 off_p99 < <(run "http://127.0.0.1:$OFF_PORT/v1/bench")
  printf '%-6s %-10s %12s %10s %10s\n' "$r" front-door "$on_rps" "$on_p50" "$on_p99" "$r" baseline "$off_rps" "$off_p50" "$off_p99"
  ratios+=("$(python3 -c "print($on_rps / $off_rps)")")
done
# Per-round ratios (each pair ran back to back) and their median, which a single noisy round cannot drag.
python3 -c "
import statistics, sys
r = [float(x) for x in sys.argv[1:]]
print('per-round front door / baseline: ' + ', '.join(f'{x:.1%}' for x in r))
print(f'median: {statistics.median(r):.1%} (goal: at least 90%)')" "${ratios[@]}"
