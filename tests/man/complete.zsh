# zsh -f tests/man/complete.zsh LINE: what compiler/completions/_sfc offers at the end of LINE,
# one match a line, sorted. Runs an interactive zsh in a pseudo-terminal (zsh/zpty) with
# compinit and _sfc, types LINE and a TAB, and reads the matches off a compadd that
# prints each one it adds, after a \x01 (which the echo of what is typed cannot hold) (its callers' own queries, -O -A -D, pass through).
zmodload zsh/zpty || exit 3
completions=${0:A:h:h:h}/compiler/completions
zpty sh zsh -f -i || exit 3
zpty -w sh "PROMPT= RPROMPT=; unsetopt zle_bell; fpath=(${(q)completions} \$fpath)"
zpty -w sh 'autoload -Uz compinit && compinit -u -D'
zpty -w sh 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" insert-tab false'
zpty -w sh 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-[OAD]\ * ]]; then builtin compadd "$@"; return; fi
  local -a m; builtin compadd -O m "$@"
  (( $#m )) && print -rl -- $'"'"'\x01'"'"'${^m}
  builtin compadd "$@"
}'
zpty -w sh 'end-of-matches() { print -r -- $'"'"'\x02'"'"'; }; comppostfuncs=(end-of-matches)'
zpty -w sh 'bindkey "^I" complete-word'
zpty -w -n sh "$1"$'\t'
out=
integer tries=0 # at most ten seconds
while (( tries++ < 200 )); do
  if zpty -r -t sh line; then
    out+=$line
    [[ $line == *$'\x02'* ]] && break
  else
    sleep 0.05
  fi
done
zpty -d sh
print -rl -- ${(f)out} | tr -d '\r' | sed -n 's/.*\x01//p' | LC_ALL=C sort -u
