#!/bin/sh
# Self-test of the Terraform oracles (check.sh, hclcheck.go, schema.js): shows
# that they pass a good module and, just as important, that each can fail.
#
#   tests/terraform/selftest.sh [--strict]
#
# fixtures/good must pass every check. Each fixtures/bad-* module has one
# defect: check.sh must fail it in the expected check with a message holding
# the expected text, report exactly one problem (bad-syntax: one per parser)
# and pass or skip the other checks. Then facts.js checks what schema.js
# rebuilds for the resource types sfc writes, and `schema.js --selfcheck`
# compares the loader with the generator's own comments over every type.
# A case whose check is skipped here (no terraform, Go or package) counts as
# skipped; with --strict as failed. Ends with "N passed, N failed, N skipped".
set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 2
strict=
[ "${1:-}" = --strict ] && strict=--strict

passed=0 failed=0 skipped=0
pass() { echo "ok $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() {
    if [ -n "$strict" ]; then fail "$* (skipped, --strict)"; else echo "skip $*"; skipped=$((skipped + 1)); fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# check.sh on one module: $tmp/out, $tmp/err, $rc; $problems from the summary
run_check() {
    sh ./check.sh "fixtures/$1" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    problems=$(sed -n 's/^summary: .* problems=\([0-9]*\)$/\1/p' "$tmp/out")
}
skipped_check() { grep -q "^$1: skipped: " "$tmp/out"; }

# 1. the good module
run_check good
if [ $rc = 0 ] && [ "$problems" = 0 ] && ! grep -q '^FAIL ' "$tmp/out"; then
    if grep -q ': skipped: ' "$tmp/out"; then
        skip "good: passes what ran; $(grep ': skipped: ' "$tmp/out" | sort -u | tr '\n' ';')"
    else
        pass "good: passes terraform fmt, hclcheck and schema"
    fi
else
    fail "good: check.sh exited $rc with ${problems:-no summary} problems:"
    sed 's/^/    /' "$tmp/out"
fi

# 2. the bad ones: fixture, failing check, problems, expected text
while IFS='|' read -r name check count text; do
    case $name in '' | '#'*) continue ;; esac
    [ -d "fixtures/$name" ] || { fail "$name: no fixtures/$name"; continue; }
    run_check "$name"
    skipname=$check
    [ "$check" = fmt ] && skipname="terraform fmt"
    if skipped_check "$skipname"; then
        skip "$name: $(grep "^$skipname: skipped: " "$tmp/out" | head -1)"
        continue
    fi
    # bad-syntax: terraform fmt parses too and reports it when it runs, and
    # the schema check cannot run on a module that does not parse
    allowed="^FAIL $check fixtures/$name"
    if [ "$count" = parsers ]; then
        if skipped_check "terraform fmt"; then count=1; else count=2; fi
        allowed="$allowed|^FAIL fmt |^FAIL schema .*\(not run: hclcheck -json failed"
    fi
    others=$(grep '^FAIL ' "$tmp/out" | grep -E -v "$allowed" | head -1)
    if [ $rc != 1 ]; then
        fail "$name: check.sh exited $rc, expected 1"
    elif ! grep -q "^FAIL $check fixtures/$name" "$tmp/out"; then
        fail "$name: $check did not fail"
    elif ! grep -F -q -- "$text" "$tmp/out"; then
        fail "$name: no problem line containing: $text"
    elif [ "$problems" != "$count" ]; then
        fail "$name: $problems problems, expected $count"
    elif [ -n "$others" ]; then
        fail "$name: another check failed too: $others"
    else
        pass "$name: $check reports: $text"
        continue
    fi
    sed 's/^/    /' "$tmp/out"
done <<'EOF'
# fixture|check that fails|problems|text of the problem line
bad-unknown-argument|schema|1|aws_cloudwatch_log_group.machine: unknown argument retention
bad-missing-argument|schema|1|aws_iam_role_policy.machine: missing required argument role
bad-nested-missing-argument|schema|1|aws_cloudwatch_event_target.orders.input_transformer: missing required argument input_template
bad-missing-block|schema|1|aws_scheduler_schedule.nightly: missing required block flexible_time_window
bad-computed-attribute|schema|1|main.tf:4: aws_cloudwatch_log_group.machine: arn is a computed attribute; it cannot be set
bad-unknown-block|schema|1|main.tf:15: aws_cloudwatch_event_target.orders: unknown block retry
bad-two-single-blocks|schema|1|at most one retry_policy block is allowed
bad-block-as-argument|schema|1|logging_configuration is a block, not an argument
bad-attribute-reference|schema|1|aws_sqs_queue.dlq: no attribute queue_url to refer to
bad-unresolved-reference|hclcheck|1|main.tf:4:16: unresolved reference aws_iam_role.missing
bad-undeclared-variable|hclcheck|1|main.tf:4:23: unresolved reference var.retention
bad-missing-template|hclcheck|1|templatefile(): file orders.asl.json.tftpl not found in the module
bad-template-variable|hclcheck|1|orders.asl.json.tftpl:5:54: template variable region is not among the templatefile() vars
bad-syntax|hclcheck|parsers|main.tf:2:35: Unclosed configuration block
bad-fmt|fmt|1|main.tf:3: terraform fmt: not in canonical format
EOF

# 3. the schema loader: known facts, then every type against the comments
if ! command -v node >/dev/null 2>&1 || ! node -e "require.resolve('@cdktf/provider-aws/package.json')" >/dev/null 2>&1; then
    skip "facts.js and schema.js --selfcheck: no node or @cdktf/provider-aws (scripts/install-deps --test)"
    skip "schema.js --selfcheck"
else
    json=
    hclcheck=${BUILD:-$here/../../build/terraform}/hclcheck
    [ -x "$hclcheck" ] && "$hclcheck" -json fixtures/good >"$tmp/good.json" 2>/dev/null && json=$tmp/good.json
    if node facts.js ${json:+"$json"} >"$tmp/facts" 2>&1; then
        pass "facts.js: $(tail -1 "$tmp/facts")$([ -n "$json" ] || echo ' (no hclcheck: without the JSON facts)')"
    else
        fail "facts.js:"
        grep -v '^ok ' "$tmp/facts" | sed 's/^/    /'
    fi
    if node schema.js --selfcheck >"$tmp/self" 2>&1; then
        pass "schema.js --selfcheck: $(tail -1 "$tmp/self")"
    else
        fail "schema.js --selfcheck:"
        sed 's/^/    /' "$tmp/self" | head -40
    fi
fi

echo "terraform-oracles: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
