#!/bin/sh
# The Terraform module sfc writes, for every golden test (tests/compile/*.sf) and
# example, and for all examples as one program:
#   - `terraform fmt` changes nothing, every .tf file parses with HashiCorp's HCL
#     library, every reference resolves inside the module, and every resource fits
#     the AWS provider's schema (tests/terraform/check.sh);
#   - Terraform renders every template and inline input to exactly what
#     `sfc -D account=... -D region=...` writes (tests/terraform/render.sh).
# Ends with "terraform: N passed, N failed[, N skipped]" (a check that could not run,
# e.g. without Go's HCL library, is counted and its reason printed), or
# "terraform: skipped: WHY" when there is no terraform binary.
set -u
cd "$(dirname "$0")/../.." || exit 1
SFC=${SFC:-./sfc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform: skipped: no terraform on PATH (it renders the templates and checks fmt)"
  exit 0
fi
passed=0 failed=0 skipped=0
: >"$tmp/skips"
account=123456789012 region=eu-west-1

# check_module NAME MODULE CONCRETE
check_module() {
  # fmt, HCL parse and references, provider schema: their counts join ours
  sh tests/terraform/check.sh "$2" >"$tmp/check.out" 2>&1
  summary=$(tail -n 1 "$tmp/check.out")
  p=$(printf '%s\n' "$summary" | sed -n 's/^summary: .* passed=\([0-9]*\) failed=.*/\1/p')
  f=$(printf '%s\n' "$summary" | sed -n 's/^summary: .* failed=\([0-9]*\) skipped=.*/\1/p')
  k=$(printf '%s\n' "$summary" | sed -n 's/^summary: .* skipped=\([0-9]*\) problems=.*/\1/p')
  if [ -z "$p" ]; then
    failed=$((failed + 1)); echo "FAIL $1: tests/terraform/check.sh gave no summary"; tail -n 20 "$tmp/check.out"
  else
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + k))
    [ "$f" = 0 ] || { echo "FAIL $1: the module does not pass tests/terraform/check.sh"; grep -v '^ok ' "$tmp/check.out" | head -n 20; }
    grep ': skipped: ' "$tmp/check.out" >>"$tmp/skips"
  fi
  if sh tests/terraform/render.sh "$2" "$3" "$account" "$region" >"$tmp/render.out" 2>&1; then passed=$((passed + 1))
  else failed=$((failed + 1)); echo "FAIL $1: Terraform renders other documents than sfc writes"; head -n 20 "$tmp/render.out"; fi
}

# module NAME ARGS... : compiles the module and the concrete files, then checks them
module() {
  name=$1; shift
  dir="$tmp/m-$(echo "$name" | tr '/* ' '___')"
  # shellcheck disable=SC2068
  if ! "$SFC" -q -o "$dir" --emit terraform $@ >/dev/null 2>"$tmp/stderr"; then
    failed=$((failed + 1)); echo "FAIL $name: the module does not compile"; cat "$tmp/stderr"; return
  fi
  d=
  grep -q 'account *= data.aws_caller_identity' "$dir/main.tf" && d="$d -D account=$account"
  grep -q 'region *= data.aws_region' "$dir/main.tf" && d="$d -D region=$region"
  # shellcheck disable=SC2068,SC2086
  if ! "$SFC" -q -o "$dir.concrete" --emit asl,rules,iam $@ $d >/dev/null 2>"$tmp/stderr"; then
    failed=$((failed + 1)); echo "FAIL $name: no concrete files"; cat "$tmp/stderr"; return
  fi
  check_module "$name" "$dir" "$dir.concrete"
}

for src in tests/compile/*.sf examples/*.sf; do
  args=
  [ -f "${src%.sf}.args" ] && args=$(sed 's/--emit [a-z,]*//' "${src%.sf}.args")
  # shellcheck disable=SC2086
  module "$src" "$src" $args
done
# shellcheck disable=SC2046
module "examples/*.sf" $(ls examples/*.sf)
# Deploy-time values stay deploy-time: `-var env=prod -var name_prefix=p-` renders
# what `sfc -D env=prod` writes, with p- before every created name in the ARNs; and
# the defaults do not (the check can fail).
ex="$tmp/m-examples_upload.sf"
if "$SFC" -q examples/upload.sf -o "$tmp/prod" --emit asl,rules,iam -D env=prod -D account=$account \
     -D region=$region 2>"$tmp/stderr"; then
  if VARS="-var env=prod -var name_prefix=p-" sh tests/terraform/render.sh "$ex" "$tmp/prod" $account $region \
       >"$tmp/render.out" 2>&1; then passed=$((passed + 1))
  else failed=$((failed + 1)); echo "FAIL examples/upload.sf: -var env=prod -var name_prefix=p- does not render sfc -D env=prod"; head -n 20 "$tmp/render.out"; fi
  if sh tests/terraform/render.sh "$ex" "$tmp/prod" $account $region >/dev/null 2>&1; then
    failed=$((failed + 1)); echo "FAIL examples/upload.sf: the defaults render what -D env=prod writes"
  else passed=$((passed + 1)); fi
else
  failed=$((failed + 1)); echo "FAIL examples/upload.sf -D env=prod"; cat "$tmp/stderr"
fi
# each reason once: the same check skipped for every module
sed 's/ [^ ]*$//' "$tmp/skips" | sort -u
if [ "$skipped" -gt 0 ]; then echo "terraform: $passed passed, $failed failed, $skipped skipped"
else echo "terraform: $passed passed, $failed failed"; fi
