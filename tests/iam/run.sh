#!/bin/sh
# IAM policy simulation of what sfc writes. Called by tests/run with $SFC set;
# run alone from anywhere: SFC=build/asan/sfc sh tests/iam/run.sh (default ./sfc).
#
#   tests/iam/NAME.cases.json   checks for tests/oracles/iam-check.js (its format is
#                               described there); policy paths are "out/FILE",
#                               the output of compiling the source below
#   tests/iam/NAME.sf           the source of NAME.cases.json, or, for NAME
#                               example-X, examples/X.sf; both are compiled with
#                               -D account=123456789012 -D region=us-east-1 (which
#                               the aws blocks of the files here repeat)
#
# Each NAME is compiled into a temporary directory, NAME.cases.json is copied
# next to its output and checked there, so nothing is written in the repository.
# The IAM oracle's own self-test (tests/oracles/iam-selftest.sh) counts as one
# more check. Prints the FAIL lines and ends with the line
# "iam: N passed, N failed" (the checks of every cases file, plus one for each
# source that does not compile and one for the self-test); exits 1 when anything
# failed.
. "$(dirname "$0")/../lib.sh"
repo=$(pwd)

if [ ! -d tests/node_modules/@cloud-copilot/iam-simulate ]; then
  fail "tests/node_modules is missing: run scripts/install-deps --test"
  printf 'iam: %d passed, %d failed\n' "$passed" "$failed"
  exit 1
fi

for cases in tests/iam/*.cases.json; do
  [ -e "$cases" ] || continue
  name=$(basename "$cases" .cases.json)
  case $name in
    example-*) src=examples/${name#example-}.sf ;;
    *) src=tests/iam/$name.sf ;;
  esac
  if [ ! -f "$src" ]; then fail "$cases: no source $src"; continue; fi
  mkdir "$tmp/$name"
  if ! "$SFC" "$src" -o "$tmp/$name/out" -D account=123456789012 -D region=us-east-1 \
       >"$tmp/$name/stdout" 2>"$tmp/$name/stderr"; then
    fail "$src does not compile"; cat "$tmp/$name/stderr"; continue
  fi
  cp "$cases" "$tmp/$name/"
  (cd "$tmp" && node "$repo/tests/oracles/iam-check.js" "$name/$name.cases.json") \
    >"$tmp/$name/check.out" 2>&1
  p=$(sed -n 's/^iam: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/$name/check.out")
  f=$(sed -n 's/^iam: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/$name/check.out")
  if [ -z "$p" ]; then fail "$cases: iam-check gave no summary"; cat "$tmp/$name/check.out"; continue; fi
  passed=$((passed + p))
  failed=$((failed + f))
  # name the repository's cases file, not its temporary copy
  grep '^FAIL ' "$tmp/$name/check.out" | sed "s|^FAIL $name/|FAIL tests/iam/|"
done

# The oracle must be able to fail, each time for the expected reason.
if sh tests/oracles/iam-selftest.sh >"$tmp/selftest.out" 2>&1; then pass
else fail "tests/oracles/iam-selftest.sh"; grep -v '^ok ' "$tmp/selftest.out"; fi

printf 'iam: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
