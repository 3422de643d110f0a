#!/usr/bin/env bash
# Events per second through the local messaging transport (publisher → Redis stream → consumer
# app over HTTP → handler), one request per event and in bulk, with 1, 2 and 4 competing
# consumers, against a bare XADD/XREADGROUP loop on the same Redis in the same run. Rounds
# alternate and the median is reported. See docs/benchmarks.md.
#
#   bench/messaging-throughput.sh [events-per-run] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-40000}
ROUNDS=${2:-5}

scripts/prerequisites.sh
dotnet build bench/MessagingThroughput -c Release -v quiet -nologo >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(redis-server --version | cut -d' ' -f3), $(dotnet --version)"
(cd bench/MessagingThroughput/bin/Release/net10.0 && dotnet Send.Bench.MessagingThroughput.dll "127.0.0.1:$port" "$EVENTS" "$ROUNDS")
