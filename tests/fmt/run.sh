#!/bin/sh
# sfc fmt: the layout rules (layout.sf, deliberately untidy, must give exactly
# layout.out), a fixed point, the same meaning (both compile to the same files, byte
# for byte); every other .sf of the repository already in the canonical layout, or,
# when it has syntax errors, refused with the error sfc check gives; -w, --check,
# --diff, standard input, CRLF, usage and I/O errors; and a bounded run of fuzz_fmt
# (the layout of any input the parser accepts reads back as the same tokens and
# compiles to the same files and diagnostics).
# Called by tests/run with $SFC set; alone: SFC=build/asan/sfc sh tests/fmt/run.sh
. "$(dirname "$0")/../lib.sh"
out_empty() { if [ -s "$tmp/out" ]; then fail "stdout was: $(head -c 300 "$tmp/out")"; else pass; fi; }

# The rules, a fixed point, the same meaning.
run 0 "$SFC" fmt tests/fmt/layout.sf && out_file tests/fmt/layout.out
run 0 "$SFC" fmt tests/fmt/layout.out && out_file tests/fmt/layout.out
cp tests/fmt/layout.out "$tmp/layout.sf"
if run 0 "$SFC" tests/fmt/layout.sf -o "$tmp/before" --emit all &&
   run 0 "$SFC" "$tmp/layout.sf" -o "$tmp/after" --emit all; then
  if diff -r "$tmp/before" "$tmp/after" >"$tmp/diff"; then pass
  else fail "the layout compiles differently:"; head -n 20 "$tmp/diff"; fi
fi

# Every .sf in the repository is in the canonical layout, or has syntax errors that
# fmt reports as sfc check does (fmt's first error is one sfc check gives).
formatted=0
refused=0
laid_out=
for f in $(find examples tests grammar -name '*.sf' -not -path '*/node_modules/*' | LC_ALL=C sort); do
  [ "$f" = tests/fmt/layout.sf ] && continue
  "$SFC" fmt --check "$f" >"$tmp/out" 2>"$tmp/err"
  code=$?
  if [ $code -eq 0 ] && [ ! -s "$tmp/out" ]; then
    formatted=$((formatted + 1)); laid_out="$laid_out $f"; pass
  elif [ $code -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q ': error: ' "$tmp/err"; then
    "$SFC" check "$f" >/dev/null 2>"$tmp/check"
    if grep -qxF -- "$(head -n 1 "$tmp/err")" "$tmp/check"; then
      refused=$((refused + 1)); pass
    else fail "$f: fmt's error is not sfc check's: $(head -n 1 "$tmp/err")"; fi
  else
    fail "$f is not in the canonical layout (exit $code): sfc fmt --diff $f"; head -n 5 "$tmp/err"
  fi
done
echo "fmt: $formatted files in the canonical layout, $refused with syntax errors refused"

# Every layout of those files gives the same: their tokens redrawn with other spaces
# and line breaks (three layouts each) lay out exactly as the file does, and compile
# to the same files and diagnostics.
if [ -x build/asan/fmt_relayout ]; then
  build/asan/fmt_relayout --seeds 3 $laid_out >"$tmp/relayout" 2>&1
  grep '^FAIL' "$tmp/relayout" | head -n 10
  p=$(sed -n 's/^relayout: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/relayout")
  f=$(sed -n 's/^relayout: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/relayout")
  if [ -n "$p" ]; then passed=$((passed + p)); failed=$((failed + f)); tail -n 1 "$tmp/relayout"
  else fail "fmt_relayout: no summary"; tail -n 20 "$tmp/relayout"; fi
else
  fail "build/asan/fmt_relayout is missing: run make test"
fi

# --check lists the files not in the layout; --diff shows how; neither changes them.
run 1 "$SFC" fmt --check tests/fmt/layout.sf tests/fmt/layout.out examples/upload.sf &&
  out_is tests/fmt/layout.sf
run 0 "$SFC" fmt --check examples/upload.sf examples/orders.sf && out_empty
cp tests/fmt/layout.sf "$tmp/untidy.sf"
(cd "$tmp" && "$SFC" fmt --diff untidy.sf >out 2>err; echo $? >code)
if [ "$(cat "$tmp/code")" = 1 ]; then pass; else fail "--diff: exit $(cat "$tmp/code"), expected 1"; fi
mv "$tmp/out" "$tmp/out.keep"; cp "$tmp/out.keep" "$tmp/out"
out_file tests/fmt/layout.diff
if cmp -s tests/fmt/layout.sf "$tmp/untidy.sf"; then pass; else fail "--diff changed the file"; fi
run 1 "$SFC" fmt --check --diff "$tmp/untidy.sf" && has out "+++ $tmp/untidy.sf" && has out "$tmp/untidy.sf"

# -w rewrites only what changes, at once, keeping the mode; leaves no temporary file.
mkdir "$tmp/w"
cp tests/fmt/layout.sf "$tmp/w/a.sf"
cp tests/fmt/layout.out "$tmp/w/b.sf"
chmod 640 "$tmp/w/a.sf"
touch -t 200001010000 "$tmp/w/b.sf"
run 0 "$SFC" fmt -w "$tmp/w/a.sf" "$tmp/w/b.sf" && out_empty
if cmp -s "$tmp/w/a.sf" tests/fmt/layout.out; then pass; else fail "-w did not lay a.sf out"; fi
if [ "$(stat -c %a "$tmp/w/a.sf")" = 640 ]; then pass; else fail "-w changed the mode: $(stat -c %a "$tmp/w/a.sf")"; fi
if [ -z "$(find "$tmp/w" -newer "$tmp/w/a.sf" -name b.sf)" ] &&
   [ "$(stat -c %Y "$tmp/w/b.sf")" = "$(date -d 2000-01-01T00:00 +%s)" ]; then pass
else fail "-w rewrote a file already in the layout"; fi
if [ "$(ls -A "$tmp/w" | tr '\n' ' ')" = "a.sf b.sf " ]; then pass; else fail "-w left: $(ls -A "$tmp/w")"; fi

# Standard input; CRLF line ends; a file with syntax errors is reported and kept.
run 0 sh -c "'$SFC' fmt - <tests/fmt/layout.sf" && out_file tests/fmt/layout.out
printf 'workflow W {\r\n  pass   P # c\r\n}\r\n' >"$tmp/crlf.sf"
run 0 "$SFC" fmt "$tmp/crlf.sf" && out_is "$(printf 'workflow W {\n  pass P  # c\n}')"
printf 'workflow W {\n  pass P\n  task\n}\n' >"$tmp/bad.sf"
cp "$tmp/bad.sf" "$tmp/bad.keep"
run 1 "$SFC" fmt -w "$tmp/bad.sf" && has err "$tmp/bad.sf:4:1: error: expected a state name"
if cmp -s "$tmp/bad.sf" "$tmp/bad.keep"; then pass; else fail "-w changed a file with syntax errors"; fi

# Usage and I/O errors.
run 0 "$SFC" fmt --help && has out "usage: sfc fmt [-w | --check] [--diff] FILE..."
run 2 "$SFC" fmt && has err "sfc fmt: no file given"
run 2 "$SFC" fmt -w --check examples/upload.sf && has err "-w rewrites the files; --check and --diff only report"
run 2 "$SFC" fmt --bogus examples/upload.sf && has err "sfc fmt: unknown option '--bogus'"
run 2 "$SFC" fmt -w - && has err "-w cannot rewrite standard input"
run 1 "$SFC" fmt tests/asl/valid/callback-lambda-token.asl.json && has err "is ASL (JSON); sfc fmt lays out .sf files"
run 3 "$SFC" fmt "$tmp/missing.sf" && has err "cannot read '$tmp/missing.sf'"

# Generated programs: fuzz_fmt, seeded with the repository's .sf files.
if [ -x build/fuzz/fuzz_fmt ]; then
  mkdir -p "$tmp/corpus"
  cp tests/compile/*.sf tests/errors/*.sf examples/*.sf tests/fmt/*.sf tests/fuzz/seeds/*.sf "$tmp/corpus/" 2>/dev/null
  if build/fuzz/fuzz_fmt -runs=10000 -seed=1 -max_len=4096 -dict=tests/fuzz/sf.dict \
       "$tmp/corpus" >"$tmp/fuzz.out" 2>&1; then pass
  else fail "fuzz_fmt found a layout that does not mean the same:"; tail -n 40 "$tmp/fuzz.out"; fi
else
  fail "build/fuzz/fuzz_fmt is missing: run make test"
fi

summary fmt
