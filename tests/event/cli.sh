#!/bin/sh
# sfc event KIND ... from the command line: what it prints, byte for byte, and its exit
# codes (0 printed, 2 bad usage, 3 input AWS would refuse). The event shapes and target
# input rendering are unit-tested in tests/unit/test_events.c.
# Called by tests/run with $SFC set; ends with "event-cli: N passed, N failed".
. "$(dirname "$0")/../lib.sh"

# ---- each kind, byte for byte
cat >"$tmp/s3.json" <<'J'
{
  "version": "0",
  "id": "17793124-05d4-b198-2fde-7ededc63b103",
  "detail-type": "Object Created",
  "source": "aws.s3",
  "account": "111122223333",
  "time": "2021-11-12T00:00:00Z",
  "region": "ca-central-1",
  "resources": [
    "arn:aws:s3:::uploads"
  ],
  "detail": {
    "version": "0",
    "bucket": {
      "name": "uploads"
    },
    "object": {
      "key": "in/a.txt",
      "size": 5,
      "etag": "9afe8d6fb9b37502fd1ff91c5813809b",
      "sequencer": "017d1171a4005ac5"
    },
    "request-id": "IHAXQQUUVEAPH0RZ",
    "requester": "111122223333",
    "source-ip-address": "127.0.0.1",
    "reason": "PutObject"
  }
}
J
run 0 "$SFC" event s3 uploads created in/a.txt --size 5 --account 111122223333 --region ca-central-1 \
  --time 2021-11-12T00:00:00Z --id 17793124-05d4-b198-2fde-7ededc63b103 && out_file "$tmp/s3.json"
# options may come before the arguments
run 0 "$SFC" event s3 --id 17793124-05d4-b198-2fde-7ededc63b103 --size 5 --account 111122223333 \
  --region ca-central-1 --time 2021-11-12T00:00:00Z uploads created in/a.txt && out_file "$tmp/s3.json"

cat >"$tmp/scheduled.json" <<'J'
{
  "version": "0",
  "id": "90bad91f-f763-4fa8-bbe4-43732f08573f",
  "detail-type": "Scheduled Event",
  "source": "aws.events",
  "account": "123456789012",
  "time": "2026-05-01T12:00:00Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:events:us-east-1:123456789012:rule/nightly"
  ],
  "detail": {}
}
J
# a rule name is made its ARN; the id is derived from the event, so it is the same each time
run 0 "$SFC" event scheduled nightly --time 2026-05-01T12:00:00Z && out_file "$tmp/scheduled.json"
run 0 "$SFC" event scheduled arn:aws:events:us-east-1:123456789012:rule/nightly --time 2026-05-01T12:00:00Z &&
  out_file "$tmp/scheduled.json"

cat >"$tmp/status.json" <<'J'
{
  "version": "0",
  "id": "s-1",
  "detail-type": "Step Functions Execution Status Change",
  "source": "aws.states",
  "account": "123456789012",
  "time": "2024-01-01T00:00:00Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:states:us-east-1:123456789012:execution:Ingest:run-1"
  ],
  "detail": {
    "executionArn": "arn:aws:states:us-east-1:123456789012:execution:Ingest:run-1",
    "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Ingest",
    "name": "run-1",
    "status": "FAILED",
    "startDate": 1704067140000,
    "stopDate": 1704067200000,
    "input": "{\"a\":1}",
    "output": null,
    "inputDetails": {
      "included": true
    },
    "outputDetails": null,
    "error": "States.TaskFailed",
    "cause": "it broke"
  }
}
J
run 0 "$SFC" event status-change arn:aws:states:us-east-1:123456789012:stateMachine:Ingest run-1 FAILED \
  --input '{"a":1}' --error States.TaskFailed --cause 'it broke' --start 2023-12-31T23:59:00Z --id s-1 &&
  out_file "$tmp/status.json"
# RUNNING: no stopDate; --start defaults to --time
run 0 "$SFC" event status-change arn:aws:states:us-east-1:123456789012:stateMachine:Ingest run-1 RUNNING --id s-1 &&
  grep -q '"startDate": 1704067200000,' "$tmp/out" && grep -q '"stopDate": null,' "$tmp/out" &&
  grep -q '"input": null,' "$tmp/out" && pass

cat >"$tmp/put.json" <<'J'
{
  "version": "0",
  "id": "p-1",
  "detail-type": "Done",
  "source": "my.app",
  "account": "123456789012",
  "time": "2024-01-01T00:00:00Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:s3:::b12",
    "arn:aws:s3:::c12"
  ],
  "detail": {
    "k": [
      1,
      2.5
    ]
  }
}
J
run 0 "$SFC" event put my.app Done '{"k":[1,2.5]}' --resources arn:aws:s3:::b12,arn:aws:s3:::c12 --bus app --id p-1 &&
  out_file "$tmp/put.json"

arn=arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly
run 0 "$SFC" event scheduler $arn --time 2026-05-01T12:00:00Z --id d32c5kddcf5bb8c3 \
  --input '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","id":"<aws.scheduler.execution-id>","n":<aws.scheduler.attempt-number>}' &&
  out_is '{"arn":"arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly","at":"2026-05-01T12:00:00Z","id":"d32c5kddcf5bb8c3","n":1}'
run 0 "$SFC" event scheduler $arn --input '<aws.scheduler.execution-id>' && out_is 04e7d6278460d3ec # SHA-256 of "ARN@ms", its first 8 bytes
run 0 "$SFC" event scheduler $arn && out_is '{}'

# ---- help
run 0 "$SFC" event --help && grep -q '^usage: sfc event KIND ARGS\.\.\. \[options\]$' "$tmp/out" &&
  grep -q '^exit codes: 0 printed, 2 bad usage, 3 input AWS would refuse$' "$tmp/out" && pass
for kind in s3 scheduled status-change put scheduler; do
  run 0 "$SFC" event $kind --help && grep -q "^usage: sfc event $kind " "$tmp/out" && pass
done
run 0 "$SFC" event s3 uploads --help && grep -q '^usage: sfc event s3 BUCKET' "$tmp/out" && pass
run 0 "$SFC" --help && grep -q 'sfc event KIND ARGS\.\.\. \[options\]' "$tmp/out" && pass

# ---- bad usage: 2
run 2 "$SFC" event && err_is "sfc: error: expected KIND: s3, scheduled, status-change, put or scheduler
Try 'sfc event --help'."
run 2 "$SFC" event nope && err_is "sfc: error: unknown KIND 'nope': expected s3, scheduled, status-change, put or scheduler
Try 'sfc event --help'."
run 2 "$SFC" event s3 uploads created && err_is "sfc: error: expected BUCKET created|deleted KEY
Try 'sfc event s3 --help'."
run 2 "$SFC" event s3 uploads created k extra && err_is "sfc: error: unexpected argument 'extra'
Try 'sfc event s3 --help'."
run 2 "$SFC" event scheduled r1 --size 3 && err_is "sfc: error: unknown option '--size'
Try 'sfc event scheduled --help'."
run 2 "$SFC" event scheduled r1 --time && err_is "sfc: error: --time takes a value
Try 'sfc event scheduled --help'."
run 2 "$SFC" event scheduled r1 --time 2026-02-30T00:00:00Z &&
  err_is "sfc: error: --time takes a timestamp such as 2026-05-01T12:00:00Z, not '2026-02-30T00:00:00Z'
Try 'sfc event scheduled --help'."
run 2 "$SFC" event s3 uploads created k --size -1 && err_is "sfc: error: --size takes a number of bytes, not '-1'
Try 'sfc event s3 --help'."
run 2 "$SFC" event s3 uploads deleted k --size 1 && err_is "sfc: error: --size is for a created object
Try 'sfc event s3 --help'."
run 2 "$SFC" event put s d '{}' --account 12345 && err_is "sfc: error: --account takes 12 digits, not '12345'
Try 'sfc event put --help'."
run 2 "$SFC" event put s d '{}' --region US && err_is "sfc: error: --region takes a Region such as us-east-1, not 'US'
Try 'sfc event put --help'."
run 2 "$SFC" event status-change arn:aws:states:us-east-1:123456789012:stateMachine:M r SUCCEEDED \
  --start 2026-01-02T00:00:00Z && err_is "sfc: error: --start is after --time, when the execution stopped
Try 'sfc event status-change --help'."
run 2 "$SFC" event s3 uploads created "$(printf 'a\377')" && err_is "sfc: error: an argument is not valid UTF-8: 'a\xff'
Try 'sfc event s3 --help'."

# ---- input AWS would refuse: 3, nothing printed
run 3 "$SFC" event s3 Uploads created k && err_is "sfc: error: invalid bucket name 'Uploads': 'U' cannot appear in a bucket name"
[ -s "$tmp/out" ] && fail "a refused event printed something" || pass
run 3 "$SFC" event s3 uploads moved k && err_is "sfc: error: an S3 object event is 'created' or 'deleted', not 'moved'"
run 3 "$SFC" event scheduled 'a rule' && err_is "sfc: error: invalid rule name 'a rule': ' ' cannot appear in an EventBridge rule name"
run 3 "$SFC" event status-change arn:aws:lambda:us-east-1:123456789012:function:f r RUNNING &&
  err_is "sfc: error: 'arn:aws:lambda:us-east-1:123456789012:function:f' is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)"
run 3 "$SFC" event status-change arn:aws:states:us-east-1:123456789012:stateMachine:M r DONE &&
  err_is "sfc: error: an execution's status is RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE, not 'DONE'"
run 3 "$SFC" event status-change arn:aws:states:us-east-1:123456789012:stateMachine:M r RUNNING --input '{' &&
  grep -q "^sfc: error: --input: not JSON: " "$tmp/err" && pass
run 3 "$SFC" event put my.app Done '[1]' && err_is "sfc: error: MalformedDetail: Detail is malformed."
run 3 "$SFC" event put my.app Done 'nope' && err_is "sfc: error: MalformedDetail: Detail is malformed."
run 3 "$SFC" event scheduler arn:aws:events:us-east-1:123456789012:rule/r &&
  err_is "sfc: error: 'arn:aws:events:us-east-1:123456789012:rule/r' is not a schedule ARN (arn:aws:scheduler:REGION:ACCOUNT:schedule/GROUP/NAME)"

# ---- its output is an event sfc match takes
printf '{"source":["aws.s3"],"detail":{"object":{"key":[{"prefix":"in/"}]}}}' >"$tmp/pattern.json"
"$SFC" event s3 uploads created in/a.txt >"$tmp/event.json"
run 0 "$SFC" match "$tmp/pattern.json" "$tmp/event.json" && out_is match

summary event-cli
