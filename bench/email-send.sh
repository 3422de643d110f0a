#!/usr/bin/env bash
# Accepting and delivering email, measured (see docs/benchmarks.md):
#  1. single sends through the Gateway (key check, quota, validation, domain and suppression
#     checks, three inserts in one transaction) against a bare endpoint doing the same three
#     inserts, both at full speed with wrk, rounds alternated;
#  2. latency of single sends at a steady 500 requests/s (wrk pacing requests with random gaps);
#  3. a 1,000-email batch accepted (curl, median of 5);
#  4. delivery to a local SMTP sink that only counts (emails/s, from the sent timestamps).
#
#   bench/email-send.sh [seconds-per-round=10] [rounds=3] [connections=32]
#
# ACCEPT_ONLY=1 measures accepting alone: EmailService runs without its sending worker
# (Sending__Worker=false, as the chart's emailservice deployment does), so queued emails wait in
# the transport and delivery takes no CPU from the requests. DELIVERY_ONLY=1 skips parts 1 and 2
# and deploys as the chart does: EmailService accepts the five batches without a worker, then a
# second EmailService process, the worker (Sending__Worker=true), is started and drains them.
# BATCHES=20 makes that drain long enough to measure (or profile) past the worker's start-up.
# HOLD=1 stops after the warm-up and keeps everything running (for a profiler or a manual probe)
# until interrupted; it prints the addresses and the key. LATENCY_ONLY=1 runs part 2 alone, ROUNDS times (send and the bare endpoint alternating), and
# reports the median of each percentile: a single 20-second p99 moves by ±50 % between runs here.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROUND=${1:-10}
ROUNDS=${2:-3}
CONNECTIONS=${3:-32}

scripts/prerequisites.sh
for tool in wrk; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }
done
dotnet build Send.sln -c Release -v quiet -nologo >/dev/null

work=$(mktemp -d /tmp/send-bench-XXXX); chmod 755 "$work"
pids=()  # servers are started with exec inside their subshell, so each PID here is the server itself
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 120); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "not up: $1" >&2; exit 1; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=(); [ "$(id -u)" -eq 0 ] && { chown postgres "$work"; as_pg=(runuser -u postgres --); }
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
PG_PORT=$(free_port); REDIS_PORT=$(free_port); SINK_PORT=$(free_port)
"${as_pg[@]}" "$pg_bin/postgres" -D "$work/pg" -p "$PG_PORT" -k "$work/pg" -c listen_addresses=127.0.0.1 -c max_connections=300 >/dev/null 2>&1 & pids+=($!)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null & pids+=($!); REDIS_PID=$!
node tests/peers/smtp-sink.mjs "$SINK_PORT" >"$work/sink.log" & pids+=($!)
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAq "$@"; }
for _ in $(seq 1 60); do psql_ -d postgres -c 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done

SECRET=$(head -c 48 /dev/urandom | base64 -w0)
random=$(LC_ALL=C tr -dc 'A-Za-z0-9' < <(head -c 2000 /dev/urandom)); BOOT="do_live_${random:0:32}"
KEYS_PORT=$(free_port); EMAIL_PORT=$(free_port); GW_PORT=$(free_port); BASE_PORT=$(free_port)
common=(Send__InternalIdentity__Secret="$SECRET" Send__Secrets__EncryptionKey="$(head -c 32 /dev/urandom | base64 -w0)" ConnectionStrings__redis="127.0.0.1:$REDIS_PORT" Logging__LogLevel__Default=Warning Database__MigrateOnStartup=true)
EMAILDB="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=email;Maximum Pool Size=100"

(cd src/KeyService/bin/Release/net10.0 && exec env "${common[@]}" ConnectionStrings__keysdb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=keys" \
  SEND_BOOTSTRAP_API_KEY="$BOOT" ASPNETCORE_URLS="http://127.0.0.1:$KEYS_PORT" dotnet Send.KeyService.dll >"$work/keys.log" 2>&1) & pids+=($!); KEYS_PID=$!
accept_only=(); [ "${ACCEPT_ONLY:-0}" = 1 ] || [ "${DELIVERY_ONLY:-0}" = 1 ] && accept_only=(Sending__Worker=false)
(cd src/EmailService/bin/Release/net10.0 && exec env "${common[@]}" "${accept_only[@]}" ConnectionStrings__emaildb="$EMAILDB" ConnectionStrings__smtp="smtp://127.0.0.1:$SINK_PORT" \
  ASPNETCORE_URLS="http://127.0.0.1:$EMAIL_PORT" dotnet Send.EmailService.dll >"$work/email.log" 2>&1) & pids+=($!); EMAIL_PID=$!
wait_http "http://127.0.0.1:$KEYS_PORT/health/live"; wait_http "http://127.0.0.1:$EMAIL_PORT/health/live"
(cd src/Gateway/bin/Release/net10.0 && exec env "${common[@]}" services__keyservice__http__0="http://127.0.0.1:$KEYS_PORT" \
  services__emailservice__http__0="http://127.0.0.1:$EMAIL_PORT" ASPNETCORE_URLS="http://127.0.0.1:$GW_PORT" dotnet Send.Gateway.dll >"$work/gateway.log" 2>&1) & pids+=($!); GW_PID=$!
(cd bench/SendBaseline/bin/Release/net10.0 && exec env ConnectionStrings__emaildb="$EMAILDB" ASPNETCORE_URLS="http://127.0.0.1:$BASE_PORT" \
  dotnet Send.Bench.SendBaseline.dll >"$work/baseline.log" 2>&1) & pids+=($!); BASELINE_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/health/live"
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$BASE_PORT/" && break; sleep 0.5; done

# A verified domain for the bootstrap organization (the domains API is not built yet), and a key
# whose quota the run cannot exhaust.
ORG=$(psql_ -d keys -c "select id from organizations where name = 'default'")
psql_ -d email -c "insert into domains (id, organization_id, name, status, created_at) values ('dom_bench', '$ORG', 'bench.test', 'verified', now())"
KEY=$(curl -fs "http://127.0.0.1:$GW_PORT/v1/api-keys" -H "Authorization: Bearer $BOOT" -H 'Content-Type: application/json' \
  -d '{"name":"bench","permission":"full_access","rate_limit":{"requests":1000000,"period":60}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

BODY='{"from":"Bench <bench@bench.test>","to":"someone@example.com","subject":"bench","html":"<p>Hello from the benchmark</p>"}'
echo "$BODY" >"$work/body.json"
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
LUA
# CPU time of each process, in clock ticks, to say where a request's cost goes (a saturated,
# shared machine blurs req/s, much less CPU per request). PostgreSQL is its postmaster and backends.
PG_PID=$(head -1 "$work/pg/postmaster.pid")
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
cpu_split() { # -> "emailservice gateway keyservice postgres redis baseline" ticks
  echo "$(ticks "$EMAIL_PID") $(ticks "$GW_PID") $(ticks "$KEYS_PID") $(ticks "$PG_PID" $(pgrep -P "$PG_PID")) $(ticks "$REDIS_PID") $(ticks "$BASELINE_PID")"
}
run() { # url -> requests/s p50 p99 requests; a round with any non-2xx answer is not a measurement
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_ROUND}s" --latency -s "$work/post.lua" "$1" |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF} / requests in / {n=$1}
         END {if (bad > 0) {print "non-2xx answers: " bad > "/dev/stderr"; exit 1} printf "%s %s %s %s\n", rps, p50, p99, n}'
}
cpu_per_request() { # before-ticks after-ticks requests label -> CPU ms per request by process
  python3 -c "
import os, sys
hz = os.sysconf('SC_CLK_TCK'); names = ['emailservice', 'gateway', 'keyservice', 'postgres', 'redis', 'baseline']
b, a, n = sys.argv[1].split(), sys.argv[2].split(), int(sys.argv[3])
parts = [(name, (int(y) - int(x)) * 1000 / hz / n) for name, x, y in zip(names, b, a) if int(y) - int(x) > 0]
print(f'  CPU per request, {sys.argv[4]}: ' + ', '.join(f'{name} {ms:.2f} ms' for name, ms in parts) + f'; total {sum(ms for _, ms in parts):.2f} ms')" "$1" "$2" "$3" "$4"
}
SEND="http://127.0.0.1:$GW_PORT/v1/emails"; BASE="http://127.0.0.1:$BASE_PORT/v1/emails"
if [ "${DELIVERY_ONLY:-0}" != 1 ]; then
echo "warming up…"
# 30 s: with every process sharing two cores, the JIT needs that long to finish tiering the
# send path up (after 10 s the first measured round still cost twice the CPU of the next).
wrk -t2 -c"$CONNECTIONS" -d30s -s "$work/post.lua" "$SEND" >/dev/null; wrk -t2 -c"$CONNECTIONS" -d10s -s "$work/post.lua" "$BASE" >/dev/null
if [ "${HOLD:-0}" = 1 ]; then
  echo "holding: SEND=$SEND BASE=$BASE KEY=$KEY EMAIL_PID=$EMAIL_PID GW_PID=$GW_PID PG_PORT=$PG_PORT REDIS_PORT=$REDIS_PORT"
  while sleep 3600; do :; done
fi

if [ "${LATENCY_ONLY:-0}" != 1 ]; then
echo "== 1. single sends at full speed ($CONNECTIONS connections)"
printf '%-6s %-10s %12s %10s %10s\n' round mode "req/s" p50 p99
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  before=$(cpu_split); read -r s_rps s_p50 s_p99 s_n < <(run "$SEND"); after=$(cpu_split)
  cpu_per_request "$before" "$after" "$s_n" "send round $r" >>"$work/cpu.txt"
  before=$(cpu_split); read -r b_rps b_p50 b_p99 b_n < <(run "$BASE"); after=$(cpu_split)
  cpu_per_request "$before" "$after" "$b_n" "baseline round $r" >>"$work/cpu.txt"
  printf '%-6s %-10s %12s %10s %10s\n' "$r" send "$s_rps" "$s_p50" "$s_p99" "$r" baseline "$b_rps" "$b_p50" "$b_p99"
  ratios+=("$(python3 -c "print($s_rps / $b_rps)")")
done
cat "$work/cpu.txt"
python3 -c "
import statistics, sys
r = [float(x) for x in sys.argv[1:]]
print('per-round send / baseline: ' + ', '.join(f'{x:.1%}' for x in r) + f'; median {statistics.median(r):.1%} (goal: at least 50%)')" "${ratios[@]}"

fi

echo "== 2. single sends at a steady 500 requests/s for 20 s (wrk, 64 connections, random gaps)"
# Arrivals are spread at random (exponential gaps, mean 64/500 s per connection), as independent
# clients are; a fixed per-client tick (hey -q) fires all clients together and measures its bursts.
cat >"$work/paced.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
local mean_gap_ms = 64 * 1000 / 500
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function delay() return -math.log(1 - math.random()) * mean_gap_ms end
LUA
# One request at a time first: the latency of a send with nothing to queue behind.
for target in "send $SEND" "baseline $BASE"; do
  wrk -t1 -c1 -d10s --latency -s "$work/post.lua" "${target#* }" |
    awk -v who="${target%% *}" '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%-8s one at a time: %s req/s, p50 %s, p99 %s\n", who, rps, p50, p99}'
done
# The bare endpoint at the same rate right after: the floor this machine, PostgreSQL's commit and wrk set.
paced_rounds=1; [ "${LATENCY_ONLY:-0}" = 1 ] && paced_rounds=$ROUNDS
for r in $(seq 1 "$paced_rounds"); do
  for target in "send $SEND" "baseline $BASE"; do
    wrk -t2 -c64 -d20s --latency -s "$work/paced.lua" "${target#* }" |
      awk -v who="${target%% *}" '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF}
        END {printf "%-8s achieved %s req/s, p50 %s, p90 %s, p99 %s%s%s\n", who, rps, p50, p90, p99, (who == "send" ? " (goal: p99 at most 25 ms)" : ""), (bad > 0 ? ", non-2xx answers: " bad : "")}'
  done
done | tee "$work/paced.txt"
[ "$paced_rounds" -gt 1 ] && python3 -c "
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    who = line.split()[0]
    ms = lambda v: float(v[:-2]) if v.endswith('ms') else float(v[:-2]) / 1000 if v.endswith('us') else float(v[:-1]) * 1000
    values = dict(re.findall(r'(p\d+) ([0-9.]+[mu]?s)', line))
    for p, v in values.items(): rows.setdefault((who, p), []).append(ms(v))
for who in ('send', 'baseline'):
    print(f'{who:8} median of {len(rows[(who, \"p99\")])} rounds: ' + ', '.join(f'{p} {statistics.median(rows[(who, p)]):.1f} ms' for p in ('p50', 'p90', 'p99')))" "$work/paced.txt"
fi

[ "${LATENCY_ONLY:-0}" = 1 ] && exit 0
BATCHES=${BATCHES:-5}  # more make a longer delivery run (part 4) to measure
echo "== 3. a 1,000-email batch, accepted ($BATCHES times)"
python3 -c "
import json
print(json.dumps([{'from':'bench@bench.test','to':f'r{i}@example.com','subject':'batch-bench','html':'<p>x</p>'} for i in range(1000)]))" >"$work/batch.json"
times=()
for _ in $(seq 1 "$BATCHES"); do
  times+=("$(curl -s -o /dev/null -w '%{time_total} %{http_code}' "$SEND/batch" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @"$work/batch.json")")
done
printf '%s\n' "${times[@]}" | python3 -c "
import statistics, sys
rows = [l.split() for l in sys.stdin if l.strip()]
assert all(code == '200' for _, code in rows), rows
t = [float(x) * 1000 for x, _ in rows]
print('batch of 1,000 accepted in (ms): ' + ', '.join(f'{x:.0f}' for x in t) + f'; median {statistics.median(t):.0f} ms (goal: at most 500 ms)')"

[ "${ACCEPT_ONLY:-0}" = 1 ] && exit 0
echo "== 4. delivery to the SMTP sink"
SINK_PID=$(pgrep -f "smtp-sink.mjs $SINK_PORT" | head -1)
if [ "${DELIVERY_ONLY:-0}" = 1 ]; then
  WORKER_PORT=$(free_port)
  before=$(echo "$(ticks "$PG_PID" $(pgrep -P "$PG_PID")) $(ticks "$REDIS_PID") $(ticks "$SINK_PID")")
  (cd src/EmailService/bin/Release/net10.0 && exec env "${common[@]}" Database__MigrateOnStartup=false ConnectionStrings__emaildb="$EMAILDB" ConnectionStrings__smtp="smtp://127.0.0.1:$SINK_PORT" \
    ASPNETCORE_URLS="http://127.0.0.1:$WORKER_PORT" dotnet Send.EmailService.dll >"$work/worker.log" 2>&1) & pids+=($!); WORKER_PID=$!
fi
for _ in $(seq 1 600); do
  left=$(psql_ -d email -c "select count(*) from emails where subject = 'batch-bench' and status <> 'sent'")
  [ "$left" = "0" ] && break; sleep 1
done
psql_ -d email -c "select count(*) || ' emails sent at ' || round(count(*) / extract(epoch from max(sent_at) - min(sent_at))) || ' emails/s (goal: at least 1,000)'
                   from emails where subject = 'batch-bench'"
echo "sink: $(tail -1 "$work/sink.log")"
if [ "${DELIVERY_ONLY:-0}" = 1 ]; then
  # The worker's ticks include its start-up (JIT, migrations check, connecting): an upper bound.
  after=$(echo "$(ticks "$PG_PID" $(pgrep -P "$PG_PID")) $(ticks "$REDIS_PID") $(ticks "$SINK_PID")")
  python3 -c "
import os, sys
hz = os.sysconf('SC_CLK_TCK'); n = $BATCHES * 1000
w = int(sys.argv[1]); b, a = sys.argv[2].split(), sys.argv[3].split()
parts = [('worker (with its start-up)', w)] + [(name, int(y) - int(x)) for name, x, y in zip(['postgres', 'redis', 'smtp sink'], b, a)]
print('CPU per delivered email: ' + ', '.join(f'{name} {t * 1000 / hz / n:.2f} ms' for name, t in parts))" "$(ticks "$WORKER_PID")" "$before" "$after"
fi
