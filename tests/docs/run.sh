#!/bin/sh
# The docs sfc writes, judged by the real renderers (tests/docs/check.sh: Graphviz
# renders every .dot without a warning and uses only documented attributes, Mermaid
# parses every diagram, every Markdown link lands on an anchor): for every golden
# test and example, all examples as one program, and a generated workflow of 300
# states (large workflows stay legible: parallel and map bodies closed in Mermaid).
# Ends with check.sh's "docs: N passed, N failed[, N skipped]" or "docs: skipped: WHY".
set -u
cd "$(dirname "$0")/../.." || exit 1
SFC=${SFC:-./sfc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
dirs= failed=0
for src in tests/compile/*.sf examples/*.sf; do
  args=
  [ -f "${src%.sf}.args" ] && args=$(sed 's/--emit [a-z,]*//' "${src%.sf}.args")
  dir="$tmp/$(basename "${src%.sf}")"
  # shellcheck disable=SC2086
  if "$SFC" docs -q "$src" -o "$dir" $args 2>"$tmp/stderr"; then dirs="$dirs $dir"
  else failed=$((failed + 1)); echo "FAIL sfc docs $src"; cat "$tmp/stderr"; fi
done
# shellcheck disable=SC2046
"$SFC" docs -q $(ls examples/*.sf) -o "$tmp/all-examples" && dirs="$dirs $tmp/all-examples"
{
  echo 'lambda f = "fn"'
  echo 'workflow Large {'
  echo '  parallel Fan {'
  for i in 1 2 3 4 5 6 7 8 9 10; do echo "    task Inner$i invoke f retry any"; done
  echo '  } catch any -> Failed'
  i=1
  while [ $i -le 290 ]; do
    if [ $((i % 10)) = 0 ]; then echo "  task S$i invoke f retry any catch any -> Failed"
    else echo "  task S$i invoke f retry any"; fi
    i=$((i + 1))
  done
  echo '  succeed Done'
  echo '  fail Failed'
  echo '}'
} >"$tmp/large.sf"
"$SFC" docs -q "$tmp/large.sf" -o "$tmp/large" && dirs="$dirs $tmp/large"
# shellcheck disable=SC2086
sh tests/docs/check.sh $dirs >"$tmp/check.out" 2>&1
grep -v '^ok ' "$tmp/check.out" | sed '$d'
last=$(tail -n 1 "$tmp/check.out")
case $last in
  "docs: skipped: "*) echo "$last" ;;
  "docs: "*" passed, "*)
    p=${last#docs: }; p=${p%% passed*}
    rest=${last#*passed, }; f=${rest%% failed*}
    echo "docs: $p passed, $((f + failed)) failed${rest#*failed}" ;;
  *) echo "docs: 0 passed, 1 failed"; cat "$tmp/check.out" ;;
esac
