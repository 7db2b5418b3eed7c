#!/bin/sh
# Command-line tests: exit codes, usage errors, I/O errors, atomic output,
# determinism, stdin, -D, --werror and --diagnostics=json, and IAM for a program of
# 10000 states. Called by tests/run with $SFC set; ends with "cli: N passed, N failed".
set -u
SFC=${SFC:-./sfc}
case $SFC in /*) ;; *) SFC=$(pwd)/$SFC ;; esac # some tests cd
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

# expect CODE STDERR-TEXT-OR-- COMMAND...: exit code, and stderr exactly ("-" skips it)
expect() {
  want_code=$1 want_err=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  code=$?
  if [ "$code" -ne "$want_code" ]; then
    failed=$((failed + 1)); printf 'FAIL %s: exit %s, expected %s\n' "$*" "$code" "$want_code"
    cat "$tmp/err"
  elif [ "$want_err" != - ] && [ "$(cat "$tmp/err")" != "$want_err" ]; then
    failed=$((failed + 1)); printf 'FAIL %s: stderr was:\n%s\nexpected:\n%s\n' "$*" "$(cat "$tmp/err")" "$want_err"
  else
    passed=$((passed + 1))
  fi
}
check() { # check DESCRIPTION COMMAND...: the command must succeed
  d=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); printf 'FAIL %s\n' "$d"; fi
}

good=$tmp/good.sf
cat >"$good" <<'EOF'
aws { account "123456789012" region "eu-west-1" }
lambda f = "fn"
workflow Good {
  task A invoke f retry any
}
EOF
warn=$tmp/warn.sf
cat >"$warn" <<'EOF'
lambda f = "fn"
workflow Warn {
  task A invoke f
}
EOF

# usage: exit 2
expect 2 "sfc: error: no input files (give FILE.sf, or - for standard input)
Try 'sfc --help'." "$SFC"
expect 2 "sfc: error: no output directory: use -o DIR, or 'sfc check' to only check
Try 'sfc --help'." "$SFC" "$good"
expect 2 "sfc: error: option '-o' needs a directory
Try 'sfc --help'." "$SFC" "$good" -o
expect 2 "sfc: error: unknown option '--frobnicate'
Try 'sfc --help'." "$SFC" --frobnicate "$good"
expect 2 "sfc: error: -D takes NAME=VALUE, not 'account'
Try 'sfc --help'." "$SFC" check "$good" -D account
expect 2 "sfc: error: --diagnostics takes 'text', 'json', 'sarif' or 'github', not 'xml'
Try 'sfc --help'." "$SFC" check "$good" --diagnostics=xml
expect 2 "sfc: error: -D nope: no param named 'nope' is declared" "$SFC" check "$good" -D nope=1
expect 2 "sfc: error: -D account=12: an AWS account ID is 12 digits" "$SFC" check "$good" -D account=12
expect 2 "sfc: error: 'sfc check' writes nothing; drop -o
Try 'sfc --help'." "$SFC" check "$good" -o "$tmp/x"
expect 0 "" "$SFC" --help
check "--help names the exit codes" grep -q 'exit codes: 0 success, 1 errors in the input, 2 bad usage' "$tmp/out"
expect 0 "" "$SFC" --version
check "--version prints the version" grep -q '^sfc [0-9]' "$tmp/out"

# stdin once; ASL from stdin; .JSON in any case; "--"; sfc help
expect 2 "sfc: error: '-' (standard input) is given more than once
Try 'sfc --help'." sh -c "\"$SFC\" check - - <\"$good\""
printf '{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":"10","End":true}}}\n' >"$tmp/wait.asl"
expect 1 '<stdin>:1:55: error: /States/A/Seconds: expected a non-negative integer, found "10"
{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":"10","End":true}}}
                                                      ^~~~' sh -c "\"$SFC\" check --asl - <\"$tmp/wait.asl\""
expect 1 - "$SFC" check --asl "$tmp/wait.asl"
check "--asl reads a file of any name as ASL" grep -q 'expected a non-negative integer' "$tmp/err"
expect 2 "sfc: error: --asl is for 'sfc check': only 'sfc check' reads ASL files
Try 'sfc --help'." "$SFC" --asl "$good" -o "$tmp/x"
cp "$tmp/wait.asl" "$tmp/WAIT.JSON"
expect 1 - "$SFC" check "$tmp/WAIT.JSON"
check ".JSON in capitals is ASL too" grep -q 'expected a non-negative integer' "$tmp/err"
expect 2 "sfc: error: '$tmp/WAIT.JSON' is an ASL file: only 'sfc check' reads ASL files
Try 'sfc --help'." "$SFC" "$tmp/WAIT.JSON" -o "$tmp/x"
cp "$good" "$tmp/-dash.sf"
expect 0 "" sh -c "cd \"$tmp\" && \"$SFC\" check -- -dash.sf"
expect 2 "sfc: error: unknown option '-dash.sf'
Try 'sfc --help'." sh -c "cd \"$tmp\" && \"$SFC\" check -dash.sf"
expect 0 "" "$SFC" help
check "sfc help prints the usage" grep -q '^usage: sfc' "$tmp/out"

# I/O: exit 3
expect 3 "sfc: error: cannot read '$tmp/missing.sf': No such file or directory" "$SFC" check "$tmp/missing.sf"
expect 3 "sfc: error: '$tmp' is a directory, not a file" "$SFC" check "$tmp"
if [ "$(id -u)" != 0 ]; then
  printf 'x' >"$tmp/unreadable.sf"; chmod 000 "$tmp/unreadable.sf"
  expect 3 "sfc: error: cannot read '$tmp/unreadable.sf': Permission denied" "$SFC" check "$tmp/unreadable.sf"
fi
printf 'not a dir' >"$tmp/file"
expect 3 "sfc: error: cannot write to '$tmp/file': it exists and is not a directory" "$SFC" "$good" -o "$tmp/file"

# the placeholder note is about files written: not after an I/O error
printf 'lambda f = "fn"\nworkflow P { task A invoke f retry any }\n' >"$tmp/ph.sf"
expect 3 "sfc: error: cannot write to '$tmp/file': it exists and is not a directory" "$SFC" "$tmp/ph.sf" -o "$tmp/file/x"
expect 0 "sfc: note: ARNs keep \${account} and \${region}: no account or region given (-D account=... -D region=..., or an aws { } block)" "$SFC" -q "$tmp/ph.sf" -o "$tmp/ph"

# bad input: exit 1, one clear line each
: >"$tmp/empty.sf"
expect 1 "$tmp/empty.sf:1:1: error: the file declares nothing (expected a workflow, event, resource or param)

^" "$SFC" check "$tmp/empty.sf"
printf '\177ELF\002\001\001\000\000\000' >"$tmp/binary.sf"
expect 1 "$tmp/binary.sf:1:8: error: the file contains a NUL byte; sfc reads UTF-8 text
?ELF??????
       ^" "$SFC" check "$tmp/binary.sf"
printf 'workflow W { pass \377 }\n' >"$tmp/latin1.sf"
expect 1 "$tmp/latin1.sf:1:19: error: the file is not valid UTF-8 text (byte 0xff)
workflow W { pass ? }
                  ^" "$SFC" check "$tmp/latin1.sf"

# the diagnostics printer on hostile bytes: a line of stray UTF-8 continuation bytes
# (it once read before the buffer), a C1 control shown as '?'
head -c 200 /dev/zero | tr '\0' '\226' >"$tmp/cont.sf"
expect 1 - "$SFC" check "$tmp/cont.sf"
check "a run of continuation bytes: one error, shown as a cut window of '?'" \
  sh -c "head -n 1 '$tmp/err' | grep -qx '$tmp/cont.sf:1:1: error: the file is not valid UTF-8 text (byte 0x96)' && [ \$(wc -l <'$tmp/err') = 3 ] && sed -n 2p '$tmp/err' | grep -qx '??*\.\.\.'"
printf 'workflow W { pass P \302\233 }\n' >"$tmp/c1.sf"
expect 1 - "$SFC" check "$tmp/c1.sf"
check "a C1 control character in the source line is shown as '?'" grep -qx 'workflow W { pass P ? }' "$tmp/err"
# what a message quotes is capped: a 100000-character state name
awk 'BEGIN { n = ""; for (i = 0; i < 100000; i++) n = n "A"
             print "workflow W {\n  pass " n "\n  pass " n "\n}" }' >"$tmp/longname.sf"
expect 1 - "$SFC" check "$tmp/longname.sf"
check "no message line quotes a 100000-character name" sh -c "[ \$(awk '{ if (length(\$0) > m) m = length(\$0) } END { print m }' '$tmp/err') -lt 400 ]"
check "a capped quote keeps its start and says it was cut" grep -q "a state named 'A\{80\}\.\.\.' already exists" "$tmp/err"
# file names are printed escaped: no terminal escape sequences, no invalid bytes
esc=$(printf 'a\033[31mb\377.sf')
printf 'workflow W { pass P\n' >"$tmp/$esc"
expect 1 - "$SFC" check "$tmp/$esc"
check "a control character and an invalid byte in a file name are escaped in text" \
  grep -q '^.*/a\\x1b\[31mb\\xff\.sf:1:20: error: ' "$tmp/err"
expect 1 "" "$SFC" check "$tmp/$esc" --diagnostics=json
check "JSON diagnostics keep 'file' for a name that is not UTF-8 (invalid bytes as \\xNN)" \
  grep -q '"file": ".*/a\\u001b\[31mb\\\\xff\.sf"' "$tmp/out"
expect 3 "sfc: error: cannot read '$tmp/a\x1b[31mb\xffmissing.sf': No such file or directory" \
  "$SFC" check "$tmp/$(printf 'a\033[31mb\377missing.sf')"

# success, stdin, determinism
expect 0 "" "$SFC" check "$good"
expect 0 "" "$SFC" -q "$good" -o "$tmp/out1"
check "writes <Workflow>.asl.json" test -f "$tmp/out1/Good.asl.json"
expect 0 "" "$SFC" -q "$good" -o "$tmp/out2"
check "same input, same bytes" cmp -s "$tmp/out1/Good.asl.json" "$tmp/out2/Good.asl.json"
expect 0 "" sh -c "\"$SFC\" -q - -o \"$tmp/out3\" <\"$good\""
check "stdin compiles like a file" cmp -s "$tmp/out1/Good.asl.json" "$tmp/out3/Good.asl.json"
expect 0 "" "$SFC" compile -q "$good" --output="$tmp/out4"
check "compile and --output= spell the same" cmp -s "$tmp/out1/Good.asl.json" "$tmp/out4/Good.asl.json"
expect 0 "" "$SFC" -q "$good" -o "$tmp/deep/er/dir"
check "missing parents are created" test -f "$tmp/deep/er/dir/Good.asl.json"
check "no temporary files are left" test -z "$(ls -A "$tmp/out1" | grep 'tmp-')"
check "the outputs are the ASL, the IAM documents and the Terraform module" test "$(ls "$tmp/out1" | tr '\n' ' ')" = \
  "Good.asl.json Good.asl.json.tftpl Good.role-policy.json Good.role-policy.json.tftpl Good.role-trust.json Good.role-trust.json.tftpl Good.tf main.tf outputs.tf variables.tf versions.tf "

# atomic output: a failed compile leaves the directory exactly as it was
mkdir "$tmp/keep"
printf 'old\n' >"$tmp/keep/Good.asl.json"
printf 'mine\n' >"$tmp/keep/notes.txt"
# (not '..', which is $tmp: writing files there changes its time)
(cd "$tmp/keep" && ls -la --time-style=+%s . | grep -v ' \.\.$' >"$tmp/before")
printf 'workflow Good { task A invoke nothing_declared }\n' >"$tmp/bad.sf"
expect 1 - "$SFC" "$tmp/bad.sf" -o "$tmp/keep"
(cd "$tmp/keep" && ls -la --time-style=+%s . | grep -v ' \.\.$' >"$tmp/after")
check "failed compile leaves the directory as it was" cmp -s "$tmp/before" "$tmp/after"
check "failed compile keeps the old file" grep -qx old "$tmp/keep/Good.asl.json"
expect 1 - "$SFC" "$tmp/bad.sf" -o "$tmp/never"
check "failed compile creates no directory" test ! -e "$tmp/never"
if [ "$(id -u)" != 0 ]; then
  mkdir "$tmp/readonly"; chmod 555 "$tmp/readonly"
  expect 3 - "$SFC" "$good" -o "$tmp/readonly"
  check "unwritable directory stays empty" test -z "$(ls -A "$tmp/readonly")"
fi
if [ -w /dev/full ] && [ -d /proc/self ]; then :; fi

# all or nothing when a rename fails half way (fault injection, test build only:
# SFC_FAULT_RENAME=N fails the Nth rename; see compiler/output.c). Without it (a
# release ./sfc) these tests are skipped.
if SFC_FAULT_PAUSE=0 "$SFC" "$good" -o "$tmp/probe" 2>&1 | grep -q 'fault: paused'; then
hidden() { ls -A "$1" | grep '^\.' | tr '\n' ' '; }
mkdir "$tmp/half"
printf 'old asl\n' >"$tmp/half/Good.asl.json"
printf 'old policy\n' >"$tmp/half/Good.role-policy.json"
# the entries, not the directory itself: its mtime moves when the temporary files come and go
(cd "$tmp/half" && ls -lA --time-style=+%s . >"$tmp/before")
expect 3 "sfc: error: cannot write '$tmp/half/Good.role-policy.json': Input/output error" \
  env SFC_FAULT_RENAME=2 "$SFC" "$good" -o "$tmp/half"
(cd "$tmp/half" && ls -lA --time-style=+%s . >"$tmp/after")
check "a failed second rename puts the first file back" grep -qx 'old asl' "$tmp/half/Good.asl.json"
check "a failed rename leaves the directory as it was" cmp -s "$tmp/before" "$tmp/after"
expect 3 - env SFC_FAULT_RENAME=3 "$SFC" "$good" -o "$tmp/half"
check "a failed third rename removes the new file and restores both old ones" \
  sh -c "grep -qx 'old asl' '$tmp/half/Good.asl.json' && grep -qx 'old policy' '$tmp/half/Good.role-policy.json' && test ! -e '$tmp/half/Good.role-trust.json' && test -z \"\$(ls -A '$tmp/half' | grep '^\\.')\""
# ... and when a target is a directory (no fault injection needed)
mkdir -p "$tmp/half/Good.role-trust.json/x"
expect 3 "sfc: error: cannot write '$tmp/half/Good.role-trust.json': it is a directory" "$SFC" "$good" -o "$tmp/half"
check "a directory in the way: the files before it are put back" \
  sh -c "grep -qx 'old asl' '$tmp/half/Good.asl.json' && grep -qx 'old policy' '$tmp/half/Good.role-policy.json'"
check "a directory in the way: no temporary file or backup is left" test -z "$(hidden "$tmp/half")"
rm -r "$tmp/half/Good.role-trust.json"

# stale temporary files of a killed sfc are removed by the next run; others are not
printf 'x' >"$tmp/half/.Good.asl.json.sfc-tmp-AbC123"
printf 'x' >"$tmp/half/.Good.asl.json.sfc-old-4242"
printf 'x' >"$tmp/half/.notes.tmp-AbC123"
expect 0 "" "$SFC" -q "$good" -o "$tmp/half"
check "a later run removes sfc's stale temporary files and backups, and only those" \
  test "$(hidden "$tmp/half")" = ".notes.tmp-AbC123 "

# a signal while writing: the temporary files go, the directory is as it was
for sig in TERM INT HUP; do
  mkdir -p "$tmp/sig-$sig"
  printf 'old\n' >"$tmp/sig-$sig/Good.asl.json"
  # a background job starts with SIGINT ignored (and sfc keeps an ignored signal
  # ignored, as for nohup): perl gives it back its default action first
  rm -f "$tmp/sig.err" # the wait below must not see the last run's "paused"
  SFC_FAULT_PAUSE=30 perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' "$SFC" "$good" -o "$tmp/sig-$sig" 2>"$tmp/sig.err" &
  pid=$!
  n=0; while ! grep -q 'fault: paused' "$tmp/sig.err" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  check "SIG$sig: the temporary files were written before the signal" test -n "$(hidden "$tmp/sig-$sig")"
  kill -"$sig" $pid; wait $pid; code=$?
  check "SIG$sig ends sfc by the signal (exit $code)" test $code -gt 128
  check "SIG$sig while writing leaves no temporary file (left: $(hidden "$tmp/sig-$sig"))" test -z "$(hidden "$tmp/sig-$sig")"
  check "SIG$sig while writing keeps the old file" grep -qx old "$tmp/sig-$sig/Good.asl.json"
done
rm -f "$tmp/sig.err"
SFC_FAULT_PAUSE=30 "$SFC" "$good" -o "$tmp/sig-new/sub" 2>"$tmp/sig.err" &
pid=$!
n=0; while ! grep -q 'fault: paused' "$tmp/sig.err" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
kill -TERM $pid; wait $pid
check "a signal while writing removes the directories sfc created" test ! -e "$tmp/sig-new"

# two compiles into one directory: the second waits for the first (a lock), so the
# files are all of one compile, never a mix
"$SFC" "$good" -o "$tmp/ref-us" -D region=us-east-1 2>/dev/null
mkdir "$tmp/race"
SFC_FAULT_PAUSE=3 "$SFC" "$good" -o "$tmp/race" 2>"$tmp/race1.err" &
pid1=$!
n=0; while ! grep -q 'fault: paused' "$tmp/race1.err" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
"$SFC" "$good" -o "$tmp/race" -D region=us-east-1 2>"$tmp/race2.err" &
pid2=$!
sleep 1
check "the second compile waits while the first holds the lock" \
  sh -c "kill -0 $pid2 && test ! -e '$tmp/race/Good.asl.json'"
wait $pid1; code1=$?
wait $pid2; code2=$?
check "both compiles succeed ($code1, $code2)" test $code1 = 0 -a $code2 = 0
check "the waiting compile says why it waits" grep -qx "sfc: note: another sfc is writing to '$tmp/race'; waiting for it to finish" "$tmp/race2.err"
check "the files are all of the compile that ran last" diff -r "$tmp/ref-us" "$tmp/race"
check "no lock file or temporary file is left" test -z "$(hidden "$tmp/race")"
else
  printf 'cli: no fault injection in %s: all-or-nothing, signal and lock tests skipped\n' "$SFC"
fi

# -D: params and the ARN target
cat >"$tmp/param.sf" <<'EOF'
param env
aws { account "123456789012" region "eu-west-1" }
topic t = "alerts-${env}"
workflow P { task N publish t }
EOF
expect 1 - "$SFC" "$tmp/param.sf" -o "$tmp/p1"
check "a param without a value is an error when compiling" grep -q "param 'env' has no value" "$tmp/err"
expect 0 "" "$SFC" check "$tmp/param.sf"
expect 0 "" "$SFC" -q "$tmp/param.sf" -o "$tmp/p2" -D env=prod -D region=us-west-2
check "-D sets the param and the region" grep -q '"arn:aws:sns:us-west-2:123456789012:alerts-prod"' "$tmp/p2/P.asl.json"

# explain: every permission, with what needs it
expect 0 "" "$SFC" explain "$good"
check "explain names the permission, the resource and the state" \
  sh -c "grep -q '^  lambda:InvokeFunction$' '$tmp/out' && grep -q 'on arn:aws:lambda:eu-west-1:123456789012:function:fn, arn:aws:lambda:eu-west-1:123456789012:function:fn:\\*' '$tmp/out' && grep -q '^    for A$' '$tmp/out'"
expect 0 "" "$SFC" explain tests/compile/allow_start_by.sf
check "explain shows an allowed starter's two grants, the second on the executions" \
  sh -c "grep -q '^  states:DescribeExecution\$' '$tmp/out' && grep -q '^    on arn:aws:states:eu-west-1:123456789012:execution:Orders:\*\$' '$tmp/out'"
expect 0 "" "$SFC" explain tests/compile/iam-sid-unique.sf
check "explain lists a conditioned grant with its conditions" \
  sh -c "grep -q '^    when StringEquals states:HTTPMethod GET\$' '$tmp/out'"
expect 2 "sfc: error: 'sfc explain' writes nothing; drop -o
Try 'sfc --help'." "$SFC" explain "$good" -o "$tmp/x"

# IAM at scale: 2500 emits of one event (as many as fit Step Functions' 1 MiB
# definition) need one statement (grants merge by service and resources through a
# hash table; how fast is `make bench`'s business)
awk 'BEGIN { print "aws { account \"123456789012\" region \"eu-west-1\" }"
             print "event E { source \"acme.many\" detail-type \"Many\" }"
             print "workflow Many {"
             for (i = 1; i <= 2500; i++) printf "  emit S%d = E\n", i
             print "}" }' >"$tmp/many.sf"
expect 0 "" "$SFC" -q "$tmp/many.sf" -o "$tmp/many"
check "2500 emits on one bus make one statement" \
  sh -c "[ \$(grep -c '\"Sid\"' '$tmp/many/Many.role-policy.json') = 1 ] && [ \$(grep -c '^        \"' '$tmp/many/Many.role-policy.json') = 2 ] && grep -q '^        \"events:PutEvents\"\$' '$tmp/many/Many.role-policy.json' && grep -q '^        \"arn:aws:events:eu-west-1:123456789012:event-bus/default\"\$' '$tmp/many/Many.role-policy.json'"
expect 0 "" "$SFC" explain "$tmp/many.sf"
check "explain lists the 2500 states of the one grant, each once" \
  sh -c "[ \$(grep -c '^  events:PutEvents\$' '$tmp/out') = 1 ] && grep -q '^    for S1, S2, S3, .*, S2499, S2500\$' '$tmp/out'"

# warnings, --werror, JSON diagnostics
expect 0 - "$SFC" check "$warn"
check "a warning is printed" grep -q "warning: task 'A' invokes a Lambda function without 'retry'" "$tmp/err"
expect 1 - "$SFC" check "$warn" --werror
check "--werror turns it into an error" grep -q "error: task 'A' invokes" "$tmp/err"
expect 0 "" "$SFC" check "$warn" -Wno-lambda-retry
expect 1 - "$SFC" check "$warn" -Wno-lambda-retry -Wlambda-retry --werror
check "-WNAME turns a warning back on" grep -q "error: task 'A' invokes .* \[-Wlambda-retry\]$" "$tmp/err"
expect 2 "sfc: error: unknown warning 'retries' (the warnings are lambda-retry, missing-otherwise, emit-input, literal-path, unknown-error, task-token, credentials-path, never-fires, self-trigger, pattern-quota, numeric-match, anything-but, jsonata-text, jsonpath-key, path-space, inline-tolerance, replaces-config, unknown-sdk-service, jsonata-variable, zero-wait)
Try 'sfc --help'." "$SFC" check "$warn" -Wno-retries
expect 0 "" "$SFC" check "$warn" --diagnostics=json
check "a JSON warning names itself" grep -q '"warning": "lambda-retry"' "$tmp/out"
check "--diagnostics=json prints one array" grep -q '"severity": "warning"' "$tmp/out"
check "JSON diagnostics carry line and column" grep -q '"line": 3' "$tmp/out"
if command -v node >/dev/null 2>&1; then
  check "JSON diagnostics parse" node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); if(!Array.isArray(d)||d.length!==1||d[0].column!==8||d[0].end.column!==9) process.exit(1)' "$tmp/out"
fi

# A compile says what it wrote, unless -q.
expect 0 "sfc: wrote 11 files to $tmp/said" "$SFC" "$good" -o "$tmp/said"
expect 0 "" "$SFC" "$good" -o "$tmp/said" --quiet
# ... and rewrites no file that would not change: same bytes, same mtime.
touch -d '2001-01-01 00:00:00' "$tmp/said"/*
rm "$tmp/said/Good.tf"
expect 0 "sfc: wrote 1 file to $tmp/said (10 unchanged, not rewritten)" "$SFC" "$good" -o "$tmp/said"
check "an unchanged output keeps its mtime" test -z "$(find "$tmp/said" -name 'Good.asl.json' -newer "$tmp/good.sf")"
check "a missing output is written again" test -f "$tmp/said/Good.tf"

# --emit picks the backends.
expect 0 "" "$SFC" -q "$good" -o "$tmp/emit-asl" --emit asl
check "--emit asl writes only the ASL" test "$(ls "$tmp/emit-asl" | tr '\n' ' ')" = "Good.asl.json "
expect 0 "" "$SFC" -q "$good" -o "$tmp/emit-iam-rules" --emit=iam,rules
check "--emit=iam,rules writes only the IAM documents" test "$(ls "$tmp/emit-iam-rules" | tr '\n' ' ')" = "Good.role-policy.json Good.role-trust.json "
expect 0 "" "$SFC" -q "$good" -o "$tmp/emit-tf" --emit terraform
check "--emit terraform writes only the module" test "$(ls "$tmp/emit-tf" | tr '\n' ' ')" = \
  "Good.asl.json.tftpl Good.role-policy.json.tftpl Good.role-trust.json.tftpl Good.tf main.tf outputs.tf variables.tf versions.tf "
expect 2 "sfc: error: --emit: unknown backend 'hcl' (the backends are asl, rules, iam, terraform, docs, or all)
Try 'sfc --help'." "$SFC" "$good" -o "$tmp/emit-bad" --emit asl,hcl
expect 2 "sfc: error: option '--emit' needs a list of backends
Try 'sfc --help'." "$SFC" "$good" -o "$tmp/emit-bad" --emit
check "a bad --emit writes nothing" test ! -e "$tmp/emit-bad"

# Each file of a program may declare the params it uses, if they agree.
printf 'param env = "dev"\nlambda f = "fn-${env}"\n' >"$tmp/p1.sf"
printf 'param env = "dev"\nworkflow P { task A invoke f retry any }\n' >"$tmp/p2.sf"
expect 0 "" "$SFC" check "$tmp/p1.sf" "$tmp/p2.sf"
printf 'param env = "prod"\n' >"$tmp/p3.sf"
expect 1 "$tmp/p3.sf:1:7: error: 'env' is already declared (as a param at $tmp/p1.sf:1:7)
param env = \"prod\"
      ^~~" "$SFC" check "$tmp/p1.sf" "$tmp/p2.sf" "$tmp/p3.sf"

# --dump-model: what lowering built, each node with the .sf span it came from.
cat >"$tmp/m.sf" <<'EOF'
lambda f = "fn"
workflow M {
  comment "model"
  task A invoke f retry any
}
EOF
expect 0 "" "$SFC" check --dump-model "$tmp/m.sf"
cat >"$tmp/m.want" <<EOF
lambda f ($tmp/m.sf:1:8)
  arn arn:aws:lambda:\${region}:\${account}:function:fn
    partition aws, service lambda, region \${region}, account \${account}, resource function:fn
workflow M ($tmp/m.sf:2:10)
  arn arn:aws:states:\${region}:\${account}:stateMachine:M
  type STANDARD
  tracing off
  logging (not set)
  definition M.asl.json
  /                                                  $tmp/m.sf:2:10
  /Comment                                           $tmp/m.sf:3:11  "model"
  /StartAt                                           $tmp/m.sf:4:8  "A"
  /States                                            $tmp/m.sf:2:10
  /States/A                                          $tmp/m.sf:4:8
  /States/A/Type                                     $tmp/m.sf:4:8  "Task"
  /States/A/Resource                                 $tmp/m.sf:4:8  "arn:aws:states:::lambda:invoke"
  /States/A/Parameters                               $tmp/m.sf:4:8
  /States/A/Parameters/FunctionName                  $tmp/m.sf:4:17  "fn"
  /States/A/Parameters/Payload.\$                     $tmp/m.sf:4:8  "\$"
  /States/A/Retry                                    $tmp/m.sf:4:8
  /States/A/Retry/0                                  $tmp/m.sf:4:19
  /States/A/Retry/0/ErrorEquals                      $tmp/m.sf:4:19
  /States/A/Retry/0/ErrorEquals/0                    $tmp/m.sf:4:25  "States.ALL"
  /States/A/End                                      $tmp/m.sf:4:8  true
EOF
check "--dump-model prints every node with its .sf location" cmp -s "$tmp/out" "$tmp/m.want"
expect 0 "" "$SFC" check --dump-model examples/upload.sf
check "--dump-model prints each trigger, its pattern or expression, and what it starts" \
  sh -c "grep -qx '  rule UploadPipeline-s3-1 (examples/upload.sf:24:3)' '$tmp/out' && grep -qx '    at rate(5 minutes)' '$tmp/out' && grep -q '^    starts arn:aws:states:.*:stateMachine:UploadPipeline as arn:aws:iam::.*:role/UploadPipeline-scheduler\$' '$tmp/out' && grep -qx '  emitted by UploadPipeline, state EmitUploadProcessed (examples/upload.sf:40:8)' '$tmp/out'"

# AWS quotas are compile-time errors: a definition over Step Functions' 1 MiB, and
# one just under it, which compiles.
quota() { # quota NAME BYTES: a workflow whose one Pass state holds a string of BYTES
  { printf 'workflow %s {\n  pass P = { blob: "' "$1"
    head -c "$2" /dev/zero | tr '\0' x
    printf '" }\n}\n'; } >"$tmp/$1.sf"
}
quota Big 1048576
expect 1 "$tmp/Big.sf:1:10: error: the definition of 'Big' is 1048719 bytes; Step Functions takes at most 1048576 (1 MiB): split the workflow, for example with 'start' tasks
workflow Big {
         ^~~" "$SFC" check "$tmp/Big.sf"
quota Fits 1048400
expect 0 - "$SFC" "$tmp/Fits.sf" -o "$tmp/fits"
check "a definition just under 1 MiB is written" test "$(wc -c <"$tmp/fits/Fits.asl.json")" -le 1048576

# ... and an execution role policy over IAM's 10,240 characters.
policy() { # policy NAME N: N tasks, each reading its own bucket
  awk -v n="$2" -v w="$1" 'BEGIN { printf "workflow %s {\n", w
    for (i = 1; i <= n; i++)
      printf "  task T%d call \"s3:GetObject\" on \"arn:aws:s3:::bucket-with-a-rather-long-name-%d/*\" with { Bucket: \"b\", Key: \"k\" }\n", i, i
    print "}" }' >"$tmp/$1.sf"
}
policy Wide 200
expect 1 "$tmp/Wide.sf:1:10: error: the execution role of 'Wide' needs a policy of 24422 characters; IAM takes at most 10240 in a role's inline policies: split the workflow
workflow Wide {
         ^~~~" "$SFC" check "$tmp/Wide.sf"
policy Narrow 60
expect 0 "" "$SFC" check "$tmp/Narrow.sf"

# ${Name} placeholders in ASL: accepted unresolved; --substitute and --substitutions
# check the definition as it reads after textual substitution.
tpl=$tmp/template.asl.json
cat >"$tpl" <<'EOF'
{"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "${FnArn}",
  "TimeoutSeconds": "${Timeout}", "End": true}}}
EOF
expect 0 "" "$SFC" check "$tpl"
expect 1 - "$SFC" check "$tpl" --substitute FnArn=arn:aws:lambda:us-east-1:123456789012:function:f
check "--substitute: a placeholder without a value is named" grep -q 'no value for the placeholder "${Timeout}"' "$tmp/err"
expect 1 - "$SFC" check "$tpl" --substitute FnArn=nope --substitute=Timeout=30
check "--substitute: the substituted text is checked" grep -q 'expected an ARN' "$tmp/err"
check "--substitute: a quoted placeholder stays a string" grep -q 'expected a positive integer, found "30"' "$tmp/err"
printf '{"FnArn": "arn:aws:lambda:us-east-1:123456789012:function:f", "Timeout": 30}' >"$tmp/subs.json"
sed 's/"${Timeout}"/60/' "$tpl" >"$tmp/template2.asl.json"
expect 0 "" "$SFC" check "$tmp/template2.asl.json" --substitutions "$tmp/subs.json"
printf '[1]' >"$tmp/subs-array.json"
expect 2 "sfc: error: --substitutions takes a file holding a JSON object, not '$tmp/subs-array.json'
Try 'sfc --help'." "$SFC" check "$tpl" --substitutions "$tmp/subs-array.json"
expect 2 "sfc: error: --substitute takes NAME=VALUE, not 'FnArn'
Try 'sfc --help'." "$SFC" check "$tpl" --substitute FnArn

# A long line with no UTF-8 character boundary in the shown window (found by fuzzing):
# the window is cut anyway, without reading before the line.
head -c 200 /dev/zero | tr '\0' '\200' >"$tmp/binary.asl.json"
expect 1 - "$SFC" check "$tmp/binary.asl.json"
check "a long non-UTF-8 line is shown cut, as 157 '?' and '...'" \
  grep -qx "$(printf '%157s' '' | tr ' ' '?')..." "$tmp/err"

# --type express: what EXPRESS state machines cannot do, in hand-written ASL.
cat >"$tmp/express.asl.json" <<'EOF'
{"StartAt": "Wait", "States": {"Wait": {"Type": "Task",
  "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}
EOF
expect 0 "" "$SFC" check "$tmp/express.asl.json"
expect 1 - "$SFC" check --type express "$tmp/express.asl.json"
check "--type express: a callback is refused at the Resource" grep -qx "$tmp/express.asl.json:2:15: error: /States/Wait/Resource: an EXPRESS state machine does not support '.waitForTaskToken' (a callback): make it STANDARD, or call the service without waiting" "$tmp/err"
expect 0 "" "$SFC" check --type=standard "$tmp/express.asl.json"
expect 2 "sfc: error: --type takes express or standard, not 'fast'
Try 'sfc --help'." "$SFC" check --type fast "$tmp/express.asl.json"

# Which rules an event can match is decided from the patterns (compiler/links.c):
# matches, may match (a value known only at run time), or no link at all.
"$SFC" check --dump-model "$(dirname "$0")/compile/docs_chain.sf" 2>/dev/null | grep '^link' >"$tmp/links"
cat >"$tmp/links.want" <<'END'
link Ingest state EmitFileReady sends acme.files / File Ready -> rule Resize-event-1 starts Resize (may match)
link Ingest state EmitFileReady sends acme.files / File Ready -> rule Archive-event-1 starts Archive (matches)
link Ingest state EmitFileReady sends acme.files / File Ready -> rule ByPrefix-pattern-1 starts ByPrefix (matches)
link Ingest state EmitFileReady sends acme.files / File Ready -> rule EitherOr-pattern-1 starts EitherOr (may match)
link Ingest state EmitFileReady sends acme.files / File Ready -> rule Wildcard-pattern-1 starts Wildcard (matches)
link Ingest execution FAILED -> rule Audit-workflow-1 starts Audit (matches)
END
check "the links of a chain of workflows: kind video, a missing owner and another source match nothing" \
  cmp -s "$tmp/links" "$tmp/links.want"

printf 'cli: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
