#!/bin/sh
# The runtime against the executions and TestState calls recorded on real AWS in
# ../shared/corpus/aws-recorded-sfn (tests/runtime/corpus.c says how each is judged).
# Cases that cannot pass yet are listed with their reason in known-failures.txt; an
# unlisted failure, or a listed case that passes, fails the suite.
#
#   sh tests/runtime/run.sh                 run (the binary: make build/asan/runtime_corpus)
#   sh tests/runtime/run.sh --only exec-042 one case, with its difference
#   sh tests/runtime/run.sh --verbose       also what differs in each listed case
#   sh tests/runtime/run.sh --update-known  rewrite known-failures.txt from this run
#
# Ends with "runtime: N passed, N failed, N skipped" (skipped: the known failures), or
# "runtime: skipped: REASON" without the corpus.
cd "$(dirname "$0")/../.." || exit 1
corpus=../shared/corpus/aws-recorded-sfn
bin=${RUNTIME_CORPUS:-build/asan/runtime_corpus}
if [ ! -f "$corpus/executions.json" ]; then
  echo "runtime: skipped: no ../shared/corpus (the AWS-recorded cases are not here)"
  exit 0
fi
if [ ! -x "$bin" ]; then
  echo "FAIL $bin is missing: run make build/asan/runtime_corpus"
  echo "runtime: 0 passed, 1 failed"
  exit 1
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
"$bin" "$@" "$corpus" tests/runtime/known-failures.txt
