#!/usr/bin/env bash
# Promise accuracy, the full run: two years of simulated delivery history over every
# market (seed 1, orders from 2026-05-01), calibrated on the first 18 months into a
# temporary copy of data/network.json, and evaluated on the last 6 (November to April:
# peak weeks and a Spring Festival). Writes docs/promise/{report.md,reliability.svg,
# on-time-by-month.svg} and prints the SUMMARY lines `make test` collects.
#
#   scripts/promise-report.sh                  the report (about 20 s once built)
#   scripts/promise-report.sh --write-network  also write the calibration into
#                                              data/network.json (how the shipped
#                                              network was made)
# SEED=2 scripts/promise-report.sh tries another history.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crossdock/target}"

write_network=false
case "${1:-}" in
  "") ;;
  --write-network) write_network=true ;;
  *) echo "usage: scripts/promise-report.sh [--write-network]" >&2; exit 2 ;;
esac
seed="${SEED:-1}"
started=$SECONDS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "▶ building crossdock-history (release; a minute or two the first time) …"
cargo build --release -q -p crossdock-history
bin="$CARGO_TARGET_DIR/release/crossdock-history"

echo "▶ generating two years of history (seed $seed) …"
"$bin" generate --seed "$seed" --from 2026-05-01 --months 24 --out "$tmp/history.csv"
shipments=$(($(wc -l <"$tmp/history.csv") - 1))

echo "▶ calibrating on the first 18 months …"
"$bin" calibrate --history "$tmp/history.csv" --network data/network.json \
  --out "$tmp/network.json" >"$tmp/calibration.txt"
head -n 3 "$tmp/calibration.txt"

echo "▶ evaluating on the last 6 months …"
"$bin" evaluate --history "$tmp/history.csv" --network "$tmp/network.json" \
  --report-dir docs/promise

if $write_network; then
  cp "$tmp/network.json" data/network.json
  shipped="wrote this calibration into data/network.json"
elif cmp -s data/network.json "$tmp/network.json"; then
  shipped="data/network.json is this calibration"
else
  shipped="data/network.json differs from this calibration (scripts/promise-report.sh --write-network updates it)"
fi
echo "SUMMARY: promise report: seed $seed, $shipments shipments, $((SECONDS - started)) s; $shipped; charts in docs/promise/"
