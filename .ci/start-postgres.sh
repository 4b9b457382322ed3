#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the repository tests and the server bench,
# and prints its URL (for DATABASE_URL or TEST_DATABASE_URL) as its only output. Installs nothing: it needs Debian's `postgresql`
# package (apt-get install -y postgresql). Safe as root: the cluster runs as the postgres user.
# Env: HTL_PG_DIR (default /tmp/htl-pg), HTL_PG_PORT (default 54329).
set -euo pipefail

DIR="${HTL_PG_DIR:-/tmp/htl-pg}"
PORT="${HTL_PG_PORT:-54329}"
DB=htl_test
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "start-postgres: no PostgreSQL server binaries under /usr/lib/postgresql; apt-get install -y postgresql" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || {
    cat "$DIR/initdb.log" >&2
    exit 1
  }
  # Loopback only, its own socket folder, and settings for a test machine (no fsync wait on commit
  # would flatter the bench, so synchronous_commit stays on).
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
  as_owner "$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE DATABASE $DB" >/dev/null
fi

echo "postgres://postgres@127.0.0.1:$PORT/$DB"
