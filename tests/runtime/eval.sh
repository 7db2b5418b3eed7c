#!/bin/sh
# The runtime's JSONPath, intrinsic functions and templates (runtime/eval.c, jsonpath.c,
# intrinsics.c) on every execution recorded on AWS in ../shared/corpus/aws-recorded-sfn
# that is one Pass state with Parameters, run by test_runtime_eval and compared with
# AWS's output or error and cause. (Its own cases, tests/runtime/eval-cases.json, run
# with the unit tests.) Called by tests/run.
#
# Ends with "runtime-eval: N passed, N failed", or "runtime-eval: skipped: REASON"
# without the corpus.
set -u
cd "$(dirname "$0")/../.." || exit 1
bin=build/asan/test_runtime_eval
corpus=../shared/corpus/aws-recorded-sfn/executions.json
if [ ! -f "$corpus" ]; then
  echo "runtime-eval: skipped: no $corpus (the AWS-recorded executions are not here)"; exit 0
fi
if [ ! -x "$bin" ]; then
  echo "FAIL $bin is missing: run make test"; echo "runtime-eval: 0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$bin" --corpus "$corpus" >"$tmp/out" 2>&1
grep -v '^[0-9]* passed' "$tmp/out"
p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/out")
f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/out")
[ -n "$p" ] || { echo "FAIL $bin crashed on $corpus"; p=0; f=1; }
echo "runtime-eval: $p passed, $f failed"
