#!/bin/sh
# sfc match PATTERN.json EVENT.json from the command line: what it prints and its exit
# codes (0 match, 1 no match, 2 bad usage, 3 unreadable file or invalid pattern or
# event). The matcher's semantics are unit-tested in tests/unit/test_match.c.
# Called by tests/run with $SFC set; ends with "match-cli: N passed, N failed".
. "$(dirname "$0")/../lib.sh"

cd "$tmp" || exit 1
cat >pattern.json <<'J'
{"source": ["aws.s3"], "detail-type": ["Object Created"],
 "detail": {"bucket": {"name": ["uploads"]}, "object": {"key": [{"prefix": "in/"}]}}}
J
cat >event.json <<'J'
{"version": "0", "id": "17793124-05d4-b198-2fde-7ededc63b103", "detail-type": "Object Created",
 "source": "aws.s3", "account": "111122223333", "time": "2021-11-12T00:00:00Z",
 "region": "ca-central-1", "resources": ["arn:aws:s3:::uploads"],
 "detail": {"bucket": {"name": "uploads"}, "object": {"key": "in/a.txt", "size": 5}}}
J
sed 's#"in/a.txt"#"out/a.txt"#' event.json >other.json

run 0 "$SFC" match pattern.json event.json && out_is "match"
run 1 "$SFC" match pattern.json other.json &&
  out_is 'no match: detail.object.key: "out/a.txt" does not match [{"prefix":"in/"}]'
run 0 sh -c "\"$SFC\" match pattern.json - <event.json" && out_is "match"
run 0 sh -c "\"$SFC\" match - event.json <pattern.json"
run 0 "$SFC" match -- pattern.json event.json

# usage
run 0 "$SFC" match --help && grep -q '^usage: sfc match PATTERN.json EVENT.json' "$tmp/out" &&
  pass || fail "--help does not start with the usage line"
run 2 "$SFC" match pattern.json && err_is "sfc: error: expected PATTERN.json EVENT.json
Try 'sfc match --help'."
run 2 "$SFC" match && err_is "sfc: error: expected PATTERN.json EVENT.json
Try 'sfc match --help'."
run 2 "$SFC" match pattern.json event.json extra && err_is "sfc: error: unexpected argument 'extra': expected PATTERN.json EVENT.json
Try 'sfc match --help'."
run 2 "$SFC" match --frobnicate pattern.json event.json && err_is "sfc: error: unknown option '--frobnicate'
Try 'sfc match --help'."
run 2 "$SFC" match - - && err_is "sfc: error: only one of PATTERN.json and EVENT.json may be '-'
Try 'sfc match --help'."

# bad input
run 3 "$SFC" match missing.json event.json &&
  err_is "sfc: error: cannot read 'missing.json': No such file or directory"
printf '{"source": ["aws.s3"],\n  "detail": [}\n' >broken.json
run 3 "$SFC" match broken.json event.json && grep -q '^broken.json:2:14: error: ' "$tmp/err" &&
  pass || fail "bad JSON: $(cat "$tmp/err")"
run 3 "$SFC" match pattern.json broken.json && grep -q '^broken.json:2:14: error: ' "$tmp/err" &&
  pass || fail "bad JSON event: $(cat "$tmp/err")"
printf '{"detail": {"n": [{"numeric": [">", 0, ">", 0]}]}}\n' >invalid.json
run 3 "$SFC" match invalid.json event.json &&
  err_is 'invalid.json: error: invalid event pattern: detail.n: bad numeric range operator: ">": expected "<" or "<=" after the lower bound'
# integers past 64 bits are refused, not rounded (README, "Matching events")
printf '{"id": 123456789012345678901}\n' >bigint.json
run 3 "$SFC" match pattern.json bigint.json && grep -q '^bigint.json:1:[0-9]*: error: too big integer' "$tmp/err" &&
  pass || fail "big integer: $(cat "$tmp/err")"
printf '["x"]\n' >array.json
run 3 "$SFC" match pattern.json array.json && err_is "array.json: error: an event must be a JSON object"

# A.12: PutRule and TestEventPattern take at most 4096 characters; a multi-byte
# character counts once
awk 'BEGIN { printf "{\"k\": [\""; for (i = 0; i < 4084; i++) printf "\303\251"; print "\"]}" }' >long.json
run 1 "$SFC" match long.json event.json && out_is 'no match: k: missing, which does not match ["'"$(awk 'BEGIN { for (i = 0; i < 4084; i++) printf "\303\251" }')"'"]'
awk 'BEGIN { printf "{\"k\": [\""; for (i = 0; i < 4085; i++) printf "x"; print "\"]}" }' >toolong.json
run 3 "$SFC" match toolong.json event.json &&
  err_is "toolong.json: error: an event pattern is at most 4096 characters (EventPattern), not 4097"

summary match-cli
