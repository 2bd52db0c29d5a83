#!/usr/bin/env bash
# Builds crates/server in release mode.
#
# The workspace's release profile is tuned for the wasm app (opt-level "z", fat LTO, one
# codegen unit, panic = "abort"). For the native server that means slow links and a
# panicking request taking the whole process down, so this build overrides those four
# settings for the server only (the wasm build through trunk keeps the profile as it is).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crossdock/target}"
if [ ! -x "$CARGO_TARGET_DIR/release/crossdock-server" ]; then
  echo "Building the server (first build ~2-4 min)…"
fi
exec cargo build --release -p crossdock-server \
  --config 'profile.release.opt-level=3' \
  --config 'profile.release.lto=false' \
  --config 'profile.release.codegen-units=16' \
  --config 'profile.release.panic="unwind"'
