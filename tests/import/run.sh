#!/bin/sh
# sfc import: the golden programs (tests/import/*.asl.json -> *.sf), the round trip
# (import, compile, compare with the original as JSON values) over every hand-written
# ASL file of tests/asl, every definition the compiler writes for tests/compile and
# the examples, and every file of ../shared/corpus/realworld-asl that sfc check
# accepts; and invalid ASL, which gets sfc check's diagnostics.
# A definition the language cannot say exactly is listed in known-inexact.txt (its
# label, a tab, and why: what import or the compiler said); any other difference fails, and so does a listed file that now passes.
# Ends with "import: N passed, N failed[, 1 skipped]" (skipped: the corpus is absent).
. "$(dirname "$0")/../lib.sh"
skipped=0

# (a) golden programs
for f in tests/import/*.asl.json; do
  golden=${f%.asl.json}.sf
  run 0 "$SFC" import "$f" && out_file "$golden"
done

# (b) the round trip of one definition FILE (shown as LABEL)
exact=0 literal=0 inexact=0 total=0
round_trip() { # FILE LABEL
  total=$((total + 1))
  "$SFC" import "$1" >"$tmp/p.sf" 2>"$tmp/err"
  code=$?
  known=$(awk -F '\t' -v f="$2" '$1 == f' tests/import/known-inexact.txt)
  if [ "$code" -ne 0 ]; then
    if [ -n "$known" ]; then inexact=$((inexact + 1)); pass; return; fi
    fail "import $2: exit $code: $(head -c 300 "$tmp/err")"
    [ -n "${IMPORT_LIST:-}" ] && printf '%s\t%s\n' "$2" "$(grep 'cannot write' "$tmp/err" | tail -1 | sed 's/.*in the language: //; s/.*in the language$/the program differs/')" >>"$IMPORT_LIST"
    return
  fi
  rm -rf "$tmp/o"
  if ! "$SFC" "$tmp/p.sf" -o "$tmp/o" --emit asl -q 2>"$tmp/err"; then
    fail "import $2: the program does not compile: $(head -c 300 "$tmp/err")"; return
  fi
  if ! node tests/import/same.js "$1" "$tmp"/o/*.asl.json >"$tmp/diff"; then
    fail "import $2: differs at $(cat "$tmp/diff")"; return
  fi
  if [ -n "$known" ]; then fail "import $2 is now exact: remove it from known-inexact.txt"; return; fi
  exact=$((exact + 1))
  grep -q ' asl {' "$tmp/p.sf" && literal=$((literal + 1))
  pass
}
for f in tests/asl/valid/*.json tests/asl/warn/*.json; do round_trip "$f" "$f"; done
for f in tests/compile/*.out/*.asl.json; do round_trip "$f" "$f"; done
for f in examples/*.sf; do
  rm -rf "$tmp/ex" && "$SFC" "$f" -o "$tmp/ex" --emit asl -q 2>/dev/null || continue
  for d in "$tmp"/ex/*.asl.json; do round_trip "$d" "$f:$(basename "$d")"; done
done
corpus=../shared/corpus/realworld-asl/files
if [ -d "$corpus" ]; then
  for f in "$corpus"/*; do
    "$SFC" check --asl "$f" >/dev/null 2>&1 || continue
    cp "$f" "$tmp/c.asl.json"
    round_trip "$tmp/c.asl.json" "corpus/$(basename "$f")"
  done
else
  skipped=1
  echo "import: the corpus round trip: skipped: no ../shared/corpus"
fi
echo "import: $exact of $total definitions round-trip exactly; $literal of those needed asl { }; $inexact known inexact (known-inexact.txt)"

# (c) invalid ASL: sfc check's diagnostics and exit code
for f in tests/asl/invalid/*.json; do
  "$SFC" check "$f" >/dev/null 2>"$tmp/want"
  "$SFC" import "$f" >"$tmp/out" 2>"$tmp/err"
  code=$?
  if [ "$code" -eq 1 ] && cmp -s "$tmp/want" "$tmp/err" && [ ! -s "$tmp/out" ]; then pass
  else fail "import $f: exit $code, or not sfc check's diagnostics: $(head -c 300 "$tmp/err")"; fi
done

# a task whose resource the definition does not name gets on "*", and a warning says so;
# a failed import prints no program
printf '%s\n' '{"StartAt":"J","States":{"J":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob","Parameters":{"JobName":"j","JobQueue":"${Q}","JobDefinition":"${D}"},"End":true}}}' >"$tmp/batch.asl.json"
run 0 "$SFC" import "$tmp/batch.asl.json" && has out 'on "*"' &&
  has err "sfc import: warning: 1 task acts on resources the definition does not name"
# a placeholder Resource declared as a lambda, one as an activity (not guessed), and a
# service sfc derives nothing for: one warning each, counted from the states, not the
# text (the comment says "on nothing" too)
run 0 "$SFC" import tests/import/placeholder-resources.asl.json &&
  has err "sfc import: warning: 1 resource task names a service whose permissions sfc does not derive: the program says 'on nothing' there, so the role gets nothing for it; grant what it needs elsewhere" &&
  has err "sfc import: warning: 1 task Resource is a deploy-time placeholder, declared as a lambda (the direct invocation) so the role may invoke it; if one stands for something else, declare it as what it is"
printf '%s\n' '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' >"$tmp/Very_long_name_of_a_state_machine_that_IAM_would_refuse_as_a_role_name_x.asl.json"
run 0 "$SFC" import "$tmp/Very_long_name_of_a_state_machine_that_IAM_would_refuse_as_a_role_name_x.asl.json" &&
  has out "workflow Very_long_name_of_a_state_machine_that_IAM_would_refuse_as_a_rol {"

# usage
run 0 "$SFC" import --help && has out "usage: sfc import FILE.asl.json"
run 2 "$SFC" import
run 2 "$SFC" import a.json b.json
run 2 "$SFC" import tests/asl/valid/polling-loop.asl.json --name "a b"
run 3 "$SFC" import no-such-file.asl.json
run 0 sh -c "\"$SFC\" import - <tests/asl/valid/polling-loop.asl.json" && has out "workflow Workflow {"
run 0 "$SFC" import tests/asl/valid/polling-loop.asl.json --name Poll && has out "workflow Poll {"

if [ "$skipped" -gt 0 ]; then
  printf 'import: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  [ "$failed" -eq 0 ]
else
  summary import
fi
