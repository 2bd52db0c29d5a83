#!/usr/bin/env bash
# Checks deploy/nginx.conf end to end: two crossdock-server instances on one database
# behind nginx.
#   scripts/nginx-check.sh
# Needs the release server (scripts/build-server.sh). Installs nginx-light from Debian's
# packages when nginx is missing (on a machine with systemd, Debian then also starts its
# own nginx on port 80; this check does not use it). Runs inside scripts/with-postgres.sh
# (a throwaway PostgreSQL cluster); NGINX_CHECK_SQLITE=1 shares one SQLite file instead.
# Starts the two instances and nginx (as the user running this, with deploy/nginx.conf
# pointed at their free loopback ports) in a temporary folder, and checks through nginx:
# /healthz and the API answer; requests are spread over both instances; request ids pass
# both ways; hashed assets keep their year-long Cache-Control and answers stay compressed
# by the server; a seller signs in and the session works on either instance; a 16 MiB
# import body gets through and a larger one is refused by nginx; /metrics is refused;
# with one instance stopped, requests, /readyz and the session still work through the
# other. Prints one `SUMMARY: nginx: …` line; exits 1 with a message on the first failure.
# Stops everything it started and deletes its folder on exit, also when interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

fail() {
  echo "nginx-check: FAIL: $*" >&2
  exit 1
}

target="${CARGO_TARGET_DIR:-$HOME/.cache/crossdock/target}"
server="$target/release/crossdock-server"
[ -x "$server" ] || fail "$server is not built: run scripts/build-server.sh"

# --- nginx ---------------------------------------------------------------------------
find_nginx() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }
if ! nginx=$(find_nginx); then
  echo "Installing nginx-light from Debian's packages…" >&2
  if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q nginx-light >/dev/null \
    || { $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q nginx-light >/dev/null; }
  nginx=$(find_nginx) || fail "nginx is still missing after apt-get install nginx-light"
fi

# --- the database: re-run inside a throwaway PostgreSQL cluster ----------------------
if [ -z "${NGINX_CHECK_SQLITE:-}" ] && [ -z "${NGINX_CHECK_IN_PG:-}" ]; then
  export NGINX_CHECK_IN_PG=1 NGINX_CHECK_T0
  NGINX_CHECK_T0=$(date +%s%N)
  exec scripts/with-postgres.sh "$repo/scripts/nginx-check.sh" "$@"
fi

started_at=${NGINX_CHECK_T0:-$(date +%s%N)}
tmp=$(mktemp -d /tmp/crossdock-nginx.XXXXXX)
pids=()
nginx_pid=
# shellcheck source=scripts/lib/stop.sh
. scripts/lib/stop.sh
cleanup() {
  stop_processes "$nginx_pid" "${pids[@]}"
  rm -rf "$tmp"
}
trap 'exit 130' INT TERM

# On failure: what the instances and nginx said.
show_logs() {
  local f
  for f in "$tmp"/a.log "$tmp"/b.log "$tmp"/nginx/logs/error.log "$tmp"/nginx/logs/access.log; do
    [ -f "$f" ] || continue
    echo "--- ${f#"$tmp"/} (last 15 lines) ---" >&2
    tail -n 15 "$f" >&2
  done
}
on_exit() {
  local status=$?
  [ "$status" = 0 ] || show_logs
  cleanup
  exit "$status"
}
trap on_exit EXIT

db_args=()
if [ -n "${NGINX_CHECK_SQLITE:-}" ]; then
  db_args=(--db "$tmp/shared.sqlite")
  unset DATABASE_URL
  backend=sqlite
else
  [ -n "${CROSSDOCK_TEST_DATABASE_URL:-}" ] || fail "CROSSDOCK_TEST_DATABASE_URL is not set (scripts/with-postgres.sh sets it)"
  export DATABASE_URL="$CROSSDOCK_TEST_DATABASE_URL"
  backend=postgres
fi
dist=dist
[ -f dist/index.html ] || dist="$tmp/no-dist"

# Starts an instance on a free port (port 0: the server prints the one it got); sets $port.
start_instance() {
  local name=$1 log="$tmp/$1.log" url=
  "$server" --addr 127.0.0.1 --port 0 "${db_args[@]}" --dist "$dist" --trusted-proxies 127.0.0.1 \
    --network data/network.json >"$log" 2>&1 &
  pids+=($!)
  local pid=$!
  for _ in $(seq 1 600); do
    url=$(sed -n 's|^Crossdock is running at \(http://[^/ ]*\)/.*|\1|p' "$log" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || fail "instance $name did not start"
    sleep 0.1
  done
  [ -n "$url" ] || fail "instance $name printed no address within 60 s"
  port=${url##*:}
}
# One after the other: the first creates the schema and the demo catalog.
start_instance a
port_a=$port
start_instance b
port_b=$port
pid_b=${pids[1]}

port_n=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# deploy/nginx.conf with this run's ports: its instances 8081 and 8082 and its listen 8080.
mkdir -p "$tmp/nginx/logs" "$tmp/nginx/tmp"
# A root master's workers run as nobody: they must reach tmp/ for request bodies.
chmod 755 "$tmp" "$tmp/nginx" "$tmp/nginx/tmp"
conf="$tmp/nginx/nginx.conf"
sed -e "s/127\.0\.0\.1:8081 /127.0.0.1:$port_a /" \
    -e "s/127\.0\.0\.1:8082 /127.0.0.1:$port_b /" \
    -e "s/^\( *\)listen 8080;/\1listen 127.0.0.1:$port_n;/" \
    deploy/nginx.conf >"$conf"
for want in "server 127.0.0.1:$port_a " "server 127.0.0.1:$port_b " "listen 127.0.0.1:$port_n;"; do
  grep -qF "$want" "$conf" || fail "deploy/nginx.conf no longer has the line this check rewrites to '$want' (instances on 127.0.0.1:8081 and :8082, listen 8080)"
done
nginx_args=(-c "$conf" -p "$tmp/nginx/" -e "$tmp/nginx/logs/error.log")
"$nginx" -t -q "${nginx_args[@]}" 2>"$tmp/nginx-t.log" \
  || { cat "$tmp/nginx-t.log" >&2; fail "nginx -t refuses deploy/nginx.conf"; }
"$nginx" "${nginx_args[@]}" -g 'daemon off;' 2>>"$tmp/nginx/logs/error.log" &
nginx_pid=$!
base="http://127.0.0.1:$port_n"
for _ in $(seq 1 100); do
  curl -fsS --max-time 2 -o /dev/null "$base/healthz" 2>/dev/null && break
  kill -0 "$nginx_pid" 2>/dev/null || fail "nginx did not start"
  sleep 0.1
done

passed=()
pass() { passed+=("$1"); }

# GET through nginx: sets $code, $headers (file) and $body (file). Extra curl args follow.
req() {
  local path=$1
  shift
  code=$(curl -sS --max-time 10 -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$@" "$base$path") \
    || fail "curl $path through nginx failed"
  body="$tmp/body"
  headers="$tmp/headers"
}
header() { sed -n "s/^$1: *//Ip" "$headers" | tr -d '\r' | tail -n 1; }
# How many of an instance's request log lines carry this id.
seen_by() { grep -cF "{id=\"$2\" " "$tmp/$1.log" || true; }

# 1. Alive, and the API answers JSON.
req /healthz
[ "$code" = 200 ] || fail "/healthz through nginx answered $code"
req '/api/listings?market=US'
[ "$code" = 200 ] || fail "/api/listings?market=US through nginx answered $code"
header content-type | grep -qi 'application/json' || fail "/api/listings answered Content-Type $(header content-type)"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$body" \
  || fail "/api/listings?market=US through nginx is not JSON"
pass "healthz+listings"

# 2. Compressed once, by the server (nginx's gzip is off), and it still answers 304 to
# its strong ETag through nginx.
req /api/network -H 'Accept-Encoding: gzip'
[ "$code" = 200 ] || fail "/api/network answered $code"
[ "$(header content-encoding)" = gzip ] || fail "/api/network came back without Content-Encoding: gzip through nginx"
etag=$(header etag)
[ -n "$etag" ] || fail "/api/network has no ETag through nginx"
req /api/network -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag"
[ "$code" = 304 ] || fail "/api/network with its ETag answered $code through nginx, not 304"
pass "server-gzip+etag"

# 3. Hashed assets keep the server's year-long Cache-Control.
if [ -f dist/index.html ]; then
  asset=$(cd dist && find . -maxdepth 1 -name '*-[0-9a-f]*.js' | head -n 1)
  [ -n "$asset" ] || fail "dist/ has no hashed .js file to fetch"
  req "/${asset#./}"
  [ "$code" = 200 ] || fail "/${asset#./} answered $code through nginx"
  header cache-control | grep -q 'max-age=31536000, immutable' \
    || fail "/${asset#./} through nginx has Cache-Control '$(header cache-control)'"
  pass "immutable-assets"
fi

# 4. Request ids: the client's comes back and reaches an instance; without one, nginx's
# 32-hex $request_id does; an unusable one is replaced.
req /healthz -H 'X-Request-Id: nginx-check-given.1'
[ "$(header x-request-id)" = nginx-check-given.1 ] || fail "the client's x-request-id came back as '$(header x-request-id)'"
[ $(($(seen_by a nginx-check-given.1) + $(seen_by b nginx-check-given.1))) = 1 ] \
  || fail "the client's x-request-id is not in exactly one instance's log"
req /healthz
rid=$(header x-request-id)
[[ "$rid" =~ ^[0-9a-f]{32}$ ]] || fail "without an x-request-id the answer carries '$rid', not nginx's \$request_id"
[ $(($(seen_by a "$rid") + $(seen_by b "$rid"))) = 1 ] || fail "nginx's request id $rid is not in an instance's log"
req /healthz -H 'X-Request-Id: has spaces/and slashes'
[[ "$(header x-request-id)" =~ ^[0-9a-f]{32}$ ]] || fail "an unusable x-request-id came back as '$(header x-request-id)'"
pass "request-id"

# 5. Spread over both instances (round robin).
for i in $(seq 1 10); do
  req '/api/listings?market=US' -H "X-Request-Id: spread-$i"
  [ "$code" = 200 ] || fail "request $i of 10 answered $code"
done
on_a=0 on_b=0
for i in $(seq 1 10); do
  on_a=$((on_a + $(seen_by a "spread-$i")))
  on_b=$((on_b + $(seen_by b "spread-$i")))
done
{ [ "$on_a" -gt 0 ] && [ "$on_b" -gt 0 ] && [ $((on_a + on_b)) = 10 ]; } \
  || fail "10 requests went $on_a to instance a and $on_b to instance b"
pass "spread($on_a/$on_b)"

# 6. A seller signs in through nginx (with a browser's Origin, which the server compares
# with the Host nginx passes) and the session works on either instance.
jar="$tmp/cookies"
req /api/seller/session -c "$jar" -X POST -H 'Content-Type: application/json' \
  -H "Origin: $base" -H 'X-Request-Id: sign-in' \
  --data '{"login":"voltaic@demo.crossdock","password":"crossdock-demo-voltaic"}'
[ "$code" = 200 ] || fail "sign-in through nginx answered $code: $(head -c 300 "$body")"
grep -q crossdock_session "$jar" || fail "sign-in set no crossdock_session cookie"
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$body") \
  || fail "the sign-in answer has no csrf_token"
s_a=0 s_b=0
for i in $(seq 1 6); do
  req /api/seller/session -b "$jar" -H "X-Request-Id: session-$i"
  [ "$code" = 200 ] || fail "GET /api/seller/session $i after sign-in answered $code"
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["seller"]["id"] == "voltaic"' "$body" \
    || fail "GET /api/seller/session $i is not the voltaic seller: $(head -c 300 "$body")"
  s_a=$((s_a + $(seen_by a "session-$i")))
  s_b=$((s_b + $(seen_by b "session-$i")))
done
{ [ "$s_a" -gt 0 ] && [ "$s_b" -gt 0 ]; } || fail "the session requests went $s_a to a and $s_b to b, not to both"
pass "seller-session($s_a/$s_b)"

# 7. An import body just under 16 MiB reaches the server (which refuses it as not a CSV
# file: 422, nothing applied); 18 MiB is refused by nginx itself (413).
head -c $((16 * 1024 * 1024 - 1024)) /dev/zero | tr '\0' '\377' >"$tmp/big"
req '/api/seller/imports?check_only=true' -b "$jar" -X POST -H "x-csrf-token: $csrf" \
  -H 'Content-Type: text/csv' -H 'X-Request-Id: import-16m' --data-binary @"$tmp/big"
[ "$code" = 422 ] || fail "a 16 MiB import body through nginx answered $code (want the server's 422): $(head -c 300 "$body")"
head -c $((18 * 1024 * 1024)) /dev/zero >"$tmp/big"
req '/api/seller/imports?check_only=true' -b "$jar" -X POST -H "x-csrf-token: $csrf" \
  -H 'Content-Type: text/csv' -H 'X-Request-Id: import-18m' --data-binary @"$tmp/big"
[ "$code" = 413 ] || fail "an 18 MiB import body through nginx answered $code, not 413"
[ $(($(seen_by a import-18m) + $(seen_by b import-18m))) = 0 ] || fail "the 18 MiB body reached an instance"
rm -f "$tmp/big"
pass "body-limit(16M ok,18M 413)"

# 8. /metrics is refused through nginx, however it is spelled, but answers on an instance.
for path in /metrics '/metrics?x=1' //metrics /%6detrics; do
  req "$path"
  case $code in 403 | 404) ;; *) fail "$path through nginx answered $code, not 403/404" ;; esac
done
[ -n "$(header x-request-id)" ] || fail "nginx's own 403 carries no x-request-id"
code=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_a/metrics")
[ "$code" = 200 ] || fail "/metrics on instance a directly answered $code"
pass "metrics-refused"

# 9. Instance b stops: everything goes on through a.
kill -TERM "$pid_b"
for _ in $(seq 1 50); do kill -0 "$pid_b" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid_b" 2>/dev/null && fail "instance b did not stop on SIGTERM within 5 s"
for i in $(seq 1 10); do
  req '/api/listings?market=US' -H "X-Request-Id: failover-$i"
  [ "$code" = 200 ] || fail "with instance b stopped, request $i of 10 answered $code"
  [ "$(seen_by a "failover-$i")" = 1 ] || fail "with instance b stopped, request $i was not answered by a"
done
req /readyz
[ "$code" = 200 ] || fail "with instance b stopped, /readyz answered $code"
grep -q '"ready"' "$body" || fail "with instance b stopped, /readyz says $(head -c 200 "$body")"
req /api/seller/session -b "$jar"
[ "$code" = 200 ] || fail "with instance b stopped, the seller session answered $code"
# A write (sign out, with the CSRF token) goes to the live instance.
req /api/seller/session -b "$jar" -X DELETE -H "x-csrf-token: $csrf" -H "Origin: $base"
case $code in 200 | 204) ;; *) fail "signing out through nginx answered $code: $(head -c 300 "$body")" ;; esac
req /api/seller/session -b "$jar"
[ "$code" = 401 ] || fail "after signing out the session answered $code, not 401"
pass "failover(10/10 on a,readyz,session,sign-out)"

took=$((($(date +%s%N) - started_at) / 1000000))
echo "SUMMARY: nginx: $(IFS=' '; echo "${passed[*]}") — 2 instances on $backend behind nginx $("$nginx" -v 2>&1 | sed 's|.*/||'), ${took} ms"
