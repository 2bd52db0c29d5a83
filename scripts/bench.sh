#!/usr/bin/env bash
# Native benchmarks of the routing engine (crates/core/benches, criterion or divan).
# Prints the full output, then one SUMMARY line per benchmark with its typical time.
# Figures only: a benchmark never fails the run by being slow.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crossdock/target}"

shopt -s nullglob
benches=(crates/core/benches/*.rs)
if [ ${#benches[@]} -eq 0 ]; then
  echo "no benchmark in crates/core/benches yet"
  echo "SUMMARY: bench (native): none yet (crates/core/benches is empty)"
  exit 0
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
cargo bench -p crossdock-core --bench '*' 2>&1 | tee "$out"

# criterion:  "<name>   time:   [1.2 ms 1.3 ms 1.4 ms]" (the name may be on the line before)
# divan:      "╰─ name   1.2 ms │ 1.5 ms │ 1.3 ms │ 1.3 ms │ 100 │ 100" (fastest, slowest, median, mean)
awk '
  /time:[ \t]*\[/ {
    line = $0; name = line; sub(/[ \t]*time:.*/, "", name); gsub(/^[ \t]+|[ \t]+$/, "", name)
    if (name == "") name = prev
    v = line; sub(/.*\[/, "", v); sub(/\].*/, "", v); split(v, p, /[ \t]+/)
    printf "SUMMARY: bench (native): %s: %s %s (criterion median estimate)\n", name, p[3], p[4]
  }
  /│/ && /(ns|µs|us|ms| s) *│/ {
    n = split($0, cols, /│/)
    name = cols[1]; gsub(/[├╰─│┬ \t]+/, " ", name); sub(/ +[0-9.]+ *(ns|µs|us|ms|s) *$/, "", name)
    gsub(/^ +| +$/, "", name)
    median = cols[3]; gsub(/^[ \t]+|[ \t]+$/, "", median)
    if (name != "" && median != "") printf "SUMMARY: bench (native): %s: median %s (divan)\n", name, median
  }
  { if ($0 !~ /^[ \t]*$/) prev = $0; gsub(/^[ \t]+|[ \t]+$/, "", prev) }
' "$out"
