#!/bin/sh
# Self-test of the docs oracles (check.sh and the scripts it runs): they pass
# a good set of files and, just as important, each of them can fail.
#
#   tests/docs/selftest.sh
#
# fixtures/good must pass every check with no problem line. Each
# fixtures/bad-* holds one defect: check.sh must exit 1, fail the expected
# number of checks, and print exactly that many problem lines, one holding
# the expected text (file and line included). Then every claim of
# escaping.mjs (the rules of ESCAPING.md) must hold, and dot-attrs.txt must
# be what gen-dot-attrs.js makes of the installed graphviz-doc (skipped,
# with a line saying so, without it).
# A case whose check is skipped here counts as failed: the fixtures are
# there to show the checks run. Ends with "docs-oracles: N passed, N failed".
set -u

here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 2

passed=0 failed=0
pass() { echo "ok $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# check.sh on one fixture: $tmp/out, $rc, $nfailed, $problems (line count)
run_check() {
    sh ./check.sh "fixtures/$1" >"$tmp/out" 2>&1
    rc=$?
    nfailed=$(sed -n '$s/^docs: [0-9]* passed, \([0-9]*\) failed.*$/\1/p' "$tmp/out")
    grep -v '^docs: ' "$tmp/out" >"$tmp/problems"
    problems=$(wc -l <"$tmp/problems" | tr -d ' ')
}

# 1. the good set
run_check good
if grep -q '^docs: skipped: ' "$tmp/out"; then
    fail "good: checks skipped: $(grep '^docs: skipped: ' "$tmp/out" | tr '\n' ' ')"
elif [ $rc = 0 ] && [ "$nfailed" = 0 ] && [ "$problems" = 0 ]; then
    pass "good: $(tail -n 1 "$tmp/out")"
else
    fail "good: check.sh exited $rc:"
    sed 's/^/    /' "$tmp/out"
fi

# 2. one defect each: fixture, failed checks, text of a problem line
while IFS='|' read -r name count text; do
    case $name in '' | '#'*) continue ;; esac
    [ -d "fixtures/$name" ] || { fail "$name: no fixtures/$name"; continue; }
    run_check "$name"
    if grep -q '^docs: skipped: ' "$tmp/out"; then
        fail "$name: checks skipped: $(grep '^docs: skipped: ' "$tmp/out" | tr '\n' ' ')"
    elif [ $rc != 1 ]; then
        fail "$name: check.sh exited $rc, expected 1"
        sed 's/^/    /' "$tmp/out"
    elif [ "$nfailed" != "$count" ] || [ "$problems" != "$count" ]; then
        fail "$name: ${nfailed:-no summary:} failed checks and $problems problem lines, expected $count"
        sed 's/^/    /' "$tmp/out"
    elif ! grep -F -q -- "$text" "$tmp/problems"; then
        fail "$name: no problem line containing: $text"
        sed 's/^/    /' "$tmp/out"
    else
        pass "$name: $text"
    fi
done <<'EOF'
# fixture|failed checks|text of a problem line
bad-dot-syntax|2|fixtures/bad-dot-syntax/w.dot:5: dot: Error: syntax error near '->'
bad-dot-unknown-attribute|1|fixtures/bad-dot-unknown-attribute/w.dot:5: unknown Graphviz attribute fontsise
bad-dot-wrong-object|1|fixtures/bad-dot-wrong-object/w.dot:5: attribute rank is not used on clusters
bad-dot-warning|1|fixtures/bad-dot-warning/w.dot: dot: Warning: dark-red is not a known color
bad-dot-html-label|1|w.dot: dot: Error: not well-formed (invalid token) in line 1 ... <HTML>Catch & retry
bad-mmd-syntax|1|fixtures/bad-mmd-syntax/w.mmd:4: Parse error: Expecting 'SQE'
bad-mmd-reserved-id|1|fixtures/bad-mmd-reserved-id/w.mmd:3: Parse error: Expecting
bad-md-mermaid|1|fixtures/bad-md-mermaid/w.md:15: Parse error: Expecting
bad-anchor|1|fixtures/bad-anchor/README.md:5: link w.md#state-check: no heading or <a id> with anchor #state-check
bad-link-file|1|fixtures/bad-link-file/README.md:3: link w.md: no file
EOF

# 3. the escaping rules still hold for the pinned Mermaid and this Graphviz
if node escaping.mjs >"$tmp/escaping" 2>&1; then
    pass "escaping.mjs: $(tail -n 1 "$tmp/escaping")"
else
    fail "escaping.mjs:"
    grep -v '^ok ' "$tmp/escaping" | sed 's/^/    /'
fi

# 4. dot-attrs.txt is the generator's output for the installed graphviz-doc
html=/usr/share/doc/graphviz/html/info/attrs.html
if [ ! -f "$html" ]; then
    echo "skip dot-attrs.txt regeneration: no $html (Debian package graphviz-doc)"
elif node gen-dot-attrs.js "$html" >"$tmp/attrs" 2>&1 && cmp -s "$tmp/attrs" dot-attrs.txt; then
    pass "dot-attrs.txt: gen-dot-attrs.js of $html gives it again"
else
    fail "dot-attrs.txt differs from gen-dot-attrs.js $html:"
    diff dot-attrs.txt "$tmp/attrs" | head -20 | sed 's/^/    /'
fi

echo "docs-oracles: $passed passed, $failed failed"
[ "$failed" = 0 ]
