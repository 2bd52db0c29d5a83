#!/usr/bin/env bash
# Lighthouse (mobile profile) on the storefront's home and a listing page, three runs each
# judged by the median, against a
# running server: prints `SUMMARY: ` lines and fails below the budgets.
#   scripts/with-server.sh scripts/lighthouse.sh
#   E2E_BASE_URL=http://127.0.0.1:8080 scripts/lighthouse.sh
# Budgets: LIGHTHOUSE_MIN_PERFORMANCE (90) and LIGHTHOUSE_MIN_ACCESSIBILITY (95).
# Reports (JSON) go to .test-output/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
base="${E2E_BASE_URL:?set E2E_BASE_URL (scripts/with-server.sh does)}"
base="${base%/}"
min_perf=${LIGHTHOUSE_MIN_PERFORMANCE:-90}
min_a11y=${LIGHTHOUSE_MIN_ACCESSIBILITY:-95}
out=.test-output/lighthouse
mkdir -p "$out"
lighthouse=node_modules/.bin/lighthouse
if [ ! -x "$lighthouse" ]; then
  echo "error: $lighthouse is missing: run npm ci (lighthouse@12.2.3 is a devDependency)" >&2
  exit 1
fi

# A listing that is in stock: the first of the first page.
id=$(curl -fsS "$base/api/listings?market=US&per_page=5" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);const i=j.items.find(x=>x.availability!=="sold_out")??j.items[0];console.log(i.id)})')

# One Lighthouse run of $1 ($2 the path) into $3; a run where the tool fails to record the
# trace of a load (NO_NAVSTART and kin) is the tool, not the page: it is tried again, up to
# three times.
run_once() {
  local name=$1 path=$2 report=$3 attempt profile
  for attempt in 1 2 3; do
    profile=$(mktemp -d)
    if "$lighthouse" "$base$path" --quiet --output=json --output-path="$report" \
      --only-categories=performance,accessibility \
      --chrome-path=/usr/bin/chromium \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=$profile"; then
      rm -rf "$profile"
      return 0
    fi
    rm -rf "$profile"
    echo "lighthouse run $attempt on $path failed; trying again" >&2
  done
  return 1
}

# Scores vary from run to run on a shared machine: each page is measured three times and
# judged by the run with the median performance score (Lighthouse's own advice).
runs=${LIGHTHOUSE_RUNS:-3}
status=0
for page in "home:/" "listing:/listing/$id"; do
  name=${page%%:*}
  path=${page#*:}
  scored=()
  for run in $(seq 1 "$runs"); do
    report="$out/$name-$run.json"
    if run_once "$name" "$path" "$report"; then
      scored+=("$(node -e 'console.log(Math.round(require(process.argv[1]).categories.performance.score * 100))' "$PWD/$report") $report")
    fi
  done
  if [ ${#scored[@]} -eq 0 ]; then
    echo "error: lighthouse failed on $path every time" >&2
    status=1
    continue
  fi
  all=$(printf '%s\n' "${scored[@]}" | sort -n | awk '{print $1}' | paste -sd, -)
  median=$(printf '%s\n' "${scored[@]}" | sort -n | awk '{a[NR]=$2} END {print a[int((NR + 1) / 2)]}')
  cp "$median" "$out/$name.json"
  read -r perf a11y lcp cls tbt < <(node -e '
    const r = require(process.argv[1]);
    const a = r.audits;
    console.log(Math.round(r.categories.performance.score * 100), Math.round(r.categories.accessibility.score * 100),
      Math.round(a["largest-contentful-paint"].numericValue), a["cumulative-layout-shift"].numericValue.toFixed(3),
      Math.round(a["total-blocking-time"].numericValue));
  ' "$PWD/$out/$name.json")
  echo "SUMMARY: lighthouse $name ($path, mobile, median of ${#scored[@]} runs: $all): performance $perf, accessibility $a11y, LCP ${lcp} ms, CLS $cls, TBT ${tbt} ms (budget: performance >= $min_perf, accessibility >= $min_a11y)"
  if [ "$perf" -lt "$min_perf" ] || [ "$a11y" -lt "$min_a11y" ]; then
    echo "error: lighthouse $name is below budget" >&2
    status=1
  fi
done
exit "$status"
