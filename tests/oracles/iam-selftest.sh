#!/bin/sh
# Self-test of the IAM oracle (iam-check.js): shows that it passes known-good
# policies and, just as important, that it can fail, each time for the
# expected reason.
#
#   tests/oracles/iam-selftest.sh
#
# iam-samples/ok-*.cases.json must pass completely.
# iam-samples/bad-*.cases.json must fail, and iam-samples/bad-NAME.expect lists
# what must be reported, one fixed string a line ('#' lines are comments):
#   - every string must occur in a "FAIL FILE: " line for that CASES file, and
#     every such FAIL line must contain one of the strings;
#   - a string starting with "ok " must occur (without the "ok ") in an
#     "ok FILE: " line for that file.
# Prints one ok/FAIL line per check and a closing "N passed, N failed" line;
# exits non-zero if any check failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 2
checker=iam-check.js
samples=iam-samples

if ! command -v node >/dev/null 2>&1; then
    echo "iam-selftest: node not found (scripts/install-deps --test)" >&2
    exit 2
fi
if [ ! -d ../node_modules/@cloud-copilot/iam-simulate ]; then
    echo "iam-selftest: tests/node_modules lacks @cloud-copilot/iam-simulate (npm ci in tests/)" >&2
    exit 2
fi

passed=0
failed=0
pass() { echo "ok $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

oks=
bads=
for f in "$samples"/*.cases.json; do
    [ -e "$f" ] || continue
    case $(basename "$f") in
        ok-*) oks="$oks $f" ;;
        bad-*) bads="$bads $f" ;;
        *) fail "$f: sample name must start with ok- or bad-" ;;
    esac
done
if [ -z "$oks" ] || [ -z "$bads" ]; then
    echo "iam-selftest: need both ok-* and bad-* samples in $here/$samples" >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# lines FILE KIND OUT: the result lines of CASES file FILE, with their
# "KIND FILE: " prefix removed (KIND: ok or FAIL)
lines() {
    awk -v p="$2 $1: " 'index($0, p) == 1 { print substr($0, length(p) + 1) }' "$3"
}

# 1. All samples in one run: exit 1, every file reported, honest summary.
# shellcheck disable=SC2086 # word splitting of file lists is intended
node "$checker" $oks $bads >"$tmp/all" 2>"$tmp/err"
rc=$?
if [ "$rc" = 1 ]; then
    pass "exit status 1 when some check fails"
else
    fail "exit status $rc when some check fails (want 1); stderr: $(cat "$tmp/err")"
fi
nok=$(grep -c '^ok ' "$tmp/all")
nfail=$(grep -c '^FAIL ' "$tmp/all")
if [ "$(tail -n 1 "$tmp/all")" = "iam: $nok passed, $nfail failed" ]; then
    pass "summary line matches the $nok ok and $nfail FAIL lines"
else
    fail "summary line '$(tail -n 1 "$tmp/all")' does not match $nok ok and $nfail FAIL lines"
fi
other=$(grep -v -e '^ok ' -e '^FAIL ' -e '^iam: ' "$tmp/all")
if [ -z "$other" ]; then
    pass "every output line is ok, FAIL or the summary"
else
    fail "unexpected output lines: $(echo "$other" | head -3)"
fi

# 2. Good samples: nothing fails, and both allow and deny results occur.
for f in $oks; do
    lines "$f" FAIL "$tmp/all" >"$tmp/f"
    n=$(lines "$f" ok "$tmp/all" | wc -l)
    if [ -s "$tmp/f" ]; then
        fail "$f (good) has failures: $(head -3 "$tmp/f")"
    elif [ "$n" -eq 0 ]; then
        fail "$f (good) reported nothing"
    else
        pass "$f (good): $n checks pass"
    fi
done
for result in allow deny; do
    if grep -q "^ok $samples/ok-.* -> .*$result\$" "$tmp/all"; then
        pass "good samples include checks that expect $result"
    else
        fail "good samples have no check that expects $result"
    fi
done

# 3. Bad samples: exactly the expected failures.
for f in $bads; do
    exp=${f%.cases.json}.expect
    if [ ! -f "$exp" ]; then
        fail "$f: no $exp"
        continue
    fi
    lines "$f" FAIL "$tmp/all" >"$tmp/f"
    lines "$f" ok "$tmp/all" >"$tmp/o"
    grep -v -e '^#' -e '^[[:space:]]*$' "$exp" | grep -v '^ok ' >"$tmp/want-fail"
    grep '^ok ' "$exp" | sed 's/^ok //' >"$tmp/want-ok"
    bad=0
    while IFS= read -r want; do
        if ! grep -q -F -e "$want" "$tmp/f"; then
            fail "$f: no FAIL line contains: $want"
            bad=1
        fi
    done <"$tmp/want-fail"
    while IFS= read -r want; do
        if ! grep -q -F -e "$want" "$tmp/o"; then
            fail "$f: no ok line contains: $want"
            bad=1
        fi
    done <"$tmp/want-ok"
    if [ -s "$tmp/want-fail" ]; then
        grep -v -F -f "$tmp/want-fail" "$tmp/f" >"$tmp/extra"
    else
        cp "$tmp/f" "$tmp/extra"
    fi
    if [ -s "$tmp/extra" ]; then
        fail "$f: unexpected FAIL line: $(head -1 "$tmp/extra")"
        bad=1
    fi
    if [ ! -s "$tmp/f" ]; then
        fail "$f (bad) did not fail"
        bad=1
    fi
    [ "$bad" = 0 ] && pass "$f (bad): the $(wc -l <"$tmp/f" | tr -d ' ') expected failures, no others"
done

# 4. Exit statuses of single runs.
# shellcheck disable=SC2086
node "$checker" $oks >"$tmp/ok" 2>&1
rc=$?
if [ "$rc" = 0 ]; then
    pass "exit status 0 when every check passes"
else
    fail "exit status $rc when every check passes (want 0): $(grep -v '^ok ' "$tmp/ok" | head -3)"
fi
for f in $bads; do
    node "$checker" "$f" >"$tmp/one" 2>&1
    rc=$?
    if [ "$rc" = 1 ]; then
        pass "$f alone: exit status 1"
    else
        fail "$f alone: exit status $rc (want 1)"
    fi
done

# 5. Usage errors exit 2 (and print no results).
usage_case() { # NAME CASES-JSON
    printf '%s\n' "$2" >"$tmp/usage.cases.json"
    cp "$samples/ok-events-role.policy.json" "$tmp/p.json"
    node "$checker" "$tmp/usage.cases.json" >"$tmp/u.out" 2>"$tmp/u.err"
    rc=$?
    if [ "$rc" = 2 ] && [ ! -s "$tmp/u.out" ] && [ -s "$tmp/u.err" ]; then
        pass "usage error, $1: exit status 2"
    else
        fail "usage error, $1: exit status $rc (want 2), stdout: $(head -1 "$tmp/u.out")"
    fi
}
node "$checker" >/dev/null 2>&1
rc=$?
if [ "$rc" = 2 ]; then pass "no files: exit status 2"; else fail "no files: exit status $rc (want 2)"; fi
node "$checker" --frobnicate "$samples/ok-dlq.cases.json" >/dev/null 2>&1
rc=$?
if [ "$rc" = 2 ]; then pass "unknown option: exit status 2"; else fail "unknown option: exit status $rc (want 2)"; fi
usage_case "CASES not JSON" '{"policies": '
usage_case "unknown policy name" '{"policies": {"p": "p.json"}, "checks": [{"policy": "q", "action": "states:StartExecution", "resource": "arn:aws:states:us-east-1:123456789012:stateMachine:orders", "expect": "allow"}]}'
usage_case "bad expect" '{"policies": {"p": "p.json"}, "checks": [{"policy": "p", "action": "states:StartExecution", "resource": "arn:aws:states:us-east-1:123456789012:stateMachine:orders", "expect": "yes"}]}'
usage_case "unknown kind" '{"policies": {"p": "p.json"}, "checks": [{"policy": "p", "kind": "session", "action": "states:StartExecution", "resource": "arn:aws:states:us-east-1:123456789012:stateMachine:orders", "expect": "allow"}]}'
usage_case "trust check without principal" '{"policies": {"p": "p.json"}, "checks": [{"policy": "p", "kind": "trust", "action": "sts:AssumeRole", "expect": "allow"}]}'
usage_case "resource pattern in a check" '{"policies": {"p": "p.json"}, "checks": [{"policy": "p", "action": "states:StartExecution", "resource": "arn:aws:states:us-east-1:123456789012:stateMachine:*", "expect": "allow"}]}'
usage_case "typed action without resource" '{"policies": {"p": "p.json"}, "checks": [{"policy": "p", "action": "states:StartExecution", "expect": "allow"}]}'
usage_case "policy used as two kinds" '{"policies": {"p": "p.json"}, "checks": [{"policy": "p", "kind": "trust", "principal": {"Service": "events.amazonaws.com"}, "action": "sts:AssumeRole", "expect": "deny"}, {"policy": "p", "action": "states:StartExecution", "resource": "arn:aws:states:us-east-1:123456789012:stateMachine:orders", "expect": "allow"}]}'

echo "iam-selftest: $passed passed, $failed failed"
[ "$failed" = 0 ]
