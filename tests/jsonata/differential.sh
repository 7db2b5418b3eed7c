#!/bin/sh
# sfc's JSONata evaluator against the pinned reference (npm jsonata 2.0.6) on generated
# expressions and documents, bounded: JSONATA_DIFF_COUNT cases (default 2000) from seed
# JSONATA_DIFF_SEED (default 1), deterministic, a few seconds; see differential.js.
# `make jsonata-differential N=100000` runs more. Known differences, each with its reason:
# tests/jsonata/differential-known.txt. Called by tests/run.
#
# Ends with "jsonata-differential: N passed, N failed[, N skipped]", or
# "jsonata-differential: skipped: WHY".
set -u
cd "$(dirname "$0")/../.." || exit 1
batch=${JSONATA_BATCH:-build/asan/test_jsonata}
if ! command -v node >/dev/null 2>&1; then
  echo "jsonata-differential: skipped: node is missing (run scripts/install-deps --test)"; exit 0
fi
if [ ! -f tests/node_modules/jsonata/jsonata.js ]; then
  echo "jsonata-differential: skipped: tests/node_modules/jsonata is missing (run npm ci in tests/)"; exit 0
fi
if [ ! -x "$batch" ]; then
  echo "FAIL $batch is missing: run make $batch"; echo "jsonata-differential: 0 passed, 1 failed"; exit 1
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
exec node tests/jsonata/differential.js --batch "$batch" --seed "${JSONATA_DIFF_SEED:-1}" \
  --count "${JSONATA_DIFF_COUNT:-2000}" --show "${JSONATA_DIFF_SHOW:-100}"
