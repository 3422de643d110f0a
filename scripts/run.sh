#!/usr/bin/env bash
# Runs the whole platform locally under the .NET Aspire app host: the Gateway, the four
# services, PostgreSQL, Redis and a mail catcher, with the Aspire dashboard. Installs
# PostgreSQL and Redis when missing. Stop it with Ctrl+C (or SIGTERM).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prerequisites.sh

# A stable local key for the organization `default`, made once and kept in .local/ (git-ignored).
mkdir -p .local
if [ -z "${SEND_BOOTSTRAP_API_KEY:-}" ]; then
  if [ ! -s .local/bootstrap-api-key ]; then
    # No pipe into head: with pipefail, tr's SIGPIPE would abort the script.
    random=$(LC_ALL=C tr -dc 'A-Za-z0-9' < <(head -c 2000 /dev/urandom))
    printf 'do_live_%s\n' "${random:0:32}" > .local/bootstrap-api-key
  fi
  SEND_BOOTSTRAP_API_KEY=$(cat .local/bootstrap-api-key)
fi
export SEND_BOOTSTRAP_API_KEY

cat <<INFO
Starting Send…
  Gateway (the API):   http://127.0.0.1:8080        API reference: http://127.0.0.1:8080/docs
  Aspire dashboard:    http://127.0.0.1:18888
  Mail catcher:        http://127.0.0.1:5080
  Your API key:        $SEND_BOOTSTRAP_API_KEY  (organization "default", full access)

First request, once the dashboard shows the services running:
  curl -s http://127.0.0.1:8080/v1/api-keys -H "Authorization: Bearer $SEND_BOOTSTRAP_API_KEY"

INFO

exec dotnet run --project src/AppHost --launch-profile http
