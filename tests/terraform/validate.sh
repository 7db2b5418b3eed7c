#!/bin/sh
# `terraform init -backend=false && terraform validate` on the upload example's
# module, when the hashicorp/aws provider is at hand without a download: in
# TF_PLUGIN_CACHE_DIR, a filesystem mirror Terraform searches by default
# (~/.terraform.d/plugins, ~/.local/share/terraform/plugins, /usr/share/terraform/plugins,
# /usr/local/share/terraform/plugins) or SFC_TF_PLUGIN_DIR. The provider cannot be
# downloaded here, so this usually says why it skipped; tests/terraform/check.sh
# checks the same modules against the provider's schema offline.
# Ends with "terraform-validate: N passed, N failed" or "terraform-validate: skipped: WHY".
set -u
cd "$(dirname "$0")/../.." || exit 1
SFC=${SFC:-./sfc}
if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform-validate: skipped: no terraform on PATH"; exit 0
fi
found=
for d in ${SFC_TF_PLUGIN_DIR:-} ${TF_PLUGIN_CACHE_DIR:-} "$HOME/.terraform.d/plugins" \
         "$HOME/.local/share/terraform/plugins" /usr/share/terraform/plugins /usr/local/share/terraform/plugins; do
  [ -d "$d/registry.terraform.io/hashicorp/aws" ] && { found=$d; break; }
done
if [ -z "$found" ]; then
  echo "terraform-validate: skipped: no hashicorp/aws provider in a plugin cache or filesystem mirror (set SFC_TF_PLUGIN_DIR); the provider schema check in tests/terraform/check.sh ran instead"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0 failed=0
for src in examples/*.sf tests/compile/terraform_*.sf; do
  args=
  [ -f "${src%.sf}.args" ] && args=$(sed 's/--emit [a-z,]*//' "${src%.sf}.args")
  dir="$tmp/$(basename "${src%.sf}")"
  # shellcheck disable=SC2086
  "$SFC" -q "$src" -o "$dir" --emit terraform $args 2>/dev/null
  if (cd "$dir" && terraform init -backend=false -input=false -plugin-dir="$found" >"$tmp/log" 2>&1 &&
      terraform validate -no-color >>"$tmp/log" 2>&1); then passed=$((passed + 1))
  else failed=$((failed + 1)); echo "FAIL $src: terraform validate"; tail -n 20 "$tmp/log"; fi
done
echo "terraform-validate: $passed passed, $failed failed"
