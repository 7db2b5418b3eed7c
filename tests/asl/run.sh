#!/bin/sh
# `sfc check` on hand-written ASL (FILE.asl.json). Called by tests/run with $SFC set;
# run alone from anywhere: SFC=build/asan/sfc sh tests/asl/run.sh (default ./sfc).
#
#   valid/X.asl.json     must pass: exit 0, nothing on stderr
#   invalid/X.asl.json   must fail: exit 1, stderr exactly X.err; X.note says in
#                        one line whether asl-validator catches the mistake too
#   warn/X.asl.json      exit 0, stderr exactly X.err (warnings only)
#   also: compile mode refuses ASL files (exit 2), --diagnostics=json, and a
#   bounded libFuzzer run of the JSON checker when build/fuzz/fuzz_asl exists.
#
# Ends with the line "asl: N passed, N failed"; exits 1 when anything failed.
. "$(dirname "$0")/../lib.sh"

for f in tests/asl/valid/*.asl.json; do
  "$SFC" check "$f" >"$tmp/out" 2>"$tmp/err"
  code=$?
  if [ $code -ne 0 ] || [ -s "$tmp/err" ]; then fail "$f: exit $code"; cat "$tmp/err"
  else pass; fi
done

for f in tests/asl/invalid/*.asl.json tests/asl/warn/*.asl.json; do
  name=${f%.asl.json}
  want=1
  case $f in tests/asl/warn/*) want=0 ;; esac
  "$SFC" check "$f" >"$tmp/out" 2>"$tmp/err"
  code=$?
  if [ ! -f "$name.err" ]; then fail "$f: $name.err is missing"
  elif [ $code -ne $want ]; then fail "$f: exit $code, expected $want"; cat "$tmp/err"
  elif ! diff -u "$name.err" "$tmp/err" >"$tmp/diff"; then fail "$f: diagnostics differ"; cat "$tmp/diff"
  elif [ $want = 1 ] && ! grep -qE '^asl-validator: (catches|misses)' "$name.note" 2>/dev/null; then
    fail "$f: $name.note must say 'asl-validator: catches' or 'asl-validator: misses'"
  else pass; fi
done

# Compile mode does not read ASL: a usage error, and nothing is written.
"$SFC" tests/asl/valid/wait-forms.asl.json -o "$tmp/out-dir" >"$tmp/out" 2>"$tmp/err"
code=$?
if [ $code -eq 2 ] && grep -q "only 'sfc check' reads ASL files" "$tmp/err" && [ ! -e "$tmp/out-dir" ]
then pass; else fail "compile mode with an ASL file: exit $code"; cat "$tmp/err"; fi

# Machine-readable diagnostics carry the same location.
"$SFC" check --diagnostics=json tests/asl/invalid/wait-seconds-string.asl.json >"$tmp/out" 2>"$tmp/err"
code=$?
if [ $code -eq 1 ] && grep -q '"line": 7' "$tmp/out" && grep -q '"column": 18' "$tmp/out" && [ ! -s "$tmp/err" ]
then pass; else fail "--diagnostics=json on an ASL file: exit $code"; cat "$tmp/out" "$tmp/err"; fi

# A bounded fuzz run over the JSON parser and checker, seeded with the files above
# and tests/fuzz/seeds/ (invalid UTF-8, long lines, multi-byte text, a BOM).
if [ -x build/fuzz/fuzz_asl ]; then
  mkdir -p "$tmp/corpus"
  cp tests/asl/valid/*.asl.json tests/asl/invalid/*.asl.json tests/asl/warn/*.asl.json \
    tests/fuzz/seeds/*.json "$tmp/corpus/"
  if build/fuzz/fuzz_asl -runs=20000 -seed=1 -max_len=8192 -dict=tests/fuzz/asl.dict \
       "$tmp/corpus" >"$tmp/fuzz.out" 2>&1; then pass
  else fail "fuzz_asl run"; tail -n 40 "$tmp/fuzz.out"; fi
fi

printf 'asl: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
