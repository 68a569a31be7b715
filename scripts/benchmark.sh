#!/usr/bin/env bash
# `make bench`: a separate database with BENCH_USERS users (100,000 by default; seeded once and
# reused while the size is the same) and a Q Exchange round of 2,000 proposals, one of them with
# 300 comments, gunicorn with production-like settings on a free loopback
# port, then BENCH_CLIENTS concurrent clients (16) for BENCH_SECONDS (30) on each page.
# Figures go to .run/bench/results-<timestamp>.json and .run/bench/latest.json.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

BENCH_USERS="${BENCH_USERS:-100000}"
BENCH_DATABASE="${BENCH_DATABASE:-qcommunity_bench}"
BENCH_REDIS_DB="${BENCH_REDIS_DB:-40}"
OUT="$ROOT/.run/bench"
mkdir -p "$OUT"

command -v redis-server >/dev/null 2>&1 || { echo "redis-server is needed (apt-get install redis-server)." >&2; exit 1; }
scripts/services.sh start postgres
scripts/services.sh start redis

unset DATABASE_URL
export DJANGO_SETTINGS_MODULE=qcommunity.settings.benchmark
export PGDATABASE="$BENCH_DATABASE"
export REDIS_URL="redis://127.0.0.1:${QC_REDIS_PORT}/${BENCH_REDIS_DB}"
export SECRET_KEY="bench-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')"
export STATIC_ROOT="$OUT/static"
export LOG_LEVEL=WARNING

echo "== database $BENCH_DATABASE with $BENCH_USERS users"
started=$(date +%s)
python manage.py collectstatic --no-input -v0 &
collect=$!
seed_json=$(python -m bench.seed --users "$BENCH_USERS" --database "$BENCH_DATABASE" | tail -n 1)
wait "$collect"
echo "$seed_json"
echo "(ready in $(( $(date +%s) - started )) s)"
slug=$(python -c 'import json, sys; print(json.loads(sys.argv[1])["slug"] or "")' "$seed_json")
exchange_year=$(python -c 'import json, sys; print(json.loads(sys.argv[1])["exchange"]["year"])' "$seed_json")
exchange_slug=$(python -c 'import json, sys; print(json.loads(sys.argv[1])["exchange"]["slug"])' "$seed_json")

port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
echo "== gunicorn on 127.0.0.1:$port (2 workers, qcommunity.settings.benchmark)"
HOST=127.0.0.1 PORT="$port" WEB_CONCURRENCY=2 GUNICORN_MAX_REQUESTS=0 GUNICORN_LOG_LEVEL=warning \
  python -m gunicorn qcommunity.wsgi:application -c gunicorn.conf.py --access-logfile /dev/null \
  >"$OUT/gunicorn.log" 2>&1 &
gunicorn_pid=$!
stop_gunicorn() {
  kill "$gunicorn_pid" 2>/dev/null || true
  wait "$gunicorn_pid" 2>/dev/null || true
}
trap stop_gunicorn EXIT INT TERM

for _ in $(seq 100); do
  if python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
       "http://127.0.0.1:$port/bench/bare/" 2>/dev/null; then break; fi
  kill -0 "$gunicorn_pid" 2>/dev/null || { echo "gunicorn did not start:" >&2; tail -n 40 "$OUT/gunicorn.log" >&2; exit 1; }
  sleep 0.2
done

echo "== load"
python -m bench.driver --port "$port" --out-dir "$OUT" \
  --meta "{\"users\": $BENCH_USERS, \"database\": \"$BENCH_DATABASE\", \"seed\": $seed_json}" \
  --page "bare=/bench/bare/" \
  --page "search=/directory/?q=safety&region=wessex&role_type=manager" \
  --page "search-uncached=/directory/?q=safety&region=wessex&role_type=manager&v={n}" \
  --page "page50=/directory/?page=50" \
  --page "profile=/directory/${slug:-no-public-profile}/" \
  --page "home=/" \
  --page "exchange-round=/exchange/${exchange_year}/" \
  --page "exchange-proposal=/exchange/proposals/${exchange_slug}/"
