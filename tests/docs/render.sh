#!/bin/sh
# Renders the diagrams of sfc docs output to PNG, to look at them as a person
# would: every .mmd with the Mermaid CLI (mmdc, driving Debian's chromium)
# into OUTDIR/NAME.mmd.png, every .dot with Graphviz (dot -Tpng) into
# OUTDIR/NAME.dot.png. Not part of make test (a Mermaid render takes seconds).
#
#   tests/docs/render.sh DIR OUTDIR
#
# Needs dot and /usr/bin/chromium (Debian packages graphviz, chromium). The
# Mermaid CLI is pinned in tests/docs/render/package-lock.json and installed
# on first use into build/docs-render (~500 MB; PUPPETEER_SKIP_DOWNLOAD=1,
# since puppeteer would download a browser of its own); it is kept out of
# tests/package.json because its install is large and, without that
# variable, fails: puppeteer's install script needs the network.
# Prints each PNG written and last "render: N passed, N failed"; exits 1 if
# a file did not render, 2 when a tool is missing.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# != 2 ] || [ ! -d "$1" ]; then
    echo "usage: tests/docs/render.sh DIR OUTDIR" >&2
    exit 2
fi
dir=$1 out=$2
chromium=/usr/bin/chromium
[ -x "$chromium" ] || { echo "render: no $chromium (apt-get install chromium)" >&2; exit 2; }
command -v dot >/dev/null 2>&1 || { echo "render: no dot on PATH (apt-get install graphviz)" >&2; exit 2; }

# the Mermaid CLI, installed when missing or older than its lock file
cli=$root/build/docs-render
if [ ! -x "$cli/node_modules/.bin/mmdc" ] || [ -n "$(find "$here/render/package-lock.json" -newer "$cli/node_modules" 2>/dev/null)" ]; then
    mkdir -p "$cli"
    cp "$here/render/package.json" "$here/render/package-lock.json" "$cli/"
    echo "render: npm ci in $cli" >&2
    (cd "$cli" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund >&2) \
        || { echo "render: npm ci failed in $cli" >&2; exit 2; }
    touch "$cli/node_modules"
fi
cat >"$cli/puppeteer.json" <<EOF
{
  "executablePath": "$chromium",
  "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"]
}
EOF

mkdir -p "$out"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT INT TERM
passed=0 failed=0
result() { # result RC PNG
    if [ "$1" = 0 ] && [ -s "$2" ]; then
        echo "$2"; passed=$((passed + 1))
    else
        echo "FAIL $2:"; sed 's/^/    /' "$tmp"; failed=$((failed + 1))
    fi
}
for f in $(find "$dir" -type f -name '*.mmd' | sort); do
    png=$out/$(basename "$f").png
    "$cli/node_modules/.bin/mmdc" -q -p "$cli/puppeteer.json" -b white -s 2 -i "$f" -o "$png" >"$tmp" 2>&1
    result $? "$png"
done
for f in $(find "$dir" -type f -name '*.dot' | sort); do
    png=$out/$(basename "$f").png
    dot -Tpng "$f" -o "$png" >"$tmp" 2>&1
    result $? "$png"
done
echo "render: $passed passed, $failed failed"
[ "$failed" = 0 ]
