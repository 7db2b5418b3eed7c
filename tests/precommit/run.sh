#!/bin/sh
# The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit framework
# (Debian package pre-commit) with the sfc under test ($SFC) first on PATH, in a
# scratch repository: sfc-check passes good files and fails a bad .sf and a bad
# .asl.json with their file:line:col errors; sfc-fmt rewrites an unformatted file and
# fails, then passes; and an installed hook refuses a bad commit and takes a good one.
# The hooks come from a scratch copy of .pre-commit-hooks.yaml (committed there), so
# the file as it is in the worktree is what is tested. Nothing reaches the network:
# a local hook repository, language: system, PRE_COMMIT_HOME in $tmp.
# Called by tests/run with $SFC set; ends with "precommit: N passed, N failed", or
# "precommit: skipped: WHY".
. "$(dirname "$0")/../lib.sh"
root=$(pwd)
if ! command -v pre-commit >/dev/null 2>&1; then
  echo "precommit: skipped: no pre-commit (Debian package pre-commit; scripts/install-deps --test)"
  exit 0
fi
if ! command -v git >/dev/null 2>&1; then echo "precommit: skipped: no git"; exit 0; fi

# sfc on PATH as "sfc", whatever $SFC is called (build/asan/sfc, ./sfc)
mkdir "$tmp/bin"
ln -s "$SFC" "$tmp/bin/sfc"
PATH=$tmp/bin:$PATH
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
export GIT_AUTHOR_NAME=sfc-test GIT_AUTHOR_EMAIL=sfc-test@example.com
export GIT_COMMITTER_NAME=sfc-test GIT_COMMITTER_EMAIL=sfc-test@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" # no user's or system's git settings

mkdir "$tmp/hooks"
cp "$root/.pre-commit-hooks.yaml" "$tmp/hooks/"
(cd "$tmp/hooks" && git init -q && git add .pre-commit-hooks.yaml && git commit -qm hooks) ||
  { fail "cannot make the hook repository"; summary precommit; exit; }

mkdir "$tmp/repo"
cd "$tmp/repo" || exit 1
git init -q
printf 'workflow Good {\n  succeed Done\n}\n' >good.sf
printf 'workflow Bad {\n  pass P -> Nowhere\n}\n' >bad.sf
printf '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}\n' >good.asl.json
printf '{"StartAt": "A",\n "States": {"A": {"Type": "Pass", "Next": "B"}}}\n' >bad.asl.json
printf 'workflow  Ugly {\n    succeed   Done\n}\n' >ugly.sf
printf 'workflow Ugly {\n  succeed Done\n}\n' >ugly.want
printf 'not sfc\n' >notes.txt
git add . && git commit -qm start

# try HOOK FILE...: pre-commit try-repo on the hook repository, for FILE...
try() {
  hook=$1
  shift
  pre-commit try-repo "$tmp/hooks" "$hook" --files "$@"
}

run 0 try sfc-check good.sf good.asl.json && has out "sfc check................................................................Passed"
run 1 try sfc-check good.sf bad.sf && has out "sfc check................................................................Failed" &&
  has out "bad.sf:2:13: error: no state named 'Nowhere' in workflow 'Bad'"
run 1 try sfc-check bad.asl.json && has out 'bad.asl.json:2:43: error: /States/A/Next: no state named "B"'
# files: the regex leaves out other files
run 0 try sfc-check notes.txt && has out "sfc check............................................(no files to check)Skipped"

if "$SFC" fmt --help >/dev/null 2>&1; then
  run 1 try sfc-fmt ugly.sf good.sf && has out "sfc fmt..................................................................Failed" &&
    has out "- files were modified by this hook"
  if cmp -s ugly.sf ugly.want; then pass; else fail "sfc-fmt did not rewrite ugly.sf: $(cat ugly.sf)"; fi
  run 0 try sfc-fmt ugly.sf good.sf && has out "sfc fmt..................................................................Passed"
  printf 'workflow Broken {\n' >broken.sf
  run 1 try sfc-fmt broken.sf && has out "broken.sf:1:18: error: expected '}' to close the '{' on line 1, found end of file"
  rm broken.sf
  git checkout -q ugly.sf
else
  echo "skipped: sfc fmt not built"
  skip_fmt=1
fi

# the hooks installed: a commit of a bad file is refused, of a good one made
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: sfc-check\n' \
  "$tmp/hooks" "$(git -C "$tmp/hooks" rev-parse HEAD)" >.pre-commit-config.yaml
git add .pre-commit-config.yaml && git commit -qm config
run 0 pre-commit install && has out "pre-commit installed at .git/hooks/pre-commit"
printf 'workflow Later {\n  pass P -> Gone\n}\n' >later.sf
git add later.sf
run 1 git commit -m "a bad file" && has err "later.sf:2:13: error: no state named 'Gone' in workflow 'Later'"
[ "$(git log --oneline | wc -l)" -eq 2 ] && pass || fail "the bad commit was made"
printf 'workflow Later {\n  pass P -> Done\n  succeed Done\n}\n' >later.sf
git add later.sf
run 0 git commit -m "a good file" && has err "sfc check................................................................Passed"
[ "$(git log --oneline | wc -l)" -eq 3 ] && pass || fail "the good commit was not made"

if [ "${skip_fmt:-0}" = 1 ]; then
  printf 'precommit: %d passed, %d failed, 1 skipped\n' "$passed" "$failed"
  [ "$failed" -eq 0 ]
else
  summary precommit
fi
