#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for FUZZ_SECS seconds each (default 30), one after
# the other, and prints one `SUMMARY: fuzz …` line for the build and one per target (runs,
# corpus size, crashes). Exits non-zero on a crash, having saved the crashing input to
# fuzz/regressions/<target>/ and printed the command that reproduces it.
#
#   scripts/fuzz.sh                      # every target, 30 s each
#   FUZZ_SECS=600 scripts/fuzz.sh csv_import   # one target, longer, by hand
#
# Environment:
#   FUZZ_SECS        seconds per target (default 30)
#   FUZZ_JOBS        targets fuzzed at once (default 1), each on its own core: make test
#                    runs 2 on this 2-core machine, so every target still gets its full
#                    time and the step takes half as long
#   FUZZ_BUDGET      seconds for the whole run, build included (unset: no budget): each
#                    target then gets what the build left, shared out, between 15 s and
#                    FUZZ_SECS (make test: 330 s, up to 60 s each, so a cold build on 2 cores
#                    leaves ~25 s each and a reused one a minute each)
#   FUZZ_TARGET_DIR  cargo target dir of the fuzz build (default
#                    ~/.cache/crossdock/fuzz-target: outside the clone, so later runs and
#                    clones on this machine reuse the build; a new machine starts it empty)
#   FUZZ_CORPUS_READONLY=1  leave fuzz/corpus/ as committed: new inputs go to
#                    FUZZ_TARGET_DIR/corpus-grown/<target>/ (make test sets it, so a run
#                    leaves the clone clean and the next run on this machine starts from them)
#
# Otherwise each run adds the new inputs it finds to fuzz/corpus/<target>/ (network_file:
# to the target dir, see grown_dir): commit them when they are worth keeping (inputs are
# capped by -max_len below; keep fuzz/corpus under ~2 MB). To
# shrink a corpus by hand, keeping only inputs that add coverage:
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz cmin --sanitizer none TARGET
# A crash is a bug: its input is copied to fuzz/regressions/<target>/ (replayed by
# crates/server/tests/fuzz_regressions.rs on every `cargo test`, so that fails until the
# code is fixed); give it a name that says what broke and commit it with the fix.
#
# Why `--sanitizer none`: the code under test has no `unsafe` (the crates forbid it), so
# AddressSanitizer has nothing to find that a Rust panic would not already report, and
# without it the build is much faster and every run executes several times more inputs.
#
# The build: optimised at opt-level 1 (fuzz/Cargo.toml) in 16 codegen units, with debug
# assertions and overflow checks (cargo-fuzz's default). Measured cold on 2 cores, in CPU
# seconds and in inputs per second run: cargo-fuzz's own default (opt-level 3, 1 codegen
# unit) took 8.5 min; opt-level 3 in 16 units 470 CPU s; opt-level 1 in 16 units 380 CPU s
# and runs 82-100 % as fast; `--dev` 215 CPU s, but runs ~14 times slower.
#
# Why RUSTC_BOOTSTRAP=1: cargo-fuzz passes -Z flags, and the toolchain is stable.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"

FUZZ_SECS="${FUZZ_SECS:-30}"
FUZZ_JOBS="${FUZZ_JOBS:-1}"
TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/crossdock/fuzz-target}"
export RUSTC_BOOTSTRAP=1
# The fuzz crate is its own workspace with its own target dir: never share the main one.
unset CARGO_TARGET_DIR

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "error: cargo-fuzz is missing: scripts/install-tools.sh --browser installs it" >&2
    exit 1
fi

FUZZ=(cargo fuzz)
OPTS=(--sanitizer none --codegen-units 16 --target-dir "$TARGET_DIR")

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
fresh=cold
[ -d "$TARGET_DIR/x86_64-unknown-linux-gnu" ] && fresh=incremental
"${FUZZ[@]}" build "${OPTS[@]}"
built=$(($(date +%s) - start))
echo "SUMMARY: fuzz build: ${#targets[@]} targets in $built s ($fresh, opt-level 1, debug assertions)"
if [ -n "${FUZZ_BUDGET:-}" ]; then
    # Each run also spends a few seconds starting and loading its corpus.
    rounds=$(((${#targets[@]} + FUZZ_JOBS - 1) / FUZZ_JOBS))
    share=$(((FUZZ_BUDGET - built) / rounds - 4))
    [ "$share" -lt "$FUZZ_SECS" ] && FUZZ_SECS=$share
    [ "$FUZZ_SECS" -lt 15 ] && FUZZ_SECS=15
    echo "fuzz: $FUZZ_SECS s per target (budget $FUZZ_BUDGET s, build $built s)" >&2
fi

status=0
# Where a run writes the inputs it finds: the committed corpus, except for the network
# file, whose every new input is a ~170 KB variant of the file (23 MB after 30 s): those
# stay in the target dir, and corpus/network_file/ holds only the hand-made seeds. With
# FUZZ_CORPUS_READONLY=1, every target's new inputs stay in the target dir.
grown_dir() {
    case "${FUZZ_CORPUS_READONLY:-0}:$1" in
        1:* | *:network_file) echo "$TARGET_DIR/corpus-grown/$1" ;;
        *) echo "corpus/$1" ;;
    esac
}

# Fuzzes target $1 and prints its SUMMARY (and, on a crash, how to reproduce it); fails
# on a crash.
fuzz_target() {
    local t=$1 grown log t0 rc secs runs inputs crash saved
    local -a corpora
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
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n1 || true)
    runs=$(printf "%'d" "${runs:-0}" 2>/dev/null || echo "${runs:-0}")
    inputs=$(find "${corpora[@]}" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then
        echo "SUMMARY: fuzz $t: $runs runs in $secs s, corpus $inputs inputs, 0 crashes"
    else
        crash=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -n1 | sed 's/Test unit written to //' || true)
        tail -n 40 "$log" >&2
        saved=
        if [ -n "$crash" ] && [ -f "$crash" ]; then
            mkdir -p "regressions/$t"
            saved="regressions/$t/$(basename "$crash")"
            cp "$crash" "$saved"
        fi
        echo "SUMMARY: fuzz $t: 1 crash after $runs runs in $secs s, input saved as ${saved:+fuzz/$saved}${saved:-(none written, see the log above)}"
        if [ -n "$saved" ]; then
            # A fresh clone (CI) is thrown away: the log keeps a small input whole.
            if [ "$(wc -c <"$saved")" -le 4096 ]; then
                echo "  the input, base64: $(base64 -w0 "$saved")"
            fi
            echo "  reproduce: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run ${OPTS[*]} $t $saved"
        fi
        echo "  cargo test now replays it (crates/server/tests/fuzz_regressions.rs): fix the code,"
        echo "  rename the input after what broke and commit both (fuzz/regressions/README.md)"
    fi
    rm -f "$log"
    return "$rc"
}

# FUZZ_JOBS targets at a time; each one's lines are printed whole, in target order.
outputs="$(mktemp -d)"
trap 'rm -rf "$outputs"' EXIT
pids=()
for i in "${!targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$FUZZ_JOBS" ]; do
        wait -n || true
    done
    fuzz_target "${targets[$i]}" >"$outputs/$i" 2>&1 &
    pids[i]=$!
done
for i in "${!targets[@]}"; do
    wait "${pids[$i]}" || status=1
    cat "$outputs/$i"
done
exit "$status"
