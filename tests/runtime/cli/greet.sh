# A mock of the greet function (mocks.json, "Run"): its event on stdin, its result
# on stdout.
read -r event
printf '{"greeted":%s,"state":"%s","call":%s}\n' "$event" "$SFC_STATE" "$SFC_CALL_INDEX"
