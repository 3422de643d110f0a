#!/usr/bin/env bash
# Delivery throughput of EmailService's SMTP provider to a local SMTP sink (tests/peers/smtp-sink.mjs):
# its pool of open connections vs a new connection per message (the baseline), same run, rounds
# alternating, medians reported. See docs/benchmarks.md.
#
#   bench/smtp-delivery.sh [emails-per-run] [rounds] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
EMAILS=${1:-5000}
ROUNDS=${2:-3}
CONCURRENCY=${3:-8}

scripts/prerequisites.sh
dotnet build bench/SmtpDelivery -c Release -v quiet -nologo >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node tests/peers/smtp-sink.mjs "$port" >/dev/null &
sink_pid=$!
trap 'kill $sink_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, node $(node --version), $(dotnet --version); $EMAILS emails per run, concurrency $CONCURRENCY"
(cd bench/SmtpDelivery/bin/Release/net10.0 && dotnet Send.Bench.SmtpDelivery.dll "$port" "$EMAILS" "$ROUNDS" "$CONCURRENCY")
