#!/bin/sh
# The compiler's table of JSONata functions (runtime/jsonata_fn.c) against the pinned
# reference, npm jsonata@2.0.6 (tests/jsonata/builtins.js says how). Called by tests/run.
# Ends with "builtins: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
if [ ! -x build/asan/test_jsonata ]; then
  echo "FAIL build/asan/test_jsonata is missing: run make test"; echo "builtins: 0 passed, 1 failed"; exit 1
fi
if [ ! -f tests/node_modules/jsonata/jsonata.js ]; then
  echo "FAIL tests/node_modules/jsonata is missing: run npm ci in tests/"; echo "builtins: 0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT INT TERM
build/asan/test_jsonata --builtins >"$tmp" && node tests/jsonata/builtins.js "$tmp"
