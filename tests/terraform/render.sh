#!/bin/sh
# What the module deploys is what sfc writes: every templatefile() in MODULE's .tf
# files, and every target input written inline, rendered by Terraform itself
# (`terraform console`, offline) with the module's own locals and variables at their
# defaults, must give exactly what `sfc -D account=ACCOUNT -D region=REGION` wrote
# into CONCRETE (an event pattern: the EventPattern of its rule request; an input:
# the Input or InputTemplate of its target).
#
#   tests/terraform/render.sh MODULE CONCRETE ACCOUNT REGION
#
# The account and region come from data sources, which need the AWS provider; here
# they are replaced by ACCOUNT and REGION, and only main.tf and variables.tf are
# evaluated (no resource, so no provider). Prints one line per template that
# differs and "render: N passed, N failed"; exits 1 on a difference.
set -u
module=$1 concrete=$2 account=$3 region=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
[ -n "${KEEP:-}" ] && trap - EXIT
sed -e "s/data\.aws_caller_identity\.current\.account_id/\"$account\"/" \
    -e "s/data\.aws_region\.current\.name/\"$region\"/" \
    -e "s/data\.aws_partition\.current\.partition/\"aws\"/" \
    -e '/^data "aws_[a-z_]*" "current" {}$/d' "$module/main.tf" >"$work/main.tf"
cp "$module/variables.tf" "$work/variables.tf"
abs=$(cd "$module" && pwd)
# every template the module renders, once
grep -ho 'templatefile("${path.module}/[^"]*"' "$module"/*.tf |
  sed 's/^templatefile("${path.module}\///; s/"$//' | sort -u >"$work/templates"
# the target inputs written inline: resource label, argument, expression
awk '/^resource "aws_(scheduler_schedule|cloudwatch_event_target)"/ { kind = $2; label = $3; gsub(/"/, "", kind); gsub(/"/, "", label) }
     /^ +(input|input_template) += "/ { key = $1; sub(/^ +[a-z_]+ += /, ""); print kind "\t" label "\t" key "\t" $0 }' \
  "$module"/*.tf >"$work/inline"
# piped, the console prints only the last result: one list, an element per line
{
  echo '['
  while IFS= read -r t; do
    printf '  base64encode(templatefile("%s/%s", local.template_vars)),\n' "$abs" "$t"
  done <"$work/templates"
  while IFS="$(printf '\t')" read -r kind label key expr; do
    printf '  base64encode(%s),\n' "$expr"
  done <"$work/inline"
  echo ']'
} | tr -d '\n' >"$work/expressions"
echo >>"$work/expressions"
# VARS="-var env=prod -var name_prefix=p-": render with those values instead; then
# every name the module creates is expected with the prefix wherever an ARN ends in
# it (compile CONCRETE with the same -D values)
prefix=$(printf '%s\n' "${VARS:-}" | sed -n 's/.*-var name_prefix=\([^ ]*\).*/\1/p')
grep -ho '^  name *= "${var.name_prefix}[^"]*"' "$module"/*.tf |
  sed 's/^  name *= "${var.name_prefix}//; s/"$//' >"$work/created"
# shellcheck disable=SC2086
(cd "$work" && terraform console ${VARS:-} <"$work/expressions" 2>"$work/err") |
  sed -n 's/^  "\(.*\)",$/\1/p' >"$work/rendered"
passed=0 failed=0
# prefixed FILE: each created name at the end of an ARN (or an ARN's resource part)
# gets $prefix
# compare WHAT: got and want must be the same bytes
compare() {
  if cmp -s "$work/got" "$work/want"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $1:"
    diff "$work/want" "$work/got" | head -n 10
  fi
}
prefixed() { node "$(dirname "$0")/prefixed.js" "$1" "$work/created" "$prefix"; }
if [ "$(wc -l <"$work/rendered")" -ne $(($(wc -l <"$work/templates") + $(wc -l <"$work/inline"))) ]; then
  echo "FAIL $module: terraform console: $(head -c 2000 "$work/err")"
  echo "render: 0 passed, 1 failed"
  exit 1
fi
n=0
while IFS= read -r t; do
  n=$((n + 1))
  sed -n "${n}p" "$work/rendered" | base64 -d >"$work/got"
  doc=${t%.tftpl}
  case $doc in
    *.pattern.json)
      node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1])).EventPattern)' \
        "$concrete/${doc%.pattern.json}.rule.json" >"$work/want" ;;
    *) cp "$concrete/$doc" "$work/want" ;;
  esac
  [ -n "$prefix" ] && prefixed "$work/want"
  compare "$module/$t: Terraform renders something other than $concrete/$doc"
done <"$work/templates"
# an inline input against the request's Input or InputTemplate
while IFS="$(printf '\t')" read -r kind label key expr; do
  n=$((n + 1))
  sed -n "${n}p" "$work/rendered" | base64 -d >"$work/got"
  node -e '
    const [file, kind, key] = process.argv.slice(1);
    const r = JSON.parse(require("fs").readFileSync(file));
    const target = kind === "aws_scheduler_schedule" ? r.Target : r.Targets[0];
    process.stdout.write(key === "input" ? target.Input : target.InputTransformer.InputTemplate);
  ' "$concrete/$label.$([ "$kind" = aws_scheduler_schedule ] && echo schedule || echo targets).json" \
    "$kind" "$key" >"$work/want"
  compare "$module: $kind.$label $key renders something other than the request's"
done <"$work/inline"
echo "render: $passed passed, $failed failed"
[ "$failed" = 0 ]
