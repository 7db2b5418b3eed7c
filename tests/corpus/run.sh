#!/bin/sh
# `sfc check` against verdicts from outside the project (../shared/corpus, see its
# README.md): the real-world files judged valid must pass and those judged invalid
# fail; every definition AWS rejected must fail, every one it created, ran or tested
# must pass, and ValidateStateMachineDefinition's verdicts must agree (OK: no error).
# Called by tests/run with $SFC set; alone: SFC=build/asan/sfc sh tests/corpus/run.sh.
#
# exceptions.txt lists the cases where sfc is right and the verdict is not (or
# sfc cannot know), each with its evidence; their expectation is reversed, so a
# stale exception fails too.
#
# Ends with "corpus: N passed, N failed", or "corpus: skipped: no ../shared/corpus".
set -u
SFC=${SFC:-./sfc}
case $SFC in /*) ;; *) SFC=$(pwd)/$SFC ;; esac
cd "$(dirname "$0")/../.." || exit 1
corpus=../shared/corpus
if [ ! -d "$corpus" ]; then echo "corpus: skipped: no ../shared/corpus"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }

if ! node tests/corpus/extract.js "$corpus" "$tmp"; then
  echo "FAIL tests/corpus/extract.js"; echo "corpus: 0 passed, 1 failed"; exit 1
fi
tab=$(printf '\t')
while IFS=$tab read -r id want file args; do
  if awk -v id="$id" '$1 == id { found = 1 } END { exit !found }' tests/corpus/exceptions.txt; then
    if [ "$want" = pass ]; then want=fail; else want=pass; fi
  fi
  # shellcheck disable=SC2086
  "$SFC" check "$file" $args >/dev/null 2>"$tmp/err"
  code=$?
  if [ $code -gt 1 ]; then fail "$id: exit $code"; head -n 5 "$tmp/err"
  elif [ "$want" = pass ] && [ $code -ne 0 ]; then
    fail "$id: valid, sfc rejects it"; grep 'error:' "$tmp/err" | head -n 3
  elif [ "$want" = fail ] && [ $code -ne 1 ]; then fail "$id: invalid, sfc accepts it"
  else passed=$((passed + 1)); fi
done <"$tmp/cases.tsv"

printf 'corpus: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
