#!/usr/bin/env bash
# Signed webhook deliveries per second from a real WebhookService process (events published
# through its outbox to Redis, fanned out into deliveries, claimed, signed, POSTed through the
# SSRF-safe client, each attempt recorded) to a local receiver, against a bare loop that signs
# and POSTs the same payloads to the same receiver with HttpClient, in the same run (rounds
# alternate, medians reported); then event→delivery latency p50/p99 at half the measured rate.
# See docs/benchmarks.md.
#
#   bench/webhook-delivery.sh [events-per-round=1000] [rounds=3] [endpoints=16] [latency-seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-1000}
ROUNDS=${2:-3}
ENDPOINTS=${3:-16}
LATENCY_SECONDS=${4:-20}

scripts/prerequisites.sh
dotnet build bench/WebhookDelivery -c Release -v quiet -nologo >/dev/null
(cd bench/WebhookDelivery/bin/Release/net10.0 && dotnet Send.Bench.WebhookDelivery.dll "$EVENTS" "$ROUNDS" "$ENDPOINTS" "$LATENCY_SECONDS")
