#!/bin/sh
# --diagnostics=github and --diagnostics=sarif: exact outputs (the goldens NAME.github
# and NAME.sarif beside the fixtures) for errors, warnings, a note, several files,
# non-ASCII columns, --werror, standard input, escaping, a span over several lines,
# the error cap, a note without location and the ASL checker; every SARIF log
# validated against the SARIF 2.1.0 JSON schema (validate-sarif.js, with ajv).
# A .sarif golden is the run without its tool (jq '.runs[0] | del(.tool)'), but
# unicode.sarif, the whole log with the version as @VERSION@.
# Called by tests/run with $SFC set; ends with "diagnostics: N passed, N failed[, N skipped]".
# SFC_REGOLD=1 rewrites the goldens instead (then read the diff).
. "$(dirname "$0")/../lib.sh"
dir=tests/diagnostics
skipped=0
skip() { skipped=$((skipped + 1)); printf 'skipped: %s\n' "$*"; }

have_jq=1 have_node=1
command -v jq >/dev/null 2>&1 || { have_jq=0; echo "note: no jq: SARIF goldens are skipped"; }
if ! command -v node >/dev/null 2>&1; then have_node=0; echo "note: no node: SARIF validation is skipped"
elif [ ! -d tests/node_modules/ajv-draft-04 ] || [ ! -d tests/node_modules/@microsoft/jest-sarif ]; then
  have_node=0; echo "note: tests/node_modules lacks ajv-draft-04 or @microsoft/jest-sarif (scripts/install-deps --test)"
fi
version=$("$SFC" --version | sed 's/^sfc //')
logs=0 # SARIF logs kept for validation, $tmp/log-N.sarif

quiet() { # nothing on stderr
  if [ -s "$tmp/err" ]; then fail "stderr: $(head -c 600 "$tmp/err")"; else pass; fi
}
golden() { # golden FILE: stdout ($tmp/out) is FILE exactly
  if [ "${SFC_REGOLD:-0}" = 1 ]; then cp "$tmp/out" "$1"; pass; else out_file "$1"; fi
}

# github CODE NAME ARGS...: sfc check ARGS --diagnostics=github exits CODE, prints
# nothing on stderr and prints NAME.github
github() {
  code=$1 name=$2
  shift 2
  run "$code" "$SFC" check "$@" --diagnostics=github && quiet && golden "$dir/$name.github"
}

# sarif CODE NAME ARGS...: the same with SARIF; keeps the log for validation
sarif() {
  code=$1 name=$2
  shift 2
  run "$code" "$SFC" check "$@" --diagnostics=sarif && quiet || return
  logs=$((logs + 1))
  cp "$tmp/out" "$tmp/log-$logs.sarif"
  if [ "$have_jq" = 0 ]; then skip "$name.sarif: no jq"; return; fi
  if [ "$name" = unicode ]; then
    jq --arg v "$version" '(.runs[0].tool.driver.version | select(. == $v)) |= "@VERSION@"' \
      "$tmp/log-$logs.sarif" >"$tmp/out"
  else
    jq '.runs[0] | del(.tool)' "$tmp/log-$logs.sarif" >"$tmp/out"
  fi
  golden "$dir/$name.sarif"
}

both() { github "$@"; sarif "$@"; }

# errors and warnings; SARIF and GitHub count columns in characters (code points),
# where text and JSON count bytes (unicode.json)
both 1 unicode "$dir/unicode.sf"
run 1 "$SFC" check "$dir/unicode.sf" --diagnostics=json && golden "$dir/unicode.json"
# a warning made an error keeps its rule
both 1 werror "$dir/unicode.sf" --werror
# only warnings: exit 0
both 0 warnings "$dir/multi-a.sf"
# an error and its note, at another place
both 1 note "$dir/note.sf"
# two files: the error in the second points back at the first
both 1 multi "$dir/multi-a.sf" "$dir/multi-b.sf"
# the ASL checker
both 1 asl --asl "$dir/bad.json"
# standard input: no file to name, so GitHub's message says where, and SARIF makes
# its diagnostics notifications (code scanning rejects results it cannot place)
run 1 sh -c "\"$SFC\" check - --diagnostics=github <$dir/unicode.sf" && golden "$dir/stdin.github"
run 1 sh -c "\"$SFC\" check - --diagnostics=sarif <$dir/unicode.sf" && {
  logs=$((logs + 1)); cp "$tmp/out" "$tmp/log-$logs.sarif"
  if [ "$have_jq" = 1 ]; then jq '.runs[0] | del(.tool)' "$tmp/log-$logs.sarif" >"$tmp/out"; golden "$dir/stdin.sarif"
  else skip "stdin.sarif: no jq"; fi
}

# escaping: '%' ',' ':' in the file property, '%' in the message (run from $tmp,
# so the name is relative)
cp "$dir/escape.sf" "$tmp/we%ird,na:me.sf"
(cd "$tmp" && "$SFC" check 'we%ird,na:me.sf' --diagnostics=github >out 2>err)
has out "::error file=we%25ird%2Cna%3Ame.sf,line=4,col=13,endLine=4,endColumn=22,title=sfc::no state named '50%25, a:b' in workflow 'W'"
(cd "$tmp" && "$SFC" check 'we%ird,na:me.sf' --diagnostics=sarif >out 2>err)
has out '"uri": "we%25ird%2Cna%3Ame.sf"'
logs=$((logs + 1)); cp "$tmp/out" "$tmp/log-$logs.sarif"
# an absolute path is a file: URI, without a base
cp "$dir/escape.sf" "$tmp/ab c.sf"
run 1 "$SFC" check "$tmp/ab c.sf" --diagnostics=sarif && has out "\"uri\": \"file://$tmp/ab%20c.sf\""
logs=$((logs + 1)); cp "$tmp/out" "$tmp/log-$logs.sarif"
grep -q uriBaseId "$tmp/out" && fail "an absolute file: URI has a uriBaseId" || pass

# a span over several lines: SARIF has its end; GitHub takes columns only on one line
{
  printf 'aws { account "123456789012" region "us-east-1" }\nlambda work = "work"\nworkflow W {\n'
  printf '  on pattern {\n    "source": ["acme.e"],\n    "detail": {\n'
  for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40; do
    printf '      "k%s": ["vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"],\n' "$k"
  done
  printf '      "end": ["v"]\n    }\n  }\n  task Work invoke work retry any\n}\n'
} >"$tmp/long.sf"
run 0 "$SFC" check "$tmp/long.sf" --diagnostics=github && out_is "::warning file=$tmp/long.sf,line=4,endLine=50,title=sfc::the event pattern is 2125 characters: above EventBridge's default quota of 2048, so the account needs a quota increase (Service Quotas L-664C5505, at most 4096) [-Wpattern-quota]"
run 0 "$SFC" check "$tmp/long.sf" --diagnostics=sarif && logs=$((logs + 1)) && cp "$tmp/out" "$tmp/log-$logs.sarif"
if [ "$have_jq" = 1 ]; then
  jq -c '.runs[0].results[0].locations[0].physicalLocation.region' "$tmp/log-$logs.sarif" >"$tmp/out"
  out_is '{"startLine":4,"startColumn":14,"endLine":50,"endColumn":4}'
else skip "multi-line SARIF region: no jq"; fi

# the error cap: sfc stops after 50 errors and says so, last
{
  printf 'workflow W {\n'
  for i in 1 2 3 4 5 6 7; do for j in 0 1 2 3 4 5 6 7 8; do printf '  pass P%s%s -> Nowhere\n' "$i" "$j"; done; done
  printf '}\n'
} >"$tmp/many.sf"
run 1 "$SFC" check "$tmp/many.sf" --diagnostics=github
[ "$(grep -c '^::error file=' "$tmp/out")" = 50 ] && pass || fail "the error cap: $(grep -c '^::error' "$tmp/out") errors"
[ "$(tail -n 1 "$tmp/out")" = "::notice title=sfc::too many errors (50); stopping" ] && pass ||
  fail "the error cap's notice: $(tail -n 1 "$tmp/out")"
run 1 "$SFC" check "$tmp/many.sf" --diagnostics=sarif && logs=$((logs + 1)) && cp "$tmp/out" "$tmp/log-$logs.sarif"
if [ "$have_jq" = 1 ]; then
  jq -c '[(.runs[0].results | length), .runs[0].invocations[0].toolExecutionNotifications]' "$tmp/log-$logs.sarif" >"$tmp/out"
  out_is '[50,[{"level":"note","message":{"text":"too many errors (50); stopping"}}]]'
else skip "the error cap in SARIF: no jq"; fi

# linear: 20000 warnings on one line of 4 MB (minified ASL, non-ASCII before each)
# in every format within a minute, where a scan from the line's start for each took
# minutes
awk 'BEGIN {
  printf "{\"StartAt\": \"S0\", \"States\": {"
  for (i = 0; i < 20000; i++)
    printf "%s\"S%d\": {\"Type\": \"Task\", \"Comment\": \"\303\251\342\202\254\", \"Resource\": \"arn:aws:states:::sns:publish.waitForTaskToken\", \"Parameters\": {\"TopicArn\": \"arn:aws:sns:us-east-1:123456789012:t\", \"Message\": \"m\"}, %s}", i ? ", " : "", i, i < 19999 ? "\"Next\": \"S" i + 1 "\"" : "\"End\": true"
  printf "}}\n"
}' >"$tmp/long.asl.json"
for format in github sarif text; do
  timeout 60 "$SFC" check "$tmp/long.asl.json" --diagnostics=$format >"$tmp/out" 2>"$tmp/err"
  code=$?
  n=$(cat "$tmp/out" "$tmp/err" | grep -c 'does not pass \$\$.Task.Token')
  [ "$code" = 0 ] && [ "$n" = 20000 ] && pass || fail "20000 warnings on one line, $format: exit $code, $n warnings"
done
# the last one's column: text's in bytes, GitHub's in characters, 3 fewer for each
# "é€" before it (20000)
bytes=$(grep -o '^[^ ]*long.asl.json:1:[0-9]*: warning: /States/S19999/' "$tmp/err" | sed 's/.*:1:\([0-9]*\):.*/\1/')
run 0 "$SFC" check "$tmp/long.asl.json" --diagnostics=github
chars=$(tail -n 1 "$tmp/out" | sed -n 's/^::warning file=[^,]*,line=1,col=\([0-9]*\),endLine=1,endColumn=[0-9]*,title=sfc::\/States\/S19999\/Resource: .*/\1/p')
[ -n "$bytes" ] && [ -n "$chars" ] && [ "$chars" -eq $((bytes - 60000)) ] && pass ||
  fail "the last warning on the long line: column ${chars:-?} in characters, ${bytes:-?} in bytes"

# a note without location, from a compile that wrote files (main.c): a notice with
# no file, and in SARIF a notification
run 0 "$SFC" "$dir/multi-a.sf" -Wno-lambda-retry -q -o "$tmp/built" --diagnostics=github &&
  out_is '::notice title=sfc::ARNs keep ${account} and ${region}: no account or region given (-D account=... -D region=..., or an aws { } block)'
run 0 "$SFC" "$dir/multi-a.sf" -Wno-lambda-retry -q -o "$tmp/built" --diagnostics=sarif && logs=$((logs + 1)) &&
  cp "$tmp/out" "$tmp/log-$logs.sarif"
if [ "$have_jq" = 1 ]; then
  jq -c '[(.runs[0].results | length), .runs[0].invocations[0].toolExecutionNotifications]' "$tmp/log-$logs.sarif" >"$tmp/out"
  out_is '[0,[{"associatedRule":{"id":"sfc.note","index":21},"level":"note","message":{"text":"ARNs keep ${account} and ${region}: no account or region given (-D account=... -D region=..., or an aws { } block)"}}]]'
else skip "a note without location in SARIF: no jq"; fi
# no diagnostics: an empty run, and no command at all
if run 0 "$SFC" check "$dir/multi-a.sf" -Wno-lambda-retry --diagnostics=github; then
  if [ -s "$tmp/out" ]; then fail "output without diagnostics: $(cat "$tmp/out")"; else pass; fi
fi
run 0 "$SFC" check "$dir/multi-a.sf" -Wno-lambda-retry --diagnostics=sarif && logs=$((logs + 1)) &&
  cp "$tmp/out" "$tmp/log-$logs.sarif"

# every log against the schema; the validator itself must refuse a broken log
if [ "$have_node" = 1 ]; then
  i=1 files=
  while [ "$i" -le "$logs" ]; do files="$files $tmp/log-$i.sarif"; i=$((i + 1)); done
  # shellcheck disable=SC2086 # a list of paths without spaces
  if node "$dir/validate-sarif.js" $files >"$tmp/valid" 2>&1; then
    [ "$(grep -c ': valid$' "$tmp/valid")" = "$logs" ] && pass || fail "validate-sarif.js: $(cat "$tmp/valid")"
  else
    fail "SARIF logs fail the SARIF 2.1.0 schema:"; grep -v ': valid$' "$tmp/valid" | head -c 2000
  fi
  sed 's/"level": "warning"/"level": "fatal"/' "$tmp/log-1.sarif" >"$tmp/broken.sarif"
  node "$dir/validate-sarif.js" "$tmp/broken.sarif" >"$tmp/valid" 2>&1
  [ $? = 1 ] && grep -q 'level must be equal to one of the allowed values' "$tmp/valid" && pass ||
    fail "the validator accepts a broken log: $(head -c 600 "$tmp/valid")"
else
  skip "SARIF schema validation of $logs logs: no node or no tests/node_modules"
fi

if [ "$skipped" -gt 0 ]; then
  printf 'diagnostics: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  [ "$failed" -eq 0 ]
else
  summary diagnostics
fi
