#!/usr/bin/env bash
# Start (or reuse) the private PostgreSQL cluster and Redis server of this checkout.
#   scripts/services.sh start [postgres|redis|all]   start what is missing, idempotently
#   scripts/services.sh stop [postgres|redis|all]    stop what this checkout started
#   scripts/services.sh running postgres|redis       exit 0 when it is running
#   scripts/services.sh clean                        stop, and remove a cluster kept outside
# PostgreSQL listens only on a Unix socket; Redis only on 127.0.0.1:$QC_REDIS_PORT.
#
# Where the cluster lives: .run/pg inside the checkout, unless its PostgreSQL user cannot reach
# that folder (as root the cluster runs as the `postgres` system user, who cannot enter a 0700
# home folder) or the socket's path would be too long. Then it lives in a folder of its own made
# with mktemp, under the postgres user's home folder when we are root, and .run/pg-location
# records where, so the checkout keeps reusing it and the settings find its socket
# (qcommunity/settings/env.py reads the same record).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN="$ROOT/.run"
RECORD="$RUN/pg-location"
REDIS_PORT="${QC_REDIS_PORT:-6391}"
REDIS_PID="$RUN/redis-$REDIS_PORT.pid"
SOCKET_PATH_MAX=100  # Unix socket paths are limited to 107 bytes; keep a margin.
mkdir -p "$RUN"

is_root() { [ "$(id -u)" = "0" ]; }

pg_bindir() {
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) \
           /usr/local/opt/postgresql*/bin /opt/homebrew/opt/postgresql*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  return 1
}

# As root, PostgreSQL must run as the postgres system user, from a folder that user may enter
# (it reports "could not change directory" otherwise); elsewhere as the current user.
as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# A recorded folder counts only while it exists and says it belongs to this checkout (a copied
# .run must not share another checkout's cluster).
recorded_dir() {
  [ -f "$RECORD" ] || return 1
  local dir
  dir=$(head -n 1 "$RECORD")
  [ -n "$dir" ] && [ -d "$dir" ] && [ "$(cat "$dir/checkout" 2>/dev/null)" = "$ROOT" ] || return 1
  echo "$dir"
}

# The cluster's folder if it has one already (never creates anything).
pg_dir_existing() {
  recorded_dir && return 0
  if [ -f "$RUN/pg/data/PG_VERSION" ]; then echo "$RUN/pg"; return 0; fi
  return 1
}

inside_usable() {
  local socket="$RUN/pg/.s.PGSQL.5432"
  [ ${#socket} -le $SOCKET_PATH_MAX ] || return 1
  if is_root; then as_pg test -x "$RUN"; fi
}

make_outside_dir() {
  local dir home
  if is_root; then
    home=$(getent passwd postgres 2>/dev/null | cut -d: -f6 || true)
    if [ -n "$home" ] && [ -d "$home" ] && [ "$(stat -c %U "$home" 2>/dev/null)" = "postgres" ] \
        && dir=$(as_pg mktemp -d -p "$home" qcommunity-pg.XXXXXX 2>/dev/null); then
      :
    else
      dir=$(mktemp -d -t qcommunity-pg.XXXXXX)
      chown postgres: "$dir"
    fi
    # The owner marker is written by root into the postgres user's folder: readable by both.
    echo "$ROOT" > "$dir/checkout"
  else
    dir=$(mktemp -d -t qcommunity-pg.XXXXXX)
    echo "$ROOT" > "$dir/checkout"
  fi
  chmod 700 "$dir"
  echo "$dir" > "$RECORD"
  echo "$dir"
}

# The cluster's folder, made when there is none yet.
pg_dir_for_start() {
  pg_dir_existing && return 0
  if inside_usable; then
    rm -f "$RECORD"
    echo "$RUN/pg"
  else
    make_outside_dir
  fi
}

pg_running() {
  local bin dir
  bin=$(pg_bindir) || return 1
  dir=$(pg_dir_existing) || return 1
  as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start_postgres() {
  local bin dir data
  bin=$(pg_bindir) || { echo "PostgreSQL server binaries not found (install postgresql)." >&2; exit 1; }
  dir=$(pg_dir_for_start)
  data="$dir/data"
  mkdir -p "$dir"
  if is_root; then chown postgres: "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 start >/dev/null
    echo "PostgreSQL started (socket in ${dir/#$ROOT\//})."
  fi
  if ! as_pg "$bin/psql" -h "$dir" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='qcommunity'" | grep -q 1; then
    as_pg "$bin/createdb" -h "$dir" -U postgres qcommunity
  fi
}

stop_postgres() {
  local bin dir
  bin=$(pg_bindir) || return 0
  dir=$(pg_dir_existing) || return 0
  if [ -f "$dir/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null && echo "PostgreSQL stopped."
  fi
}

# Stop, then remove a cluster kept outside the checkout (one inside goes with .run).
clean_postgres() {
  local dir
  stop_postgres
  if dir=$(recorded_dir) && [ "$dir" != "$RUN/pg" ]; then
    rm -rf "$dir" && echo "Removed the PostgreSQL cluster in $dir."
  fi
  rm -f "$RECORD"
}

# Anything answering on the port counts: start reuses it, so it is not ours to stop.
redis_running() { redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; }

start_redis() {
  command -v redis-server >/dev/null 2>&1 || { echo "redis-server not installed." >&2; return 1; }
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$RUN" --pidfile "$REDIS_PID" --logfile "$RUN/redis.log" --databases 64
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "Redis started on 127.0.0.1:$REDIS_PORT."
}

stop_redis() {
  local pid file="$REDIS_PID"
  if [ ! -f "$file" ] && [ -f "$RUN/redis.pid" ]; then
    # Where earlier versions kept it, for every port: only if it is the one on our port.
    redis-cli -p "$REDIS_PORT" info server 2>/dev/null | tr -d '\r' \
      | grep -qx "process_id:$(cat "$RUN/redis.pid")" && file="$RUN/redis.pid"
  fi
  if [ -f "$file" ] && pid=$(cat "$file") && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$file"
    echo "Redis stopped."
  fi
}

case "${1:-start}:${2:-all}" in
  start:postgres) start_postgres ;;
  start:redis) start_redis ;;
  start:all) start_postgres; start_redis || true ;;
  stop:postgres) stop_postgres ;;
  stop:redis) stop_redis ;;
  stop:all) stop_redis; stop_postgres ;;
  running:postgres) pg_running ;;
  running:redis) redis_running ;;
  clean:*) stop_redis; clean_postgres ;;
  *) echo "usage: $0 start|stop [postgres|redis|all] | running postgres|redis | clean" >&2; exit 2 ;;
esac
