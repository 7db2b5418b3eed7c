#!/bin/sh
# The differential test, bounded: DIFF_COUNT generated workflows (default 6000, seeds
# from DIFF_SEED, default 1), each run by sfc's runtime (build/asan/diff_driver, the
# sanitizer build) and by aws-local-stepfunctions 3.0.0, with the same task answers,
# and the first DIFF_CLI of them (default 300) also by `$SFC run --mocks` (default
# build/asan/sfc); see diff.js and DEVIATIONS.md. `make differential` runs more. Ends with
# "differential: N passed, N failed", or "differential: skipped: WHY".
cd "$(dirname "$0")/../.." || exit 1
driver=build/asan/diff_driver
sfc=${SFC:-build/asan/sfc}
if [ ! -d tests/node_modules/aws-local-stepfunctions ]; then
  echo "differential: skipped: tests/node_modules/aws-local-stepfunctions is missing (run scripts/install-deps --test)"
  exit 0
fi
for b in "$driver" "$sfc"; do
  if [ ! -x "$b" ]; then
    echo "$b is missing: run make $b"
    echo "differential: 0 passed, 1 failed"
    exit 1
  fi
done
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
exec node tests/differential/diff.js --driver "$driver" --seed "${DIFF_SEED:-1}" --count "${DIFF_COUNT:-6000}" \
  --sfc "$sfc" --cli "${DIFF_CLI:-300}"
