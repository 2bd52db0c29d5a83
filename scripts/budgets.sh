#!/usr/bin/env bash
# Sizes of the built app (dist/) and the first-load budget.
#   scripts/budgets.sh            # fails when a storefront page's first load exceeds the budget
#   BUDGET_FIRST_LOAD_GZIP_KB=400 scripts/budgets.sh
# Every page is its own document with its own wasm (src/app.rs). A page's first load is what
# a shopper's browser downloads before it runs: its HTML, its JS glue, its wasm and the CSS,
# each gzip -9 (the server also offers brotli, which is smaller). 1 KB = 1000 bytes here.
# The budget applies to each storefront page — home (dist/), listing (dist/pages/listing/)
# and cart (dist/pages/cart/); the delivery explorer (dist/explore/) and the seller panel
# (dist/pages/seller/) are printed on lines of their own, outside the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
budget_kb=${BUDGET_FIRST_LOAD_GZIP_KB:-200}
limit=$((budget_kb * 1000))

shopt -s nullglob
raw() { cat "$@" | wc -c; }
gz() {
  local total=0 f
  for f in "$@"; do total=$((total + $(gzip -9 -c "$f" | wc -c))); done
  echo "$total"
}
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }

# page <name> <dir>: prints the page's line and sets page_total / page_wasm_gz.
page() {
  local name=$1 dir=$2
  local wasm=("$dir"/*_bg.wasm) js=() css=() f href
  # The stylesheets the page links (main.css is shared: it lives in dist/).
  for href in $(grep -o 'rel="stylesheet" href="[^"]*"' "$dir/index.html" | sed 's/.*href="\(.*\)"/\1/'); do
    css+=("dist$href")
  done
  for f in "$dir"/*.js; do
    case "$f" in *_bg.js | *snippets*) ;; *) js+=("$f") ;; esac
  done
  if [ ! -f "$dir/index.html" ] || [ ${#wasm[@]} -eq 0 ] || [ ${#js[@]} -eq 0 ]; then
    echo "error: no built $name page in $dir/ (index.html, *_bg.wasm, *.js): run scripts/build-app.sh" >&2
    exit 1
  fi
  local wasm_gz js_gz css_gz=0 html_gz
  wasm_gz=$(gz "${wasm[@]}")
  js_gz=$(gz "${js[@]}")
  [ ${#css[@]} -gt 0 ] && css_gz=$(gz "${css[@]}")
  html_gz=$(gz "$dir/index.html")
  page_wasm_raw=$(raw "${wasm[@]}")
  page_wasm_gz=$wasm_gz
  page_total=$((wasm_gz + js_gz + css_gz + html_gz))
  printf '%-10s %14s %14s %10s %10s %8s %12s\n' "$name" "$(kb "$page_wasm_raw")" "$(kb "$wasm_gz")" \
    "$(kb "$js_gz")" "$(kb "$css_gz")" "$(kb "$html_gz")" "$(kb "$page_total")"
}

printf '%-10s %14s %14s %10s %10s %8s %12s\n' page "wasm raw" "wasm gzip" "JS gzip" "CSS gzip" HTML "first load"
summary=""
over=()
for spec in home:dist listing:dist/pages/listing cart:dist/pages/cart; do
  name=${spec%%:*}
  page "$name" "${spec#*:}"
  summary+="${summary:+ · }$name $(kb "$page_total") (wasm $(kb "$page_wasm_gz"))"
  [ "$page_total" -gt "$limit" ] && over+=("$name $(kb "$page_total")")
done
explorer=""
if [ -f dist/explore/index.html ]; then
  page explorer dist/explore
  explorer=" · explorer (/explore, not in the budget) $(kb "$page_total")"
fi
seller=""
if [ -f dist/pages/seller/index.html ]; then
  page seller dist/pages/seller
  seller=" · seller panel (/seller, not in the budget) $(kb "$page_total")"
fi
# The partner embed (/embed/...): its own line, outside the storefront budget (it needs no
# header and no cart, so it should stay well under it).
embed=""
if [ -f dist/pages/embed/index.html ]; then
  page embed dist/pages/embed
  embed=" · embed (/embed/..., not in the budget) $(kb "$page_total")"
fi
echo "(first load = HTML + JS glue + wasm + CSS, gzip -9; budget $budget_kb KB per storefront page)"
# public/embed.js runs on partners' pages: at most 5 KB gzip (BUDGET_EMBED_JS_GZIP_BYTES).
embed_js_limit=${BUDGET_EMBED_JS_GZIP_BYTES:-5000}
embed_js_gz=$(gz public/embed.js)
echo "embed.js (partner script, public/embed.js): $(kb "$(raw public/embed.js)") raw, $(kb "$embed_js_gz") gzip (budget $(kb "$embed_js_limit"))"
echo "SUMMARY: size: embed.js $(kb "$embed_js_gz") gzip (budget $(kb "$embed_js_limit"))$embed"
if [ "$embed_js_gz" -gt "$embed_js_limit" ]; then
  echo "error: public/embed.js is $(kb "$embed_js_gz") gzip, over its $(kb "$embed_js_limit") budget" >&2
  exit 1
fi

echo "SUMMARY: size: first load gzip per page: $summary (budget $budget_kb KB)$explorer$seller"
if [ ${#over[@]} -gt 0 ]; then
  echo "error: over the $budget_kb KB first-load budget: ${over[*]}" >&2
  exit 1
fi
