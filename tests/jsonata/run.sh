#!/bin/sh
# The JSONata parser (runtime/jsonata.c) over every expression of the JSONata
# reference suite (../shared/corpus/jsonata-suite, see its SOURCE.md): a case expecting
# an S0 code must fail to parse, every other case must parse; the documented
# exceptions are in tests/unit/test_jsonata.c. Called by tests/run.
#
# Ends with "jsonata: N passed, N failed", or "jsonata: skipped: no ../shared/corpus".
set -u
cd "$(dirname "$0")/../.." || exit 1
suite=../shared/corpus/jsonata-suite
if [ ! -d ../shared/corpus ]; then echo "jsonata: skipped: no ../shared/corpus"; exit 0; fi
if [ ! -x build/asan/test_jsonata ]; then
  echo "FAIL build/asan/test_jsonata is missing: run make test"; echo "jsonata: 0 passed, 1 failed"; exit 1
fi
build/asan/test_jsonata --suite "$suite"
