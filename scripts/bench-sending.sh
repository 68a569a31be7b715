#!/usr/bin/env bash
# `make bench-sending`: sending throughput of the outbox against a plain smtplib loop, in one run.
# A separate database (BENCH_SENDING_DATABASE, qcommunity_bench_sending; migrated, its outbox
# emptied before each run), the checkout's private PostgreSQL and Redis, production-like settings
# and an SMTP sink on a free loopback port. BENCH_MESSAGES (2,000) messages each way.
# Figures go to .run/bench/sending-<timestamp>.json and .run/bench/sending-latest.json;
# BENCH_PROFILE=1 also writes a cProfile of the product path to .run/bench/sending.prof.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

BENCH_MESSAGES="${BENCH_MESSAGES:-2000}"
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

profile=()
if [ "${BENCH_PROFILE:-0}" = "1" ]; then profile=(--profile "$OUT/sending.prof"); fi

echo "== sending $BENCH_MESSAGES messages, database $BENCH_SENDING_DATABASE"
python -m bench.sending --messages "$BENCH_MESSAGES" --database "$BENCH_SENDING_DATABASE" \
  --out-dir "$OUT" "${profile[@]}"
