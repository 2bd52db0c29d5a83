#!/usr/bin/env bash
# Builds the Leptos apps with `trunk build --release`, one per page, each with its own wasm
# (src/app.rs): the storefront's home (index.html) into dist/, the listing page
# (listing.html) into dist/pages/listing/, the cart (cart.html) into dist/pages/cart/, the
# seller panel (seller.html) into dist/pages/seller/ and the delivery explorer
# (explore.html) into dist/explore/ — unless dist/ is already a
# release build newer than every source it comes from (then it says so and returns at once).
#   scripts/build-app.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crossdock/target}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

stamp=dist/.crossdock-release-build
sources=()
for s in src style public index.html listing.html cart.html seller.html explore.html Trunk.toml Cargo.toml Cargo.lock crates/core package-lock.json; do
  [ -e "$s" ] && sources+=("$s")
done
# The partner embed (embed.html) into dist/pages/embed/.
[ -e embed.html ] && sources+=(embed.html)
if [ "${1:-}" != --force ] && [ -f dist/index.html ] && [ -f dist/explore/index.html ] \
  && [ -f dist/pages/listing/index.html ] && [ -f dist/pages/cart/index.html ] \
  && [ -f dist/pages/seller/index.html ] && [ -f "$stamp" ] \
  && [ -f dist/pages/embed/index.html ] \
  && [ -z "$(find "${sources[@]}" -newer "$stamp" -print -quit)" ]; then
  echo "The app is up to date (dist/)."
  exit 0
fi

# trunk --offline also builds cargo offline: download the crates first (quick when cached).
cargo fetch --quiet
echo "Building the app (first build ~3-5 min)…"
started=$SECONDS
# The home page first: Trunk empties its dist folder, here dist/ (the other pages included).
RUST_LIB_BACKTRACE=0 trunk build index.html --release --offline
RUST_LIB_BACKTRACE=0 trunk build listing.html --release --offline \
  --dist dist/pages/listing --public-url /pages/listing/
RUST_LIB_BACKTRACE=0 trunk build cart.html --release --offline \
  --dist dist/pages/cart --public-url /pages/cart/
RUST_LIB_BACKTRACE=0 trunk build seller.html --release --offline \
  --dist dist/pages/seller --public-url /pages/seller/
RUST_LIB_BACKTRACE=0 trunk build embed.html --release --offline \
  --dist dist/pages/embed --public-url /pages/embed/
RUST_LIB_BACKTRACE=0 trunk build explore.html --release --offline \
  --dist dist/explore --public-url /explore/
# Every page links the same main.css (Trunk names it by its content): point each page at
# the home page's copy, so a shopper moving between pages downloads and caches it once.
shared_css=$(cd dist && ls main-*.css)
for page_dir in dist/pages/* dist/explore; do
  if [ -f "$page_dir/$shared_css" ]; then
    sed -i "s#href=\"/${page_dir#dist/}/$shared_css\"#href=\"/$shared_css\"#" "$page_dir/index.html"
    rm "$page_dir/$shared_css"
  fi
done
touch "$stamp"
echo "Built the app into dist/ (pages: dist/pages/listing/, dist/pages/cart/, dist/pages/seller/, dist/explore/) in $((SECONDS - started)) s."
