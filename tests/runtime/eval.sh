#!/bin/sh
# The runtime's JSONPath, intrinsic functions, payload templates and JSON text
# (runtime/eval.c, jsonpath.c, intrinsics.c): the cases of tests/runtime/eval-cases.json,
# then every execution recorded on AWS in ../shared/corpus/aws-recorded-sfn that is one
# Pass state with Parameters (skipped without the corpus). Called by tests/run.
#
# Ends with "runtime-eval: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
bin=build/asan/test_runtime_eval
if [ ! -x "$bin" ]; then
  echo "FAIL $bin is missing: run make test"; echo "runtime-eval: 0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$bin" tests/runtime/eval-cases.json >"$tmp/cases" 2>&1
grep -v '^[0-9]* passed' "$tmp/cases"
p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/cases")
f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/cases")
[ -n "$p" ] || { echo "FAIL $bin crashed on tests/runtime/eval-cases.json"; p=0; f=1; }
corpus=../shared/corpus/aws-recorded-sfn/executions.json
if [ -f "$corpus" ]; then
  "$bin" --corpus "$corpus" >"$tmp/corpus" 2>&1
  grep -v '^[0-9]* passed' "$tmp/corpus"
  cp=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/corpus")
  cf=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/corpus")
  [ -n "$cp" ] || { echo "FAIL $bin crashed on $corpus"; cp=0; cf=1; }
  p=$((p + cp)); f=$((f + cf))
else
  echo "(the recorded executions are skipped: no $corpus)"
fi
echo "runtime-eval: $p passed, $f failed"
