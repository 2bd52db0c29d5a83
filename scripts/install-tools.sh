#!/usr/bin/env bash
# Installs what building and testing Crossdock needs, skipping whatever is already there
# at the right version. Safe to run again and again: the second run takes a second or two.
#
#   scripts/install-tools.sh            # for make run: wasm32 target, trunk, wasm-bindgen, npm tools
#   scripts/install-tools.sh --browser  # also Chromium + chromedriver, wrk, nginx, cargo-fuzz (for make test)
#
# Versions: Trunk 0.21.14 (0.22 needs a newer rustc); the wasm-bindgen CLI must equal the
# wasm-bindgen crate in Cargo.lock; binaryen (wasm-opt) and playwright-core are pinned in
# package.json / package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
CARGO_FUZZ_VERSION=0.13.2
with_browser=false
for arg in "$@"; do
  case "$arg" in
    --browser) with_browser=true ;;
    *) echo "usage: $0 [--browser]" >&2; exit 2 ;;
  esac
done

export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
say() { printf '%s\n' "$*"; }
# `cargo install` builds in a temporary folder, not the project's target dir.
cargo_install() { env -u CARGO_TARGET_DIR cargo install "$@"; }

# 1. The wasm32 target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "Adding the Rust target wasm32-unknown-unknown (seconds)…"
  rustup target add wasm32-unknown-unknown
fi

# 2. Trunk.
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "Installing Trunk $TRUNK_VERSION (first time only, ~12 min on 2 cores)…"
  cargo_install trunk --version "$TRUNK_VERSION" --locked
fi

# 3. npm tools: wasm-opt (binaryen) for trunk, playwright-core for the browser tests.
stamp=node_modules/.crossdock-installed
want=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] \
  || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  say "Installing npm tools: binaryen (wasm-opt), playwright-core (seconds)…"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
  echo "$want" >"$stamp"
fi

# 4. The wasm-bindgen CLI, at the version of the wasm-bindgen crate in Cargo.lock.
if [ ! -f Cargo.lock ]; then
  say "Resolving dependencies (Cargo.lock)…"
  cargo generate-lockfile
fi
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wbg_version" ]; then
  say "error: Cargo.lock names no wasm-bindgen crate: is the app (leptos) a dependency of the root package?" >&2
  exit 1
fi
trunk_wbg=$(sed -n 's/^wasm_bindgen *= *"\([^"]*\)".*/\1/p' Trunk.toml)
if [ "$trunk_wbg" != "$wbg_version" ]; then
  say "error: Trunk.toml pins wasm_bindgen = \"$trunk_wbg\" but Cargo.lock has wasm-bindgen $wbg_version." >&2
  say "       Set wasm_bindgen = \"$wbg_version\" in Trunk.toml (trunk would try to download it otherwise)." >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wbg_version" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "Installing wasm-bindgen-cli $wbg_version (first time only, ~4-7 min on 2 cores)…"
  # No --locked: its lock file names a crate version the registry does not serve.
  cargo_install wasm-bindgen-cli --version "$wbg_version" --force
fi

# 5. For make test only: from Debian, Chromium and its driver (browser tests), wrk (the
#    load bench) and nginx-light (deploy/nginx.conf's check); cargo-fuzz (the fuzz step).
if $with_browser; then
  debs=()
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    debs+=(chromium chromium-driver)
  fi
  command -v wrk >/dev/null || debs+=(wrk)
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || debs+=(nginx-light)
  if [ ${#debs[@]} -gt 0 ]; then
    say "Installing ${debs[*]} from Debian (~1 min)…"
    sudo_cmd=()
    if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${debs[@]}" >/dev/null
  fi
  # 0.13.2 builds with --locked on Rust 1.95 stable; scripts/fuzz.sh runs it with
  # RUSTC_BOOTSTRAP=1 (it passes -Z flags).
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "Installing cargo-fuzz $CARGO_FUZZ_VERSION (first time only, ~1-2 min on 2 cores)…"
    cargo_install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
fi
