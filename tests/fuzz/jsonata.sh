#!/bin/sh
# A bounded fuzz run (a number of inputs, not a time) of the JSONata parser and evaluator
# (tests/fuzz/fuzz_jsonata.c), seeded with tests/fuzz/seeds/jsonata/ (expressions of the
# reference suite, each with its data after a NUL byte); `make fuzz-jsonata` runs longer.
# Builds build/fuzz/fuzz_jsonata when it is missing. Called by tests/run.
# Ends with "fuzz-jsonata: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
fuzz=build/fuzz/fuzz_jsonata
runs=${FUZZ_JSONATA_RUNS:-10000}
[ -x $fuzz ] || ${MAKE:-make} -s $fuzz >/dev/null 2>&1
if [ ! -x $fuzz ]; then
  echo "FAIL $fuzz is missing and does not build: run make $fuzz"; echo "fuzz-jsonata: 0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/corpus" "$tmp/artifacts"
cp tests/fuzz/seeds/jsonata/* "$tmp/corpus/"
if $fuzz -runs="$runs" -seed=1 -timeout=10 -max_len=4096 -dict=tests/fuzz/jsonata.dict \
     -artifact_prefix="$tmp/artifacts/" "$tmp/corpus" >"$tmp/out" 2>&1; then
  echo "fuzz-jsonata: 1 passed, 0 failed"
else
  echo "FAIL fuzz run of $runs inputs ($fuzz): the input that failed, then the report"
  for f in "$tmp/artifacts"/*; do [ -f "$f" ] && od -c "$f" | head -n 20; done
  grep -v '^#[0-9]' "$tmp/out" | tail -n 40
  echo "fuzz-jsonata: 0 passed, 1 failed"
  exit 1
fi
