#!/usr/bin/env bash
# Sizes of the built app (dist/) and the first-load budget.
#   scripts/budgets.sh            # fails when the first load exceeds the budget
#   BUDGET_FIRST_LOAD_GZIP_KB=400 scripts/budgets.sh
# First load = what a shopper's browser downloads before the app runs: index.html, the JS
# glue, the wasm and the CSS, each gzip -9 (the server also offers brotli, which is smaller).
# 1 KB = 1000 bytes here. The budget is the storefront's (dist/: every page but /explore);
# the delivery explorer (/explore) is its own page with its own wasm (dist/explore/): its
# first load is printed on a line of its own, outside the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
budget_kb=${BUDGET_FIRST_LOAD_GZIP_KB:-500}

shopt -s nullglob
wasm=(dist/*_bg.wasm)
js=()
for f in dist/*.js; do
  case "$f" in *_bg.js | *snippets*) ;; *) js+=("$f") ;; esac
done
css=(dist/*.css)
if [ ! -f dist/index.html ] || [ ${#wasm[@]} -eq 0 ] || [ ${#js[@]} -eq 0 ]; then
  echo "error: no built app in dist/ (index.html, *_bg.wasm, *.js): run scripts/build-app.sh" >&2
  exit 1
fi

raw() { cat "$@" | wc -c; }
gz() {
  local total=0 f
  for f in "$@"; do total=$((total + $(gzip -9 -c "$f" | wc -c))); done
  echo "$total"
}
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }

wasm_raw=$(raw "${wasm[@]}")
wasm_gz=$(gz "${wasm[@]}")
js_raw=$(raw "${js[@]}")
js_gz=$(gz "${js[@]}")
css_gz=0
css_raw=0
if [ ${#css[@]} -gt 0 ]; then
  css_raw=$(raw "${css[@]}")
  css_gz=$(gz "${css[@]}")
fi
html_gz=$(gz dist/index.html)
total=$((wasm_gz + js_gz + css_gz + html_gz))
limit=$((budget_kb * 1000))

printf '%-12s %12s %12s\n' "" raw gzip
printf '%-12s %12s %12s\n' wasm "$(kb "$wasm_raw")" "$(kb "$wasm_gz")"
printf '%-12s %12s %12s\n' "JS glue" "$(kb "$js_raw")" "$(kb "$js_gz")"
printf '%-12s %12s %12s\n' CSS "$(kb "$css_raw")" "$(kb "$css_gz")"
printf '%-12s %12s %12s\n' index.html "$(kb "$(raw dist/index.html)")" "$(kb "$html_gz")"
printf '%-12s %12s %12s   (budget %s KB)\n' "first load" "" "$(kb "$total")" "$budget_kb"

# The delivery explorer's page, when built: the same parts, from dist/explore/.
explorer_line=""
ewasm=(dist/explore/*_bg.wasm)
if [ -f dist/explore/index.html ] && [ ${#ewasm[@]} -gt 0 ]; then
  ejs=()
  for f in dist/explore/*.js; do
    case "$f" in *_bg.js | *snippets*) ;; *) ejs+=("$f") ;; esac
  done
  ecss=(dist/explore/*.css)
  ewasm_gz=$(gz "${ewasm[@]}")
  etotal=$((ewasm_gz + $(gz "${ejs[@]}" "${ecss[@]}" dist/explore/index.html)))
  printf '%-12s %12s %12s   (wasm %s gzip; not in the budget)\n' "explorer" "" "$(kb "$etotal")" "$(kb "$ewasm_gz")"
  explorer_line=" · explorer (/explore) first load $(kb "$etotal") gzip"
fi

echo "SUMMARY: size: wasm $(kb "$wasm_raw") raw, $(kb "$wasm_gz") gzip · JS glue $(kb "$js_gz") gzip · CSS $(kb "$css_gz") gzip · first load $(kb "$total") gzip (budget $budget_kb KB)$explorer_line"
if [ "$total" -gt "$limit" ]; then
  echo "error: the first load is $(kb "$total") gzip, over the $budget_kb KB budget" >&2
  exit 1
fi
