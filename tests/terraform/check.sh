#!/bin/sh
# Checks Terraform modules (as `sfc FILE.sf -o DIR` writes them) with three
# oracles, none of which needs the network or a provider download:
#   fmt      terraform fmt -check: the files are in canonical format
#            (skipped when there is no terraform on PATH: Debian has none);
#   hclcheck hclcheck.go: HCL syntax, references, template files
#            (Go and Debian's HCL library; scripts/install-deps --test);
#   schema   schema.js on `hclcheck -json`: the AWS provider's schema
#            (node and @cdktf/provider-aws in tests/node_modules).
#
#   tests/terraform/check.sh [--strict] DIR...
#
# Prints one line per problem (FILE:LINE[:COL]: MESSAGE; terraform fmt's diff
# goes to stderr), a status line per check and module ("ok NAME DIR",
# "FAIL NAME DIR", or "NAME: skipped: WHY"), and last a summary line:
#   summary: modules=N passed=N failed=N skipped=N problems=N
# where passed/failed/skipped count checks (three per module). Exits 1 if a
# check failed, or with --strict if one was skipped; 2 on a usage error.
# The hclcheck binary is built into $BUILD (default build/terraform in the
# repository) and rebuilt when hclcheck.go is newer.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$root/build/terraform}
HCL_SRC=/usr/share/gocode/src/github.com/hashicorp/hcl/v2

strict=0
if [ "${1:-}" = --strict ]; then
    strict=1
    shift
fi
if [ $# = 0 ]; then
    echo "usage: tests/terraform/check.sh [--strict] DIR..." >&2
    exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

modules=0 passed=0 failed=0 skipped=0 problems=0
ok() { echo "ok $1 $2"; passed=$((passed + 1)); }
fail() { echo "FAIL $1 $2${3:+ ($3)}"; failed=$((failed + 1)); }
skip() { echo "$1: skipped: $2"; skipped=$((skipped + 1)); }
# problem lines: print them and count them
show() {
    [ -s "$1" ] || return 0
    cat "$1"
    problems=$((problems + $(wc -l <"$1")))
}

# ---- which oracles can run ----

fmt_skip=
command -v terraform >/dev/null 2>&1 || fmt_skip="no terraform on PATH"

hcl_skip='' hcl_broken=''
hclcheck=$BUILD/hclcheck
if [ ! -x "$hclcheck" ] || [ -n "$(find "$here/hclcheck.go" -newer "$hclcheck" 2>/dev/null)" ]; then
    if ! command -v go >/dev/null 2>&1; then
        hcl_skip="no go on PATH (scripts/install-deps --test)"
    elif [ ! -d "$HCL_SRC" ]; then
        hcl_skip="no $HCL_SRC (golang-github-hashicorp-hcl-v2-dev; scripts/install-deps --test)"
    else
        mkdir -p "$BUILD"
        if ! (cd "$here" && GO111MODULE=off GOPATH=/usr/share/gocode \
                GOCACHE="${GOCACHE:-$BUILD/go-cache}" go build -o "$hclcheck" hclcheck.go) >"$tmp/build" 2>&1; then
            sed 's/^/hclcheck build: /' "$tmp/build"
            hcl_broken="hclcheck.go does not build"
        fi
    fi
fi

schema_skip=
if [ -n "$hcl_skip" ]; then
    schema_skip="needs hclcheck -json, and hclcheck is skipped"
elif ! command -v node >/dev/null 2>&1; then
    schema_skip="no node on PATH (scripts/install-deps --test)"
elif ! (cd "$here" && node -e "require.resolve('@cdktf/provider-aws/package.json')") >/dev/null 2>&1; then
    schema_skip="@cdktf/provider-aws is not installed in tests/node_modules (scripts/install-deps --test)"
fi

# ---- the checks ----

# terraform fmt: a diff per file becomes FILE:LINE (its first changed line);
# an error (terraform fmt parses too) becomes FILE:LINE: MESSAGE.
check_fmt() {
    # run in DIR: terraform prints paths relative to its working directory
    (cd "$1" && terraform fmt -no-color -check -recursive -diff .) >"$tmp/fmt" 2>"$tmp/fmt.err"
    rc=$?
    if [ $rc = 0 ]; then
        ok fmt "$1"
        return
    fi
    awk -v dir="${1%/}" '
        /^--- old\// { file = dir "/" substr($0, 9); sub(/\/\.\//, "/", file); line = 0; next }
        /^\+\+\+ / { next }
        /^@@ / { split($2, a, ","); line = -a[1]; if (line < 1) line = 1; next }
        file != "" && line > 0 && /^[-+]/ { print file ":" line ": terraform fmt: not in canonical format (the diff is on stderr)"; file = ""; next }
        file != "" && line > 0 { line++ }
    ' "$tmp/fmt" >"$tmp/fmt.problems"
    awk -v dir="${1%/}" '
        /^Error: / { msg = substr($0, 8); next }
        msg != "" && /^  on .* line [0-9]+/ {
            l = $4; gsub(/[^0-9]/, "", l); f = dir "/" $2; sub(/\/\.\//, "/", f)
            print f ":" l ": terraform fmt: " msg; msg = ""
        }
        END { if (msg != "") print "terraform fmt: " msg }
    ' "$tmp/fmt.err" >>"$tmp/fmt.problems"
    if [ ! -s "$tmp/fmt.problems" ]; then
        echo "$1: terraform fmt exited with $rc" >"$tmp/fmt.problems"
    fi
    show "$tmp/fmt.problems"
    sed 's/^/  /' "$tmp/fmt" >&2
    fail fmt "$1"
}

check_hcl() {
    "$hclcheck" "$1" >"$tmp/hcl" 2>&1
    rc=$?
    show "$tmp/hcl"
    if [ $rc = 0 ]; then ok hclcheck "$1"; else fail hclcheck "$1"; fi
}

check_schema() {
    if ! "$hclcheck" -json "$1" >"$tmp/module.json" 2>/dev/null; then
        fail schema "$1" "not run: hclcheck -json failed, see hclcheck"
        return
    fi
    (cd "$here" && node schema.js "$tmp/module.json") >"$tmp/schema" 2>"$tmp/schema.err"
    rc=$?
    show "$tmp/schema"
    sed 's/^/schema.js: /' "$tmp/schema.err"
    case $rc in
        0) ok schema "$1" ;;
        1) fail schema "$1" ;;
        *) fail schema "$1" "schema.js exited with $rc" ;;
    esac
}

for dir in "$@"; do
    modules=$((modules + 1))
    if [ ! -d "$dir" ]; then
        echo "$dir: not a directory"
        problems=$((problems + 1))
        fail fmt "$dir"; fail hclcheck "$dir"; fail schema "$dir"
        continue
    fi
    if [ -n "$fmt_skip" ]; then skip "terraform fmt" "$fmt_skip"; else check_fmt "$dir"; fi
    if [ -n "$hcl_skip" ]; then
        skip hclcheck "$hcl_skip"
    elif [ -n "$hcl_broken" ]; then
        fail hclcheck "$dir" "$hcl_broken"
    else
        check_hcl "$dir"
    fi
    if [ -n "$schema_skip" ]; then
        skip schema "$schema_skip"
    elif [ -n "$hcl_broken" ]; then
        fail schema "$dir" "$hcl_broken"
    else
        check_schema "$dir"
    fi
done

echo "summary: modules=$modules passed=$passed failed=$failed skipped=$skipped problems=$problems"
if [ "$failed" -gt 0 ] || { [ "$strict" = 1 ] && [ "$skipped" -gt 0 ]; }; then
    exit 1
fi
exit 0
