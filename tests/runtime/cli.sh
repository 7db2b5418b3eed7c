#!/bin/sh
# sfc run and sfc test-state from the command line: outputs, exit codes (0 SUCCEEDED,
# 1 bad definition, 2 bad usage, mock file or case, 4 FAILED, 5 TIMED_OUT), mocks by
# test case, by resource and by command, --input @file, --history, --seed, --start,
# and what a bad mock file or a missing mock says. The fixtures are in cli/.
# Called by tests/run with $SFC set; ends with "runtime-cli: N passed, N failed".
. "$(dirname "$0")/../lib.sh"
d=tests/runtime/cli
unset SFN_MOCK_CONFIG # sfc run's default mock file: each test says what it wants

# A .sf workflow with mocks per test case
run 0 "$SFC" run $d/hello.sf --mocks $d/mocks.json --case HappyPath --input '{"name":"x"}' &&
  out_is '{"name":"x","greeting":{"StatusCode":200,"Payload":{"hello":"world"}}}'
run 0 "$SFC" run $d/hello.sf --mocks $d/mocks.json --case HappyPath --input @$d/input.json &&
  out_is '{"name":"from a file","greeting":{"StatusCode":200,"Payload":{"hello":"world"}}}'
run 0 sh -c "\"$SFC\" run $d/hello.sf --mocks $d/mocks.json --case HappyPath --input @- <$d/input.json" &&
  out_is '{"name":"from a file","greeting":{"StatusCode":200,"Payload":{"hello":"world"}}}'
# the first call throws, the retry ("1-") returns
run 0 "$SFC" run $d/hello.sf --mocks $d/mocks.json --case RetryPath --input '{"name":"x"}' &&
  out_is '{"name":"x","greeting":{"StatusCode":200,"Payload":"second try"}}'
# the response in place of its name
run 0 "$SFC" run $d/hello.sf --mocks $d/mocks.json --case Inline --input '{}' &&
  out_is '{"greeting":{"StatusCode":200,"Payload":"inline"}}'
# a failing execution: the catch takes the Fail state
run 4 "$SFC" run $d/hello.sf --mocks $d/mocks.json --case FailPath &&
  err_is 'FAILED
error: GreetFailed
cause: the greeting failed'
# a command plays the function: its event on stdin, its result on stdout
# shellcheck disable=SC2016 # $LATEST is Lambda's, not the shell's
run 0 "$SFC" run $d/hello.sf --mocks $d/mocks.json --case RunPath --input '{"name":"x"}' &&
  out_is '{"name":"x","greeting":{"ExecutedVersion":"$LATEST","Payload":{"greeted":{"name":"x"},"state":"Greet","call":0},"StatusCode":200}}'
# a task without a mock names the state (States.Runtime: no Catch takes it)
run 4 "$SFC" run $d/hello.sf --mocks $d/mocks.json --case Unmocked && has err "no mock for state 'Greet'" &&
  has err 'error: States.Runtime'
run 4 "$SFC" run $d/hello.sf && has err "no mock for state 'Greet'" && has err '--mocks'
# Step Functions Local's variable names the mock file; --mocks wins over it
run 0 env SFN_MOCK_CONFIG=$d/mocks.json "$SFC" run $d/hello.sf --case RetryPath &&
  out_is '{"greeting":{"StatusCode":200,"Payload":"second try"}}'
run 4 env SFN_MOCK_CONFIG=$d/bad-gap.json "$SFC" run $d/hello.sf --mocks $d/mocks.json --case FailPath &&
  has err 'error: GreetFailed'

# a command reading and writing more than a pipe holds (no deadlock; under the 256 KiB payload quota), and one that
# does not read its input at all
awk 'BEGIN { printf "{\"big\": \""; for (i = 0; i < 200000; i++) printf "x"; print "\"}" }' >"$tmp/big.json"
printf '{"Resources": {"arn:aws:states:::aws-sdk:s3:putObject": {"Run": "cat"}}}\n' >"$tmp/cat.json"
printf '{"Resources": {"arn:aws:states:::aws-sdk:s3:putObject": {"Run": "echo 7"}}}\n' >"$tmp/deaf.json"
run 0 "$SFC" run $d/echo.asl.json --input @"$tmp/big.json" --mocks "$tmp/cat.json" &&
  if [ "$(wc -c <"$tmp/out")" = 200011 ]; then pass; else fail "cat gave $(wc -c <"$tmp/out") bytes"; fi
run 0 "$SFC" run $d/echo.asl.json --input @"$tmp/big.json" --mocks "$tmp/deaf.json" && out_is 7

# An ASL file: its state machine is named after the file ("hello")
run 4 "$SFC" run $d/hello.asl.json --mocks $d/mocks.json --case ScriptFails --input @$d/input.json &&
  err_is 'FAILED
error: States.TaskFailed
cause: no greeting today'
run 4 "$SFC" run $d/hello.asl.json --mocks $d/mocks.json --case ScriptSaysWhy &&
  err_is 'FAILED
error: Greet.Closed
cause: come back tomorrow'
# a mock by resource: the machine's Resources answer every state calling greet
run 0 "$SFC" run $d/hello.asl.json --mocks $d/mocks.json --case ByResource && out_is '{"hello":"world"}'
run 2 "$SFC" run $d/hello.asl.json --mocks $d/mocks.json &&
  has err "state machine 'hello' has 3 test cases: choose one of ScriptFails, ScriptSaysWhy, ByResource"
run 2 "$SFC" run $d/hello.asl.json --mocks $d/mocks.json --case Nope &&
  has err "state machine 'hello' has no test case named 'Nope'"
run 2 "$SFC" run $d/hello.asl.json --workflow Other --mocks $d/mocks.json --case Nope &&
  has err "no state machine named 'Other' in StateMachines (there are: Hello, function, slow, hello)"

# the README's example: the upload pipeline, its Lambda functions, event and topic
# mocked by resource, a flaky virus scan retried, a broken one taking the failure path
up() {
  "$SFC" run examples/upload.sf --workflow UploadPipeline --input @$d/upload-event.json \
    --mocks $d/upload-mocks.json "$@"
}
run 0 up --case HappyPath && out_is '{"Entries":[{"EventId":"11710aed-b79e-4468-a20b-bb3c0c3b4860"}],"FailedEntryCount":0}'
run 0 up --case ScanFlaky --history && cp "$tmp/out" "$tmp/history1" &&
  if [ "$(grep -c '"type": "TaskFailed"' "$tmp/out")" = 2 ]; then pass
  else fail "the flaky scan does not fail twice: $(grep -c '"type": "TaskFailed"' "$tmp/out") TaskFailed events"; fi
run 0 up --case ScanFlaky --history &&
  if cmp -s "$tmp/out" "$tmp/history1"; then pass; else fail "two histories of one run differ"; fi
run 4 up --case ScanDown && err_is 'FAILED
error: UploadFailed
cause: see the alerts topic'

# a function called by its ARN: its Payload is the result; a command plays the function
run 0 "$SFC" run $d/function.asl.json --mocks $d/mocks.json --case Returns && out_is '{"hello":"world"}'
run 0 "$SFC" run $d/function.asl.json --mocks $d/mocks.json --case Runs --input '{"n":1}' && out_is '{"n":1}'
run 4 "$SFC" run $d/function.asl.json --mocks $d/mocks.json --case Raises && err_is 'FAILED
error: ValueError
cause: {"errorMessage": "no", "errorType": "ValueError"}'
echo '{"Resources": {"greet": "Ok"}, "MockedResponses": {"Ok": {"Return": {"Payload": "by name"}}}}' >"$tmp/byname.json"
run 0 "$SFC" run $d/function.asl.json --mocks "$tmp/byname.json" && out_is '"by name"'

# "*" answers every task nothing else answers
printf '%s\n' '{"Resources": {"*": {"Return": {"StatusCode": 200, "Payload": {}}}}}' >"$tmp/star.json"
run 0 "$SFC" run examples/orders.sf --workflow ChargeCustomer --mocks "$tmp/star.json" && out_is '{"charged":true}'
printf '%s\n' '{"Resources": {"*": {"Throw": {"Error": "Wrong"}}, "greet": {"Return": {"Payload": 1}}}}' >"$tmp/star2.json"
run 0 "$SFC" run $d/hello.asl.json --mocks "$tmp/star2.json" && out_is '1'

# "Seconds": a call's virtual time meets the Task's TimeoutSeconds
run 0 "$SFC" run $d/slow.asl.json --mocks $d/mocks.json --case InTime && out_is '"done"'
run 4 "$SFC" run $d/slow.asl.json --mocks $d/mocks.json --case TooLate && err_is 'FAILED
error: States.Timeout'

# --history: GetExecutionHistory's events
run 0 "$SFC" run $d/hello.sf --mocks $d/mocks.json --case HappyPath --history &&
  has out '"type": "ExecutionStarted"' && has out '"type": "TaskScheduled"' &&
  has out '"type": "ExecutionSucceeded"'

# --seed: the same seed, the same bytes
run 0 "$SFC" run $d/random.asl.json --seed 7 && cp "$tmp/out" "$tmp/seed7"
run 0 "$SFC" run $d/random.asl.json --seed 7 &&
  if cmp -s "$tmp/out" "$tmp/seed7"; then pass; else fail "--seed 7 twice differs"; fi
run 0 "$SFC" run $d/random.asl.json --seed 8 &&
  if cmp -s "$tmp/out" "$tmp/seed7"; then fail "--seed 7 and --seed 8 give the same"; else pass; fi

# the virtual clock: a day's Wait takes no time; the execution timeout does
run 0 "$SFC" run $d/wait.asl.json --start 2024-05-01T12:00:00Z && has out '"now":"2024-05-02T12:00:00'
run 5 "$SFC" run $d/timeout.asl.json && has err 'TIMED_OUT'

# bad mock files: the file and the member
run 2 "$SFC" run $d/hello.sf --mocks $d/bad-range.json &&
  has err "$d/bad-range.json: \$.MockedResponses.R[\"0-x\"]: '0-x' is not a call number or range"
run 2 "$SFC" run $d/hello.sf --mocks $d/bad-link.json &&
  has err "$d/bad-link.json: \$.StateMachines.Hello.TestCases.C.Greet: no mocked response named 'Nope'"
run 2 "$SFC" run $d/hello.sf --mocks $d/bad-throw.json &&
  has err "$d/bad-throw.json: \$.MockedResponses.R[\"0\"].Throw.Error: Error must be a string, not a number"
run 2 "$SFC" run $d/hello.sf --mocks $d/bad-gap.json &&
  has err "$d/bad-gap.json: \$.MockedResponses.R: no response for call 1"
run 2 "$SFC" run $d/hello.sf --mocks $d/bad-json.json && has err "$d/bad-json.json:3:"
run 3 "$SFC" run $d/hello.sf --mocks $d/no-such-file.json && has err "cannot read '$d/no-such-file.json'"

# bad definitions get sfc check's diagnostics; bad usage
run 1 "$SFC" run $d/bad.asl.json && has err 'Missing'
run 2 "$SFC" run && has err 'no workflow to run'
run 2 "$SFC" run $d/hello.sf --frobnicate && has err "unknown option '--frobnicate'"
run 2 "$SFC" run $d/hello.sf --case HappyPath && has err '--case names a test case of the mock file'
run 2 "$SFC" run $d/hello.sf --input '{"name":' && has err '--input: not JSON'
run 2 "$SFC" run $d/hello.sf --seed -1 && has err '--seed takes a whole number'
run 2 "$SFC" run $d/hello.sf --start yesterday && has err '--start takes a timestamp'
run 2 "$SFC" run $d/hello.sf $d/hello.asl.json && has err 'one file at a time'
run 2 "$SFC" run - --input @- <$d/hello.sf && has err 'standard input can be read once'
run 0 sh -c "\"$SFC\" run - --input '{\"name\":\"x\"}' --mocks $d/mocks.json --workflow Hello --case HappyPath <$d/hello.sf" &&
  out_is '{"name":"x","greeting":{"StatusCode":200,"Payload":{"hello":"world"}}}'
cat >"$tmp/two.sf" <<'SF'
workflow A { succeed Done }
workflow B { succeed Done }
SF
run 2 "$SFC" run "$tmp/two.sf" && has err 'choose one with --workflow (A, B)'
run 0 "$SFC" run "$tmp/two.sf" --workflow B && out_is '{}'
run 0 "$SFC" run --help && has out 'exit codes: 0 SUCCEEDED'

# sfc test-state
run 0 "$SFC" test-state --definition '{"Type": "Pass", "Result": {"a": 1}, "End": true}' &&
  has out '"status": "SUCCEEDED"'
run 4 "$SFC" test-state --definition '{"Type": "Fail", "Error": "E", "Cause": "C"}' &&
  has out '"status": "FAILED"' && has out '"error": "E"'
printf '{"definition": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true},
  "input": {"x": 1}, "mock": {"result": "{\\"ok\\": true}"}, "inspectionLevel": "DEBUG"}\n' >"$tmp/req.json"
run 0 "$SFC" test-state --request @"$tmp/req.json" && has out '"status": "SUCCEEDED"'
run 0 "$SFC" test-state --definition '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}' \
  --state-name A --input '{"v": 1}' && has out '"nextState": "B"' && has out '"output": "{\"v\":1}"'
# shellcheck disable=SC2016 # JSONPath, not the shell's
run 0 "$SFC" test-state --definition '{"Type": "Pass", "Parameters": {"a.$": "$x", "n.$": "$$.Execution.Name"}, "End": true}' \
  --variables '{"x": 1}' --context '{"Execution": {"Name": "n1"}}' && has out '"output": "{\"a\":1,\"n\":\"n1\"}"'
task='{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},'
run 0 "$SFC" test-state --definition "$task"' "Catch": [{"ErrorEquals": ["E"], "Next": "H"}], "End": true}' \
  --mock '{"errorOutput": {"error": "E", "cause": "c"}}' && has out '"status": "CAUGHT_ERROR"' && has out '"nextState": "H"'
run 0 "$SFC" test-state --definition "$task"' "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 3}], "End": true}' \
  --mock '{"errorOutput": {"error": "E", "cause": "c"}}' --state-configuration '{"retrierRetryCount": 1}' \
  --inspection-level DEBUG && has out '"status": "RETRIABLE"' && has out '"retryBackoffIntervalSeconds": 2'
run 2 "$SFC" test-state --definition '{}' --definition '{}' && has err "option '--definition' is given twice"
run 2 "$SFC" test-state --input '{}' && has err 'no definition'
run 2 "$SFC" test-state --definition '{}' --inspection-level LOUD && has err 'INFO, DEBUG or TRACE'
run 0 "$SFC" test-state --help && has out 'usage: sfc test-state'

# JSONata states: Assign, Output, Choice, Map Items/ItemSelector, AWS's functions, a
# caught States.QueryEvaluationError; an expression that gives nothing fails the state
run 0 "$SFC" run $d/jsonata.asl.json --input '{"n": 3, "factor": 5}' &&
  out_is '{"before":{"input":{"scaled":[5,10,15],"from":"Prepare"},"big":true,"md5":"5d41402abc4b2a76b9719d911017c592","parsed":{"a":[1,2]},"seeded":true,"uuids":true},"error":{"Error":"States.QueryEvaluationError","Cause":"An error occurred while executing the state '"'"'Nothing'"'"' (entered at the event id #26). The JSONata expression '"'"'$states.input.absent'"'"' specified for the field '"'"'Output'"'"' returned nothing (undefined)."}}'
run 4 "$SFC" run $d/jsonata.asl.json --input '{"factor": 5}' &&
  has err "The JSONata expression '\$range(1, \$states.input.n, 1)' specified for the field 'Output/items' returned nothing (undefined)."

summary runtime-cli
