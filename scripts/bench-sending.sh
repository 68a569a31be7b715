#!/usr/bin/env bash
# The sending run of `make bench` (alone: `make bench-sending`): one issue to BENCH_MESSAGES
# (100,000) confirmed subscribers, sent by two Celery worker processes to an SMTP sink on
# loopback, against a plain smtplib loop sending the same messages over one connection, in one
# run (bench/sending.py). A separate database (BENCH_SENDING_DATABASE, qcommunity_bench_sending;
# the audience is made once and kept while its size is the same; outbox, deliveries and issues
# are emptied before each run), the checkout's private PostgreSQL and Redis (database 41),
# production-like settings. Figures go to .run/bench/sending-<timestamp>.json and
# .run/bench/sending-latest.json; the workers' logs to .run/bench/sending-worker*.log.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

BENCH_MESSAGES="${BENCH_MESSAGES:-100000}"
BENCH_SENDING_DATABASE="${BENCH_SENDING_DATABASE:-qcommunity_bench_sending}"
BENCH_REDIS_DB="${BENCH_SENDING_REDIS_DB:-41}"
OUT="$ROOT/.run/bench"
mkdir -p "$OUT"

command -v redis-server >/dev/null 2>&1 || { echo "redis-server is needed (apt-get install redis-server)." >&2; exit 1; }
scripts/services.sh start postgres
scripts/services.sh start redis

unset DATABASE_URL
export DJANGO_SETTINGS_MODULE=qcommunity.settings.benchmark
export REDIS_URL="redis://127.0.0.1:${QC_REDIS_PORT}/${BENCH_REDIS_DB}"
export SECRET_KEY="bench-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')"
export SITE_URL="https://q-community.example"
export STATIC_ROOT="$OUT/static"
export LOG_LEVEL=WARNING

echo "== sending: $BENCH_MESSAGES messages, database $BENCH_SENDING_DATABASE"
python -m bench.sending --messages "$BENCH_MESSAGES" --database "$BENCH_SENDING_DATABASE" \
  --out-dir "$OUT"
