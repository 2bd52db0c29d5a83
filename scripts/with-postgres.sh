#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster:
#   scripts/with-postgres.sh cargo test -p crossdock-server
# Installs PostgreSQL from Debian's packages when it is missing, creates a cluster in a
# temporary folder listening on a free loopback port (nothing else runs it: not CI, not
# the newcomer's machine), runs the command with
#   CROSSDOCK_TEST_DATABASE_URL=postgres://crossdock@127.0.0.1:PORT/postgres
# (the server's tests then run against PostgreSQL as well as SQLite; each test makes its
# own database), stops the cluster and deletes the folder, also when the command fails or
# the script is interrupted, and returns the command's exit status.
set -euo pipefail

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! bin=$(find_bin); then
  echo "Installing PostgreSQL from Debian's packages (~10 s)…" >&2
  if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >/dev/null \
    || { $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >/dev/null; }
  bin=$(find_bin) || { echo "error: PostgreSQL's initdb is still missing after apt-get install postgresql" >&2; exit 1; }
fi

tmp=$(mktemp -d /tmp/crossdock-pg.XXXXXX)
# initdb refuses to run as root: the cluster belongs to the postgres user then.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$tmp"
  as_owner=(runuser -u postgres --)
fi
started=false
cleanup() {
  if $started; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_owner[@]}" "$bin/initdb" -D "$tmp/data" -A trust -U crossdock -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; echo "error: initdb failed" >&2; exit 1; }
# Tests make a database each and hold a pool of connections to it.
"${as_owner[@]}" "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w start \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=${PG_FSYNC:-on}" >/dev/null \
  || { cat "$tmp/log" >&2; echo "error: PostgreSQL did not start" >&2; exit 1; }
started=true

export CROSSDOCK_TEST_DATABASE_URL="postgres://crossdock@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway, in $tmp)" >&2
status=0
"$@" || status=$?
exit "$status"
