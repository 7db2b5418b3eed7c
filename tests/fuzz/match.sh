#!/bin/sh
# A bounded fuzz run (a number of inputs, not a time) of the EventBridge pattern matcher,
# its compile-time checker and the rule index (tests/fuzz/fuzz_match.c: it aborts where
# runtime/match.c and compiler/patterns.c disagree on a pattern's validity), seeded with
# tests/fuzz/seeds/match/ (patterns, some with an event after a NUL byte); then the rule
# index's benchmark at a small size (build/bench/match_bench --check: indexed == naive on
# every event). `make fuzz-match` and `make bench-match` run longer.
# Builds build/fuzz/fuzz_match and build/bench/match_bench when they are missing. Called
# by tests/run. The seeds include the two NUL-byte numeric operators the first runs
# found the checker and the matcher disagreeing on, before they shared one grammar.
# Ends with "fuzz-match: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.." || exit 1
fuzz=build/fuzz/fuzz_match
bench=build/bench/match_bench
runs=${FUZZ_MATCH_RUNS:-10000}
passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

[ -x $fuzz ] || ${MAKE:-make} -s $fuzz >/dev/null 2>&1
if [ ! -x $fuzz ]; then
  echo "FAIL $fuzz is missing and does not build: run make $fuzz"; failed=$((failed + 1))
else
  mkdir "$tmp/corpus" "$tmp/artifacts"
  cp tests/fuzz/seeds/match/* "$tmp/corpus/"
  if $fuzz -runs="$runs" -seed=1 -timeout=10 -max_len=4096 -dict=tests/fuzz/match.dict \
       -artifact_prefix="$tmp/artifacts/" "$tmp/corpus" >"$tmp/out" 2>&1; then
    passed=$((passed + 1))
  else
    echo "FAIL fuzz run of $runs inputs ($fuzz): the input that failed, then the report"
    for f in "$tmp/artifacts"/*; do [ -f "$f" ] && od -c "$f" | head -n 20; done
    grep -v '^#[0-9]' "$tmp/out" | tail -n 40
    failed=$((failed + 1))
  fi
fi

[ -x $bench ] || ${MAKE:-make} -s $bench >/dev/null 2>&1
if [ ! -x $bench ]; then
  echo "FAIL $bench is missing and does not build: run make $bench"; failed=$((failed + 1))
elif $bench --check >"$tmp/bench" 2>&1; then
  passed=$((passed + 1))
else
  echo "FAIL $bench --check: the indexed and the naive loop differ"
  tail -n 20 "$tmp/bench"
  failed=$((failed + 1))
fi
echo "fuzz-match: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
