#!/usr/bin/env bash
# Regenerates docs/events/*.schema.json from the C# contracts in src/Contracts.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f docs/events/*.schema.json
UPDATE_EVENT_SCHEMAS=1 dotnet test tests/BuildingBlocks.Tests -c Release --filter "FullyQualifiedName~EventSchemaTests.Every_contract" >/dev/null
git status --short docs/events
