#!/bin/sh
# Self-test of the ASL oracle (validate-asl.js): shows that it passes known-good
# machines and, just as important, that it can fail.
#
#   tests/oracles/selftest.sh
#
# samples/ok-*.asl.json  must pass; samples/bad-*.asl.json must fail.
# Samples named *.no-statelint.asl.json use ASL fields newer than statelint
# knows (QueryLanguage, Arguments, Items...): they are given after
# --no-statelint, and the ok ones among them must FAIL when statelint is on.
# Prints one ok/FAIL line per check and a closing "N passed, N failed" line;
# exits non-zero if any check failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 2
validator=validate-asl.js

if ! command -v node >/dev/null 2>&1; then
    echo "selftest: node not found (scripts/install-deps --test)" >&2
    exit 2
fi
if [ ! -d ../node_modules ]; then
    echo "selftest: tests/node_modules missing (scripts/install-deps --test)" >&2
    exit 2
fi

passed=0
failed=0
pass() { echo "ok $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

plain=
nosl=
for f in samples/*.asl.json; do
    [ -e "$f" ] || continue
    case $f in
        *.no-statelint.asl.json) nosl="$nosl $f" ;;
        *) plain="$plain $f" ;;
    esac
done
if [ -z "$plain$nosl" ]; then
    echo "selftest: no samples found in $here/samples" >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# 1. All samples in one run.
# shellcheck disable=SC2086 # word splitting of file lists is intended
node "$validator" $plain ${nosl:+--no-statelint $nosl} >"$tmp/all" 2>"$tmp/err"
rc=$?
for f in $plain $nosl; do
    name=$(basename "$f")
    n=$(grep -c -e "^ok $f\$" -e "^FAIL $f: " "$tmp/all")
    if [ "$n" != 1 ]; then
        fail "$f: expected exactly one result line, got $n"
        continue
    fi
    case $name in
        ok-*)
            if grep -q "^ok $f\$" "$tmp/all"; then
                pass "$f (valid, accepted)"
            else
                fail "$f (valid, rejected): $(grep "^FAIL $f: " "$tmp/all")"
            fi ;;
        bad-*)
            if grep -q "^FAIL $f: " "$tmp/all"; then
                pass "$f (invalid, rejected)"
            else
                fail "$f (invalid, accepted)"
            fi ;;
        *) fail "$f: sample name must start with ok- or bad-" ;;
    esac
done
if [ "$rc" = 1 ]; then
    pass "exit status 1 when some file fails"
else
    fail "exit status $rc when some file fails (want 1); stderr: $(cat "$tmp/err")"
fi

# 2. Each validator is seen failing on its own.
for v in asl-validator statelint; do
    if grep -q "^FAIL [^ ]*: \(.* | \)\{0,1\}$v: " "$tmp/all"; then
        pass "validator $v reports failures"
    else
        fail "validator $v never reported a failure"
    fi
done

# 3. Only the valid samples: exit status 0.
oks=
for f in $plain; do case $(basename "$f") in ok-*) oks="$oks $f" ;; esac; done
oknosl=
for f in $nosl; do case $(basename "$f") in ok-*) oknosl="$oknosl $f" ;; esac; done
# shellcheck disable=SC2086
node "$validator" $oks ${oknosl:+--no-statelint $oknosl} >"$tmp/ok" 2>&1
rc=$?
if [ "$rc" = 0 ]; then
    pass "exit status 0 when every file passes"
else
    fail "exit status $rc when every file passes (want 0): $(grep -v '^ok ' "$tmp/ok")"
fi

# 4. --no-statelint matters: the newer-ASL valid samples fail under statelint.
for f in $oknosl; do
    if node "$validator" "$f" >"$tmp/one" 2>&1; then
        fail "$f passes even with statelint on (drop .no-statelint from its name?)"
    elif grep -q "statelint: " "$tmp/one"; then
        pass "$f rejected by statelint without --no-statelint"
    else
        fail "$f: unexpected failure: $(cat "$tmp/one")"
    fi
done

# 5. The Ajv cache in validate-asl.js changes nothing but speed.
# shellcheck disable=SC2086
SFC_ORACLE_NO_AJV_CACHE=1 node "$validator" $plain ${nosl:+--no-statelint $nosl} >"$tmp/nocache" 2>&1
if cmp -s "$tmp/all" "$tmp/nocache"; then
    pass "same results with SFC_ORACLE_NO_AJV_CACHE=1"
else
    fail "results differ with SFC_ORACLE_NO_AJV_CACHE=1: $(diff "$tmp/all" "$tmp/nocache" | head -5)"
fi

# 6. Usage errors exit 2.
node "$validator" >/dev/null 2>&1
rc=$?
if [ "$rc" = 2 ]; then pass "no files: exit status 2"; else fail "no files: exit status $rc (want 2)"; fi

echo "selftest: $passed passed, $failed failed"
[ "$failed" = 0 ]
