#!/usr/bin/env bash
# Start (or reuse) the private PostgreSQL cluster and Redis server that live inside the checkout.
#   scripts/services.sh start [postgres|redis|all]   start what is missing, idempotently
#   scripts/services.sh stop                          stop what this checkout started
# PostgreSQL listens only on a Unix socket in .run/pg; Redis only on 127.0.0.1:$QC_REDIS_PORT.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN="$ROOT/.run"
PGDIR="$RUN/pg"
PGDATA="$PGDIR/data"
REDIS_PORT="${QC_REDIS_PORT:-6391}"
mkdir -p "$RUN"

pg_bindir() {
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) \
           /usr/local/opt/postgresql*/bin /opt/homebrew/opt/postgresql*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  return 1
}

# As root, PostgreSQL must run as the postgres system user; elsewhere as the current user.
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local bin
  bin=$(pg_bindir) || { echo "PostgreSQL server binaries not found (install postgresql)." >&2; exit 1; }
  mkdir -p "$PGDIR"
  if [ "$(id -u)" = "0" ]; then chown postgres: "$PGDIR"; chmod 700 "$PGDIR"; fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PGDIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  if ! as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGDIR/server.log" -w -t 30 start >/dev/null
    echo "PostgreSQL started (socket in .run/pg)."
  fi
  if ! as_pg "$bin/psql" -h "$PGDIR" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='qcommunity'" | grep -q 1; then
    as_pg "$bin/createdb" -h "$PGDIR" -U postgres qcommunity
  fi
}

stop_postgres() {
  local bin
  bin=$(pg_bindir) || return 0
  if [ -f "$PGDATA/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null && echo "PostgreSQL stopped."
  fi
}

start_redis() {
  command -v redis-server >/dev/null 2>&1 || { echo "redis-server not installed." >&2; return 1; }
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$RUN" --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log" --databases 64
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "Redis started on 127.0.0.1:$REDIS_PORT."
}

stop_redis() {
  if [ -f "$RUN/redis.pid" ] && kill -0 "$(cat "$RUN/redis.pid")" 2>/dev/null; then
    kill "$(cat "$RUN/redis.pid")" && echo "Redis stopped."
  fi
}

case "${1:-start}:${2:-all}" in
  start:postgres) start_postgres ;;
  start:redis) start_redis ;;
  start:all) start_postgres; start_redis || true ;;
  stop:*) stop_redis; stop_postgres ;;
  *) echo "usage: $0 start [postgres|redis|all] | stop" >&2; exit 2 ;;
esac
