#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for FUZZ_SECS seconds each (default 30), one after
# the other, and prints one `SUMMARY: fuzz …` line per target. Exits non-zero on a crash,
# naming the crashing input and the command that reproduces it.
#
#   scripts/fuzz.sh                      # every target, 30 s each
#   FUZZ_SECS=600 scripts/fuzz.sh csv_import   # one target, longer, by hand
#
# Environment:
#   FUZZ_SECS        seconds per target (default 30)
#   FUZZ_TARGET_DIR  cargo target dir of the fuzz build (default fuzz/target; point it
#                    outside the clone, e.g. ~/.cache/crossdock/fuzz-target, to reuse the
#                    build across clones on one machine)
#
# Each run adds the new inputs it finds to fuzz/corpus/<target>/ (network_file: to the
# target dir, see grown_dir): commit them when they are worth keeping (inputs are capped
# by -max_len below; keep fuzz/corpus under ~2 MB). To
# shrink a corpus by hand, keeping only inputs that add coverage:
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz cmin --sanitizer none TARGET
# A crash is a bug: copy its input to fuzz/regressions/<target>/ (replayed by
# crates/server/tests/fuzz_regressions.rs on every `cargo test`) and fix the code.
#
# Why `--sanitizer none`: the code under test has no `unsafe` (the crates forbid it), so
# AddressSanitizer has nothing to find that a Rust panic would not already report, and
# without it the build is much faster and every run executes several times more inputs.
#
# Why RUSTC_BOOTSTRAP=1: cargo-fuzz passes -Z flags, and the toolchain is stable.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"

FUZZ_SECS="${FUZZ_SECS:-30}"
TARGET_DIR="${FUZZ_TARGET_DIR:-$ROOT/fuzz/target}"
export RUSTC_BOOTSTRAP=1
# The fuzz crate is its own workspace with its own target dir: never share the main one.
unset CARGO_TARGET_DIR

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "error: cargo-fuzz is missing: scripts/install-tools.sh --browser installs it" >&2
    exit 1
fi

FUZZ=(cargo fuzz)
OPTS=(--sanitizer none --target-dir "$TARGET_DIR")

# Longest input per target: the network file is ~170 KB; CSV files are capped at 64 KiB;
# request bodies and postal codes are small.
max_len() {
    case "$1" in
        network_file) echo 262144 ;;
        csv_import) echo 65536 ;;
        json_bodies) echo 16384 ;;
        postal_code) echo 256 ;;
        *) echo 4096 ;;
    esac
}

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <("${FUZZ[@]}" list)
fi

start=$(date +%s)
"${FUZZ[@]}" build "${OPTS[@]}"
echo "fuzz: built ${#targets[@]} targets in $(($(date +%s) - start)) s" >&2

status=0
# Where a run writes the inputs it finds: the committed corpus, except for the network
# file, whose every new input is a ~170 KB variant of the file (23 MB after 30 s): those
# stay in the target dir, and corpus/network_file/ holds only the hand-made seeds.
grown_dir() {
    case "$1" in
        network_file) echo "$TARGET_DIR/corpus-grown/$1" ;;
        *) echo "corpus/$1" ;;
    esac
}

for t in "${targets[@]}"; do
    grown="$(grown_dir "$t")"
    mkdir -p "corpus/$t" "$grown" "artifacts/$t"
    corpora=("$grown")
    [ "$grown" = "corpus/$t" ] || corpora+=("corpus/$t")
    log="$(mktemp)"
    t0=$(date +%s)
    set +e
    "${FUZZ[@]}" run "${OPTS[@]}" "$t" "${corpora[@]}" -- \
        -max_total_time="$FUZZ_SECS" -max_len="$(max_len "$t")" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    secs=$(($(date +%s) - t0))
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n1)
    runs=$(printf "%'d" "${runs:-0}" 2>/dev/null || echo "${runs:-0}")
    inputs=$(find "${corpora[@]}" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then
        echo "SUMMARY: fuzz $t: $runs runs in $secs s, no crash, corpus $inputs inputs"
    else
        status=1
        crash=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -n1 | sed 's/Test unit written to //')
        tail -n 40 "$log" >&2
        echo "SUMMARY: fuzz $t: CRASH after $runs runs in $secs s: input ${crash:-(see log above)}"
        echo "  reproduce: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none $t ${crash:-artifacts/$t/crash-…}"
        echo "  then copy it to fuzz/regressions/$t/ and fix the code (fuzz/regressions/README.md)"
    fi
    rm -f "$log"
done
exit "$status"
