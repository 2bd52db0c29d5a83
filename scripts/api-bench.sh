#!/usr/bin/env bash
# Latency of the catalog API on loopback: median and p99 of a bounded, sequential run
# (one request at a time over a kept-alive connection) against the release server with a
# fresh database (so its first start also creates the demo catalog, which is timed too).
#   scripts/api-bench.sh            # after scripts/build-server.sh
#   API_BENCH_N=100 scripts/api-bench.sh
# Prints one SUMMARY line per scenario. Figures only: slowness never fails the run; a
# request that fails does.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$HOME/.cache/crossdock/target}"
server="$target/release/crossdock-server"
if [ ! -x "$server" ]; then
  echo "error: $server is not built: run scripts/build-server.sh" >&2
  exit 1
fi

tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$(date +%s%N)
# The API needs no built app: an empty dist folder will do.
mkdir -p "$tmp/dist"
"$server" --addr 127.0.0.1 --port 0 --db "$tmp/bench.sqlite" --dist "$tmp/dist" \
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
ready_ms=$((($(date +%s%N) - started) / 1000000))
cat "$tmp/server.log"
echo "SUMMARY: api (loopback): first start with a fresh database (migrate, create the 3,000-listing demo catalog, load) ready in ${ready_ms} ms"

status=0
node scripts/api-bench.mjs "$url" || status=$?
if [ "$status" != 0 ]; then
  echo "--- server log ---"
  cat "$tmp/server.log"
fi
exit "$status"
