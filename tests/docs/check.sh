#!/bin/sh
# Checks the documentation `sfc docs` writes (W.md, W.mmd, W.dot per workflow,
# README.md, system.mmd, system.dot) with the real tools, so that what a
# person opens renders:
#   dot        every *.dot renders with Graphviz (dot -Tsvg): exit 0 and
#              nothing on stderr, since dot's warnings are real faults
#              (unknown color, shape or arrow, a badly delimited number);
#   dot-attrs  every attribute in a *.dot is one Graphviz documents, on a kind
#              of object that uses it (dot-attrs.js: dot ignores the others);
#   mermaid    every *.mmd, and every ```mermaid block of every *.md, parses
#              with the Mermaid library (mermaid-parse.mjs);
#   links      every relative link of every *.md reaches an existing file
#              and, with #anchor, a heading or <a id> there (links.js).
#
#   tests/docs/check.sh DIR...
#
# Prints one line per problem (FILE:LINE: MESSAGE), "docs: skipped: WHY" for
# a check that cannot run here (no graphviz, node, or npm packages: run
# scripts/install-deps --test), and last "docs: N passed, N failed" (", N
# skipped" when checks were skipped), counting checks: one per file per
# check. Exits 1 if a check failed, 2 on a usage error.
set -u

here=$(cd "$(dirname "$0")" && pwd)
modules=$here/../node_modules
if [ $# = 0 ]; then
    echo "usage: tests/docs/check.sh DIR..." >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0 failed=0 skipped=0
skip() { # skip N WHY
    skipped=$((skipped + $1))
    grep -qxF "$2" "$tmp/skips" 2>/dev/null || { echo "$2" >>"$tmp/skips"; echo "docs: skipped: $2"; }
}

# ---- what can run here ----
dot_skip= node_skip= mermaid_skip=
command -v dot >/dev/null 2>&1 || dot_skip="no dot on PATH (Debian package graphviz)"
command -v node >/dev/null 2>&1 || node_skip="no node on PATH"
if [ -n "$node_skip" ]; then
    mermaid_skip=$node_skip
elif [ ! -d "$modules/mermaid" ] || [ ! -d "$modules/jsdom" ]; then
    mermaid_skip="mermaid or jsdom is not in tests/node_modules (npm ci in tests/)"
fi

# ---- the files ----
: >"$tmp/dot"; : >"$tmp/mmd"; : >"$tmp/md"
for dir in "$@"; do
    if [ ! -d "$dir" ]; then
        echo "$dir: not a directory"; failed=$((failed + 1)); continue
    fi
    find "$dir" -type f -name '*.dot' | sort >>"$tmp/dot"
    find "$dir" -type f -name '*.mmd' | sort >>"$tmp/mmd"
    find "$dir" -type f -name '*.md' | sort >>"$tmp/md"
    if [ -z "$(find "$dir" -type f \( -name '*.dot' -o -name '*.mmd' -o -name '*.md' \))" ]; then
        echo "$dir: no .dot, .mmd or .md file"; failed=$((failed + 1))
    fi
done
count() { wc -l <"$1" | tr -d ' '; }

# ---- dot: renders, silently ----
# dot's messages, one per line (an HTML-label error takes three), with the
# file's line first where dot names one
dot_messages() {
    awk -v f="$1" '
        function flush(   m, line, key, p, n) {
            if (msg == "") return
            m = msg; line = ""; key = f ": syntax error in line "
            if ((p = index(m, key)) > 0) {
                n = substr(m, p + length(key)); line = n + 0
                m = substr(m, 1, p - 1) "syntax error" substr(n, length(line "") + 1)
            } else if (match(m, / in line [0-9]+ of /) && substr(m, RSTART + RLENGTH, length(f)) == f) {
                line = substr(m, RSTART + 9, RLENGTH - 13) + 0
                m = substr(m, 1, RSTART - 1) substr(m, RSTART + RLENGTH + length(f))
            }
            gsub(/[ \t]+/, " ", m)
            print f (line == "" ? "" : ":" line) ": dot: " m
            msg = ""
        }
        /^(Error|Warning)/ { flush(); msg = $0; next }
        { msg = msg " " $0 }
        END { flush() }'
}
if [ -n "$dot_skip" ]; then
    [ -s "$tmp/dot" ] && skip "$(count "$tmp/dot")" "dot: $dot_skip"
else
    while IFS= read -r f; do
        dot -Tsvg "$f" -o /dev/null 2>"$tmp/err"
        rc=$?
        if [ $rc = 0 ] && [ ! -s "$tmp/err" ]; then
            passed=$((passed + 1))
        else
            dot_messages "$f" <"$tmp/err"
            [ -s "$tmp/err" ] || echo "$f: dot: exited with $rc"
            failed=$((failed + 1))
        fi
    done <"$tmp/dot"
fi

# ---- the node checks: each prints problems and "NAME: N passed, N failed" ----
run_node() { # run_node NAME FILELIST SCRIPT
    [ -s "$2" ] || return 0
    # (xargs may run the script more than once: each run ends with a summary)
    tr '\n' '\0' <"$2" | xargs -0 node "$here/$3" >"$tmp/out" 2>"$tmp/err"
    pattern="^$1: [0-9]* passed, [0-9]* failed\$"
    grep -v "$pattern" "$tmp/out"
    # a script that writes to stderr has crashed, or been told something wrong
    if [ -s "$tmp/err" ]; then
        sed "s|^|$3: |" "$tmp/err"
        failed=$((failed + 1))
    fi
    runs=$(grep -c "$pattern" "$tmp/out")
    if [ "$runs" = 0 ]; then
        echo "$3: no summary line: all its $(count "$2") files fail"
        failed=$((failed + $(count "$2")))
        return
    fi
    passed=$((passed + $(grep "$pattern" "$tmp/out" | awk '{ s += $2 } END { print s }')))
    failed=$((failed + $(grep "$pattern" "$tmp/out" | awk '{ s += $4 } END { print s }')))
}
if [ -n "$node_skip" ]; then
    [ -s "$tmp/dot" ] && skip "$(count "$tmp/dot")" "dot-attrs: $node_skip"
else
    run_node dot-attrs "$tmp/dot" dot-attrs.js
fi
cat "$tmp/mmd" "$tmp/md" >"$tmp/diagrams"
if [ -n "$mermaid_skip" ]; then
    # the .mmd files and the .md files with a ```mermaid block
    n=$(count "$tmp/mmd")
    while IFS= read -r f; do
        grep -qE '^ {0,3}(`{3,}|~{3,}) *mermaid' "$f" && n=$((n + 1))
    done <"$tmp/md"
    [ "$n" -gt 0 ] && skip "$n" "mermaid: $mermaid_skip"
else
    run_node mermaid "$tmp/diagrams" mermaid-parse.mjs
fi
if [ -n "$node_skip" ]; then
    [ -s "$tmp/md" ] && skip "$(count "$tmp/md")" "links: $node_skip"
else
    run_node links "$tmp/md" links.js
fi

if [ "$skipped" -gt 0 ]; then
    echo "docs: $passed passed, $failed failed, $skipped skipped"
else
    echo "docs: $passed passed, $failed failed"
fi
[ "$failed" = 0 ]
