#!/bin/sh
# The TextMate grammar grammar/editors/sf.tmLanguage.json: tests/editors/tokenize.js tokenizes
# every example, every golden test, the sfc test and simulate suites' files and
# tests/editors/lexical.sf (each lexical form once) with npm's vscode-textmate and
# vscode-oniguruma, as VS Code does, and checks the scopes; the error tests' files
# only must not stop the tokenizer. lexical.sf must itself be a valid program.
# Called by tests/run with $SFC set; ends with "editors: N passed, N failed", or
# "editors: skipped: WHY" without node or the npm packages.
. "$(dirname "$0")/../lib.sh"

if ! command -v node >/dev/null 2>&1; then
  echo "editors: skipped: node is not installed (scripts/install-deps --test)"; exit 0
fi
run 0 "$SFC" check tests/editors/lexical.sf

node tests/editors/tokenize.js tests/editors/lexical.sf examples/*.sf tests/compile/*.sf \
  tests/sftest/*.sf tests/simulate/*.sf --broken tests/errors/*.sf >"$tmp/tokenize" 2>&1
grep '^FAIL' "$tmp/tokenize"
line=$(tail -n 1 "$tmp/tokenize")
case $line in
  "tokenize: skipped: "*) echo "editors: skipped: ${line#tokenize: skipped: }"; exit 0 ;;
esac
p=$(printf '%s\n' "$line" | sed -n 's/^tokenize: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$line" | sed -n 's/^tokenize: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
  fail "tests/editors/tokenize.js: no summary"; cat "$tmp/tokenize"
else
  passed=$((passed + p)); failed=$((failed + f))
fi
summary editors
