#!/usr/bin/env bash
# Start (or reuse) a throw-away PostgreSQL cluster on 127.0.0.1 for the journal's tests, from
# Debian's packages (no Docker), and print its URL. Idempotent: a second run reuses the cluster.
#   export SIGNALBRIDGE_TEST_POSTGRES_URL="$(bash packages/journal/scripts/test-postgres.sh)"
set -euo pipefail
DATA="${SIGNALBRIDGE_TEST_POSTGRES_DIR:-/var/tmp/signalbridge-test-pg}"
PASSWORD="signalbridge-test-pw"

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing postgresql from Debian" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_pg() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA" && chown postgres:postgres "$DATA" && chmod 700 "$DATA"
  pwfile="$(mktemp)" && echo "$PASSWORD" >"$pwfile" && chown postgres "$pwfile"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
fi
answering() { [ -f "$DATA/signalbridge-port" ] && as_pg "$BIN/psql" -h /tmp -p "$(cat "$DATA/signalbridge-port")" -U postgres -tAc "SELECT 1" >/dev/null 2>&1; }
if ! answering; then
  # Not answering: a server killed with the session that started it leaves a stale pid file.
  as_pg "$BIN/pg_ctl" -D "$DATA" stop -m immediate >/dev/null 2>&1 || true
  rm -f "$DATA/postmaster.pid"
  # A free port, chosen by the OS.
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  echo "$port" >"$DATA/signalbridge-port"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c max_connections=200" start >/dev/null
fi
port="$(cat "$DATA/signalbridge-port")"
if ! as_pg "$BIN/psql" -h /tmp -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'signalbridge_test'" | grep -q 1; then
  as_pg "$BIN/psql" -h /tmp -p "$port" -U postgres -qc "CREATE DATABASE signalbridge_test" >/dev/null
fi
echo "postgres://postgres:${PASSWORD}@127.0.0.1:${port}/signalbridge_test"
