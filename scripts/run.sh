#!/usr/bin/env bash
# `make run`: database (and Redis when installed), migrations, demo data, then the site with a
# Celery worker and beat. Ctrl-C stops everything this script started.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-qcommunity.settings.development}"

if [ -z "${DATABASE_URL:-}" ]; then scripts/services.sh start postgres; fi
if [ -z "${REDIS_URL:-}" ] && redis_available; then
  scripts/services.sh start redis
  export REDIS_URL="redis://127.0.0.1:${QC_REDIS_PORT}/0"
fi

python manage.py migrate --no-input -v0
python manage.py createcachetable
python manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/services.sh stop
}
trap cleanup INT TERM EXIT

if [ -n "${REDIS_URL:-}" ]; then
  celery -A qcommunity worker --loglevel=INFO --concurrency=2 &
  pids+=($!)
  celery -A qcommunity beat --loglevel=INFO --schedule "$ROOT/.run/celerybeat-schedule" &
  pids+=($!)
  echo "Celery worker and beat started (Redis at ${REDIS_URL})."
else
  echo "Redis is not installed: background tasks run immediately in the web process."
fi

echo
echo "Q Community is starting on http://127.0.0.1:8000 (Ctrl-C to stop)."
# In the foreground, so Ctrl-C reaches it; the trap then stops the worker, beat and services.
python manage.py runserver 127.0.0.1:8000
