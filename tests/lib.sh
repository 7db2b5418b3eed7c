# tests/lib.sh: what the shell suites share. A suite in tests/X/ starts with
#   . "$(dirname "$0")/../lib.sh"
# which makes $SFC absolute (default ./sfc), goes to the repository root, sets the
# sanitizers to stop at the first report, makes $tmp (removed on exit), and defines:
#   pass, fail TEXT          count a check (fail also prints "FAIL TEXT")
#   run CODE COMMAND...      run it: stdout in $tmp/out, stderr in $tmp/err; a check
#                            that the exit code is CODE (false when it is not)
#   out_is TEXT, err_is TEXT stdout / stderr is exactly TEXT and a newline
#   out_file FILE            stdout is exactly FILE's bytes
#   has out|err TEXT         stdout / stderr contains TEXT
#   summary NAME             the last line tests/run reads, "NAME: N passed, N failed",
#                            and the exit status
set -u
SFC=${SFC:-./sfc}
case $SFC in /*) ;; *) SFC=$(pwd)/$SFC ;; esac # relative to where the suite was started
cd "$(dirname "$0")/../.." || exit 1
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
run() {
  want=$1
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  code=$?
  if [ "$code" -ne "$want" ]; then
    fail "$*: exit $code, expected $want"; sed 's/^/  /' "$tmp/err" | head -n 10
    return 1
  fi
  pass
}
out_file() {
  if cmp -s "$1" "$tmp/out"; then pass
  else fail "stdout differs from $1:"; diff "$1" "$tmp/out" | head -n 20; fi
}
out_is() {
  printf '%s\n' "$1" >"$tmp/want"
  if cmp -s "$tmp/want" "$tmp/out"; then pass
  else fail "stdout was: $(cat "$tmp/out") expected: $1"; fi
}
err_is() {
  printf '%s\n' "$1" >"$tmp/want"
  if cmp -s "$tmp/want" "$tmp/err"; then pass
  else fail "stderr was: $(cat "$tmp/err") expected: $1"; fi
}
has() {
  if grep -qF -- "$2" "$tmp/$1"; then pass
  else fail "$1 lacks '$2': $(head -c 600 "$tmp/$1")"; fi
}
summary() {
  printf '%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
  [ "$failed" -eq 0 ]
}
