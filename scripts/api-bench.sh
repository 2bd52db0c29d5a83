#!/usr/bin/env bash
# Latency of the catalog API on loopback: median and p99 of a bounded, sequential run
# (one request at a time over a kept-alive connection) against the release server with a
# fresh database (so its first start also creates the demo catalog, which is timed too),
# started and stopped by scripts/with-server.sh.
#   scripts/api-bench.sh            # after scripts/build-server.sh
#   API_BENCH_N=100 scripts/api-bench.sh
# Prints one SUMMARY line per scenario. Figures only: slowness never fails the run; a
# request that fails does.
set -euo pipefail
cd "$(dirname "$0")/.."
# The API needs no built app: an empty dist folder will do.
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
WITH_SERVER_DIST="$empty" scripts/with-server.sh bash -c '
  echo "SUMMARY: api (loopback): first start with a fresh database (migrate, create the 3,000-listing demo catalog, load) ready in ${SERVER_READY_MS} ms"
  node scripts/api-bench.mjs "$E2E_BASE_URL"
'
