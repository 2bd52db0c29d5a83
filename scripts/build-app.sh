#!/usr/bin/env bash
# Builds the Leptos app into dist/ with `trunk build --release`, unless dist/ is already a
# release build newer than every source it comes from (then it says so and returns at once).
#   scripts/build-app.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crossdock/target}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

stamp=dist/.crossdock-release-build
sources=()
for s in src style public index.html Trunk.toml Cargo.toml Cargo.lock crates/core package-lock.json; do
  [ -e "$s" ] && sources+=("$s")
done
if [ "${1:-}" != --force ] && [ -f dist/index.html ] && [ -f "$stamp" ] \
  && [ -z "$(find "${sources[@]}" -newer "$stamp" -print -quit)" ]; then
  echo "The app is up to date (dist/)."
  exit 0
fi

# trunk --offline also builds cargo offline: download the crates first (quick when cached).
cargo fetch --quiet
echo "Building the app (first build ~3-5 min)…"
started=$SECONDS
RUST_LIB_BACKTRACE=0 trunk build --release --offline
touch "$stamp"
echo "Built the app into dist/ in $((SECONDS - started)) s."
