#!/usr/bin/env bash
# Runs a command against a fresh release server:
#   scripts/with-server.sh node --test tests/e2e/*.test.mjs
# Starts crates/server (already built: scripts/build-server.sh) on a free loopback port
# with a temporary database, the repository's network file and dist/, waits until it
# answers, runs the command with E2E_BASE_URL=http://127.0.0.1:PORT, then stops the
# server (also when the command fails or the script is interrupted) and returns the
# command's exit status.
#   WITH_SERVER_DIST=DIR   serve DIR instead of dist/ (the API alone needs no built app)
# The command also gets SERVER_READY_MS: how long the server took from launch to its
# address (a fresh database, so that includes creating the demo catalog).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$HOME/.cache/crossdock/target}"
server="$target/release/crossdock-server"
if [ ! -x "$server" ]; then
  echo "error: $server is not built: run scripts/build-server.sh" >&2
  exit 1
fi
dist="${WITH_SERVER_DIST:-dist}"
if [ -z "${WITH_SERVER_DIST:-}" ] && [ ! -f dist/index.html ]; then
  echo "error: dist/index.html is missing: run scripts/build-app.sh" >&2
  exit 1
fi

# shellcheck source=scripts/lib/stop.sh
. scripts/lib/stop.sh
tmp=$(mktemp -d)
pid=
cleanup() {
  stop_processes "$pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Port 0: the system picks a free port and the server prints it.
started=$(date +%s%N)
# A fresh SQLite file, unless DATABASE_URL names another database (which must start empty).
db_args=(--db "$tmp/e2e.sqlite")
[ -n "${DATABASE_URL:-}" ] && db_args=()
"$server" --addr 127.0.0.1 --port 0 "${db_args[@]}" --dist "$dist" \
  --network data/network.json >"$tmp/server.log" 2>&1 &
pid=$!

url=
for _ in $(seq 1 600); do
  url=$(sed -n 's|^Crossdock is running at \(http://[^/ ]*\)/.*|\1|p' "$tmp/server.log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "error: the server did not start:" >&2
    cat "$tmp/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "error: the server printed no address within 60 s:" >&2
  cat "$tmp/server.log" >&2
  exit 1
fi
export SERVER_READY_MS=$((($(date +%s%N) - started) / 1000000))
curl -fsS --max-time 5 "$url/api/health" >/dev/null

echo "server: $url (log: $tmp/server.log)"
export E2E_BASE_URL="$url"
status=0
"$@" || status=$?
if [ "$status" != 0 ]; then
  echo "--- server log ---"
  cat "$tmp/server.log"
fi
exit "$status"
