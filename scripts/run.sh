#!/usr/bin/env bash
# `make run`: database (and Redis when installed), migrations, demo data, then the site on
# HOST:PORT (127.0.0.1:8000 unless given) with a Celery worker and beat. Ctrl-C stops everything
# this script started; services that were already running keep running.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-qcommunity.settings.development}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
scripts/check-port.sh "$HOST" "$PORT"
site_url_default "$HOST" "$PORT"

started=() pids=()
cleanup() {
  trap - INT TERM EXIT
  local pid service
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for service in ${started[@]+"${started[@]}"}; do scripts/services.sh stop "$service" || true; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${DATABASE_URL:-}" ]; then
  scripts/services.sh running postgres || started+=(postgres)
  scripts/services.sh start postgres
fi
if [ -z "${REDIS_URL:-}" ] && redis_available; then
  scripts/services.sh running redis || started+=(redis)
  scripts/services.sh start redis
  export REDIS_URL="redis://127.0.0.1:${QC_REDIS_PORT}/0"
fi

python manage.py migrate --no-input -v0
python manage.py createcachetable
python manage.py seed_demo

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
echo "Q Community is starting on ${SITE_URL} (Ctrl-C to stop); links in emails use that address."
# In the foreground, so Ctrl-C reaches it; the traps then stop the worker, beat and the services
# this script started.
if [[ "$HOST" == *:* ]]; then
  python manage.py runserver -6 "[$HOST]:$PORT"
else
  python manage.py runserver "$HOST:$PORT"
fi
