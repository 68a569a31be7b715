#!/usr/bin/env bash
# `make test`: services, lint, migrations check, deploy check, then the whole suite in parallel.
# It stops the PostgreSQL and Redis it started (not those already running, e.g. from `make run`)
# and exits with pytest's status.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

# Redis and Chromium are needed for the tests; install them when missing and we may.
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need[*]} with apt-get..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Missing ${need[*]}: install them (Debian: apt-get install ${need[*]})." >&2
    exit 1
  fi
fi

started=()
stop_started() {
  trap - EXIT
  local service
  for service in ${started[@]+"${started[@]}"}; do scripts/services.sh stop "$service" || true; done
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for service in postgres redis; do
  scripts/services.sh running "$service" || started+=("$service")
  scripts/services.sh start "$service"
done
export REDIS_URL="redis://127.0.0.1:${QC_REDIS_PORT}/0"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

echo "== ruff"
ruff check .
ruff format --check .
echo "== layer rules (import-linter contracts in pyproject.toml)"
lint-imports --no-cache
echo "== migrations are up to date"
DJANGO_SETTINGS_MODULE=qcommunity.settings.test python manage.py makemigrations --check --dry-run
echo "== deploy checks with production settings"
DJANGO_SETTINGS_MODULE=qcommunity.settings.production \
  SECRET_KEY="check-deploy-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
  ALLOWED_HOSTS=q-community.example SITE_URL=https://q-community.example \
  python manage.py check --deploy --fail-level WARNING
echo "== tests"
workers="${PYTEST_WORKERS:-$(python -c 'import os; print(max(2, os.cpu_count() or 2))')}"
status=0
python -m pytest -n "$workers" --dist loadgroup "$@" || status=$?
exit "$status"
