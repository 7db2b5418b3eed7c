#!/bin/sh
# sfc simulate and sfc match FILE.sf: the program's event chain, run locally. Called by
# tests/run with $SFC set (or alone, from anywhere); ends with "simulate: N passed, N failed".
#
#   X.args  a case: `sfc ARGS` (the command word first) must print exactly X.out: its
#           standard output, then "stderr:" and its standard error when there is any,
#           then "exit N". Paths are relative to the repository root.
#
# Also: the event files the cases read are what `sfc event` prints for them, and a
# simulation's output is the same bytes on every run.
#
# To accept a new output: sh tests/simulate/run.sh --update
. "$(dirname "$0")/../lib.sh"
update=false
[ "${1:-}" = --update ] && update=true

for case_args in tests/simulate/*.args; do
  name=${case_args%.args}
  want=$name.out
  args=$(cat "$case_args")
  # shellcheck disable=SC2086
  "$SFC" $args >"$tmp/stdout" 2>"$tmp/stderr"
  code=$?
  { cat "$tmp/stdout"
    if [ -s "$tmp/stderr" ]; then echo "stderr:"; cat "$tmp/stderr"; fi
    echo "exit $code"; } >"$tmp/got"
  if $update; then cp "$tmp/got" "$want"; pass
  elif [ ! -f "$want" ]; then fail "sfc $args: no $want"
  elif diff -u "$want" "$tmp/got" >"$tmp/diff"; then pass
  else fail "sfc $args"; head -n 60 "$tmp/diff"; fi
done

# The events the cases put on the bus are sfc event's.
check_event() {
  file=$1; shift
  if "$SFC" event "$@" >"$tmp/event" 2>&1 && cmp -s "$tmp/event" "$file"; then pass
  else fail "sfc event $* differs from $file"; diff -u "$file" "$tmp/event" | head -n 20; fi
}
check_event tests/simulate/s3-incoming.json s3 acme-uploads-dev created incoming/a.png --size 2048
check_event tests/simulate/s3-outgoing.json s3 acme-uploads-dev created outgoing/a.png --size 2048

# The same simulation twice gives the same bytes (ids and names come from --seed).
"$SFC" simulate examples/upload.sf --event @tests/simulate/s3-incoming.json --json >"$tmp/a" 2>&1
"$SFC" simulate examples/upload.sf --event @tests/simulate/s3-incoming.json --json >"$tmp/b" 2>&1
if cmp -s "$tmp/a" "$tmp/b"; then pass; else fail "two simulations differ"; fi
# ... and another seed gives other execution names
"$SFC" simulate examples/upload.sf --event @tests/simulate/s3-incoming.json --json --seed 7 >"$tmp/c" 2>&1
if ! cmp -s "$tmp/a" "$tmp/c"; then pass; else fail "--seed 7 changed nothing"; fi

# The event from standard input, as the README shows it with $(sfc event ...).
if "$SFC" simulate examples/upload.sf --event @- <tests/simulate/s3-incoming.json >"$tmp/stdin" 2>&1 &&
   "$SFC" simulate examples/upload.sf --event "$(cat tests/simulate/s3-incoming.json)" >"$tmp/arg" 2>&1 &&
   cmp -s "$tmp/stdin" "$tmp/arg"; then pass
else fail "--event @- and --event TEXT differ"; diff "$tmp/stdin" "$tmp/arg" | head; fi

summary simulate
