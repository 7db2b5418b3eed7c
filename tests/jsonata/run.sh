#!/bin/sh
# sfc's JSONata (runtime/jsonata*.c) over every case of the JSONata reference suite
# (../shared/corpus/jsonata-suite, see its SOURCE.md): each case's result, undefined
# result or error code (and token and message where the case names them) must be the
# suite's, or, for the cases listed in tests/jsonata/suite-2.0.6.txt (where AWS's
# JSONata 2.0.6 differs from the suite's 2.2.2), the listed outcome. Called by tests/run.
#
# Ends with "jsonata: N passed, N failed", or "jsonata: skipped: no ../shared/corpus".
set -u
cd "$(dirname "$0")/../.." || exit 1
suite=../shared/corpus/jsonata-suite
if [ ! -d ../shared/corpus ]; then echo "jsonata: skipped: no ../shared/corpus"; exit 0; fi
if [ ! -x build/asan/test_jsonata ]; then
  echo "FAIL build/asan/test_jsonata is missing: run make test"; echo "jsonata: 0 passed, 1 failed"; exit 1
fi
build/asan/test_jsonata --suite "$suite" --listed tests/jsonata/suite-2.0.6.txt
