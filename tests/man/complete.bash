# tests/man/complete.bash WORD...: what compiler/completions/sfc.bash offers for the command
# line WORD... (the last word is the one being completed), one reply a line, as
# bash would call it (the words split as COMP_WORDBREAKS splits them: the caller
# passes '--diagnostics' '=' '' for "--diagnostics=").
. "$(dirname "${BASH_SOURCE[0]}")/../../compiler/completions/sfc.bash" || exit 1
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
_sfc sfc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
