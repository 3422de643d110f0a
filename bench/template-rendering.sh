#!/usr/bin/env bash
# Renders per second of a typical transactional template (a receipt in a layout with a partial),
# compiled once and cached per version, against compiling it for every render (the baseline).
# BenchmarkDotNet runs each benchmark on one thread, so a render's mean time is per core.
# Usage: bench/template-rendering.sh [--job short|default]   (results in bench/TemplateRendering/BenchmarkDotNet.Artifacts)
set -euo pipefail
cd "$(dirname "$0")/TemplateRendering"
job="${2:-short}"
if [[ "${1:-}" == "--job" ]]; then job="$2"; fi
dotnet run -c Release -- --job "$job" --filter '*ReceiptRendering*' --artifacts ./BenchmarkDotNet.Artifacts
echo
echo "Renders per second per core = 1e9 / Mean (ns); ratio = CompileEveryRender / Cached."
