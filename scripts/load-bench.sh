#!/usr/bin/env bash
# Load on loopback: wrk (a second process, 1 to 2 threads) against the release server with
# a fresh database, at 1, 16 and 64 connections, for
#   GET  /api/listings?market=US            (pages 1-10 in turn)
#   GET  /api/listings/{id}?market=US       (100 listings in turn)
#   POST /api/quote                         (10 lines)
#   PUT  /api/seller/listings/{id}          (a seller's price write, signed in, with CSRF)
# Prints one `SUMMARY: load …` line per scenario (req/s, p50, p99, errors) and fails when
# any request fails: a socket error or a status outside 2xx. On the write, a 409 is not an
# error: two writes in flight for one listing name the same version and the second is
# refused by design (optimistic concurrency); they are counted and shown apart.
#   scripts/load-bench.sh                  # after scripts/build-server.sh; builds nothing
#   LOAD_BENCH_SECS=3 scripts/load-bench.sh
#   DATABASE_URL=postgres://… scripts/load-bench.sh
# The database: a fresh SQLite file (with-server.sh's) unless DATABASE_URL is set; then it
# reaches the server as it is (the server picks its backend from it) and each line is
# labelled with that backend: (sqlite, …) or (postgres, …). The database must start empty,
# e.g. a throwaway cluster:
#   scripts/with-postgres.sh bash -c 'DATABASE_URL=$CROSSDOCK_TEST_DATABASE_URL scripts/load-bench.sh'
# The server and wrk share this machine's cores, so the figures include the load
# generator's own cost. wrk comes from Debian (scripts/install-tools.sh --browser).
set -euo pipefail
cd "$(dirname "$0")/.."

# The backend the lines are labelled with: the scheme of DATABASE_URL, SQLite without it.
backend() {
  case "${DATABASE_URL:-}" in
    "" | sqlite:*) echo sqlite ;;
    postgres://* | postgresql://*) echo postgres ;;
    *) echo "${DATABASE_URL%%:*}" ;;
  esac
}

# The scenarios, run by with-server.sh with E2E_BASE_URL set.
run_scenarios() {
  local url=$E2E_BASE_URL secs=${LOAD_BENCH_SECS:-4}
  LOAD_BACKEND=$(backend)
  export LOAD_BACKEND LOAD_NOW=2026-11-24T12:00:00Z
  prepare
  local failed=0 conns threads name lua out
  for scenario in "GET /api/listings|listings" "GET /api/listings/{id}|detail" \
    "POST /api/quote|quote" "PUT /api/seller/listings/{id}|write"; do
    name=${scenario%|*}
    lua=${scenario#*|}
    for conns in 1 16 64; do
      threads=$((conns < 2 ? conns : 2))
      # The versions as they are now (the run before moved them on).
      if [ "$lua" = write ]; then prepare; fi
      out=$(LOAD_NAME="$name" LOAD_CONNS=$conns LOAD_THREADS=$threads \
        timeout $((secs + 30)) wrk -t "$threads" -c "$conns" -d "${secs}s" --timeout 10s \
        -s "scripts/load-bench/$lua.lua" "$url") || {
        echo "error: wrk failed on $name at $conns connections: $out" >&2
        failed=1
        continue
      }
      grep -E '^(SUMMARY|  errors)' <<<"$out"
      grep -q '^SUMMARY: .*, 0 errors' <<<"$out" || failed=1
      if [ "$lua" = listings ] && [ "$conns" = 16 ]; then listings16=$out; fi
    done
  done
  goal_line "${listings16:-}"
  return "$failed"
}

# The issue's goal for this machine (load generator included): listings p99 under 10 ms
# at 16 connections. A figure, not a test: printed as met or missed, never failing the run
# (the machine's other load moves it).
goal_line() {
  local p99 verdict
  p99=$(sed -n 's/^SUMMARY: .*p99 \([0-9.]*\) ms.*/\1/p' <<<"$1")
  if [ -z "$p99" ]; then
    verdict="not measured"
  elif awk -v v="$p99" 'BEGIN { exit !(v < 10) }'; then
    verdict="met ($p99 ms)"
  else
    verdict="MISSED ($p99 ms)"
  fi
  echo "SUMMARY: load goal ($LOAD_BACKEND): listings p99 under 10 ms at 16 connections: $verdict"
}

# Exports LOAD_IDS (100 listing ids sold in the US), and a seller's session (LOAD_COOKIE,
# LOAD_CSRF) with 64 of its listings not fully managed (so a plain `price`), their
# versions and US prices (LOAD_WRITES).
prepare() {
  local setup line
  setup=$(node - "$E2E_BASE_URL" <<'JS'
const base = process.argv[2];
const now = '2026-11-24T12:00:00Z';
const ids = (await (await fetch(`${base}/api/listings?market=US&per_page=100&now=${now}`)).json()).items.map((i) => i.id);
const login = await fetch(`${base}/api/seller/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: 'voltaic@demo.crossdock', password: 'crossdock-demo-voltaic' }),
});
if (login.status !== 200) throw new Error(`sign-in: ${login.status}`);
const cookie = login.headers.get('set-cookie').split(';')[0];
const csrf = (await login.json()).csrf_token;
const mine = await (await fetch(`${base}/api/seller/listings?per_page=200`, { headers: { cookie } })).json();
const writes = mine.items
  .filter((l) => l.mode !== 'fully_managed')
  .map((l) => [l, l.markets.find((m) => m.market === 'US' && m.price && !m.promotion)])
  .filter(([, m]) => m)
  .slice(0, 64)
  .map(([l, m]) => `${l.id}:${l.version}:${m.price.minor}:${m.currency}`);
if (ids.length < 20 || writes.length < 64) throw new Error(`too few listings: ${ids.length}, ${writes.length}`);
console.log(`LOAD_IDS=${ids.join(',')}`);
console.log(`LOAD_WRITES=${writes.join(',')}`);
console.log(`LOAD_COOKIE=${cookie}`);
console.log(`LOAD_CSRF=${csrf}`);
JS
  )
  while IFS= read -r line; do export "${line?}"; done <<<"$setup"
}

if [ "${1:-}" = --scenarios ]; then
  run_scenarios
  exit
fi

if ! command -v wrk >/dev/null; then
  echo "error: wrk is missing: scripts/install-tools.sh --browser installs it (apt-get install wrk)" >&2
  exit 1
fi
# DATABASE_URL, when set, reaches the server through the environment with-server.sh
# starts it in.
echo "load: database $(backend)${DATABASE_URL:+ (DATABASE_URL)}"
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
WITH_SERVER_DIST="$empty" scripts/with-server.sh "$0" --scenarios
