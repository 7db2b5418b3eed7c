#!/bin/sh
# sfc test: the test blocks of .sf files run on the local runtime. Called by tests/run
# with $SFC set (or alone, from anywhere); ends with "sftest: N passed, N failed".
#
#   X.out   a case: `sfc test ARGS` must print exactly this: its standard output, then
#           "stderr:" and its standard error when there is any, then "exit N". ARGS
#           are in X.args, or are X.sf. Paths are relative to the repository root.
#
# Also: test blocks change nothing that `sfc compile` writes (the examples compiled
# with and without theirs), and every case runs clean under the sanitizers when $SFC
# is the sanitizer build (a report makes the output differ).
#
# To accept a new output: sh tests/sftest/run.sh --update
. "$(dirname "$0")/../lib.sh"
update=false
[ "${1:-}" = --update ] && update=true

for want in tests/sftest/*.out; do
  name=${want%.out}
  if [ -f "$name.args" ]; then args=$(cat "$name.args"); else args=$name.sf; fi
  # shellcheck disable=SC2086
  "$SFC" test $args >"$tmp/stdout" 2>"$tmp/stderr"
  code=$?
  { cat "$tmp/stdout"
    if [ -s "$tmp/stderr" ]; then echo "stderr:"; cat "$tmp/stderr"; fi
    echo "exit $code"; } >"$tmp/got"
  if $update; then cp "$tmp/got" "$want"; pass
  elif diff -u "$want" "$tmp/got" >"$tmp/diff"; then pass
  else fail "sfc test $args"; head -n 60 "$tmp/diff"; fi
done

# Standard input: `sfc test -` reads the program from it, named <stdin>.
if "$SFC" test - <tests/sftest/names.sf >"$tmp/stdout" 2>&1 &&
   grep -q '^1 test, 1 passed, 0 failed$' "$tmp/stdout"; then pass
else fail "sfc test - (standard input)"; cat "$tmp/stdout"; fi

# Test blocks do not change what a compile writes: each example with its test
# blocks cut off (they follow its workflows) compiles to the same files.
for src in examples/*.sf; do
  base=$(basename "$src" .sf)
  sed '/^test "/,$d' "$src" >"$tmp/$base.sf"
  if grep -q '^test "' "$tmp/$base.sf"; then fail "$src: cutting its tests"; continue; fi
  "$SFC" "$src" -q -o "$tmp/with-$base" 2>/dev/null
  "$SFC" "$tmp/$base.sf" -q -o "$tmp/without-$base" 2>/dev/null
  if diff -r "$tmp/with-$base" "$tmp/without-$base" >"$tmp/diff"; then pass
  else fail "$src: its test blocks change the compiled files"; head -n 20 "$tmp/diff"; fi
done

printf 'sftest: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
