# bash completion for sfc. Installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/sfc; needs only bash itself (not the
# bash-completion package's helpers). tests/man/run.sh checks that every option of
# each command's --help, and every warning name, is offered here.

# The commands, then each command's options (those of the compile family are the
# options of `sfc FILE...` itself).
_sfc_commands='compile check explain docs run test-state test match simulate event fmt import help'
_sfc_compile_opts='-o --output -D --emit -q --quiet --type --substitute --substitutions
  --werror -Werror -Wno- --dump-model --diagnostics= --asl -- -h --help --version'
_sfc_run_opts='--workflow --input --mocks --case --history --seed --start -D -h --help'
_sfc_test_state_opts='--definition --state-name --input --variables --mock --context
  --state-configuration --inspection-level --request --seed -h --help'
_sfc_test_opts='--coverage --coverage-min --filter -q --quiet --seed -D -h --help'
_sfc_match_opts='-h --help'
_sfc_simulate_opts='--event --bus --until --start --mocks --strict --why --json
  --max-executions --seed -D -h --help'
_sfc_fmt_opts='-w --write --check --diff -h --help'
_sfc_import_opts='--name -h --help'
_sfc_event_kinds='s3 scheduled status-change put scheduler'
_sfc_event_opts='--account --region --time --id -h --help'
# the options of one kind of event, besides those above
_sfc_event_s3_opts='--size'
_sfc_event_status_change_opts='--input --output --error --cause --start'
_sfc_event_put_opts='--bus --resources'
_sfc_event_scheduler_opts='--input'
# compiler/diag.c's warning table, in its order
_sfc_warnings='lambda-retry missing-otherwise emit-input literal-path unknown-error
  task-token credentials-path never-fires self-trigger pattern-quota numeric-match
  anything-but jsonata-text jsonpath-key path-space inline-tolerance replaces-config
  unknown-sdk-service jsonata-variable zero-wait'
# the options that take a value
_sfc_valued='-o --output -D --emit --type --substitute --substitutions --diagnostics
  --workflow --input --mocks --case --seed --start --definition --state-name --variables
  --mock --context --state-configuration --inspection-level --request --coverage-min
  --filter --event --bus --until --max-executions --account --region --time --id --size
  --error --cause --resources --name'
_sfc_emit_values='asl rules iam terraform docs all'
_sfc_diagnostics_values='text json sarif github'

# _sfc_files EXT...: the files named *.EXT, and directories to go into.
_sfc_files() {
  local ext f
  compopt -o filenames 2>/dev/null
  while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -d -- "$cur")
  for ext in "$@"; do
    while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -X "!*.$ext" -- "$cur")
  done
}

# _sfc_value OPTION: complete the value of OPTION (in $cur); returns 1 when OPTION
# takes no value.
_sfc_value() {
  local w
  case $1 in
    -o|--output) [ "$cmd" = event ] && return 0 # status-change's output: JSON
      compopt -o filenames 2>/dev/null
      while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -d -- "$cur") ;;
    --emit) # a comma-separated list: complete its last member
      local head=${cur%"${cur##*,}"}
      while IFS= read -r w; do COMPREPLY+=("$head$w"); done \
        < <(compgen -W "$_sfc_emit_values" -- "${cur##*,}") ;;
    --diagnostics) COMPREPLY=($(compgen -W "$_sfc_diagnostics_values" -- "$cur")) ;;
    --type) COMPREPLY=($(compgen -W 'express standard' -- "$cur")) ;;
    --inspection-level) COMPREPLY=($(compgen -W 'INFO DEBUG TRACE' -- "$cur")) ;;
    --mocks|--substitutions) _sfc_files json ;;
    --input|--event|--definition|--variables|--mock|--context|--state-configuration|--request)
      # JSON, or @FILE
      if [[ $cur == @* ]]; then
        local at=$cur
        cur=${at#@}
        _sfc_files json
        COMPREPLY=("${COMPREPLY[@]/#/@}")
        cur=$at
      fi ;;
    *) _sfc_takes_value "$1" || return 1 ;; # free text
  esac
  return 0
}

# Whether OPTION takes a value (the next word, or after '=').
_sfc_takes_value() {
  local o
  for o in $_sfc_valued; do [ "$o" = "$1" ] && return 0; done
  return 1
}

_sfc() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local cmd=compile first=1 i
  COMPREPLY=()
  case ${COMP_WORDS[1]} in
    compile|check|explain|docs|run|test-state|test|match|simulate|event|fmt|import|help)
      cmd=${COMP_WORDS[1]} first=2 ;;
  esac
  [ "$cmd" = help ] && return 0

  # --opt=value: as one word, or as three when '=' breaks words
  if [[ $cur == --*=* ]]; then
    local opt=${cur%%=*}
    cur=${cur#*=}
    _sfc_value "$opt" && COMPREPLY=("${COMPREPLY[@]/#/$opt=}")
    return 0
  fi
  if [ "$cur" = = ] && [ "$COMP_CWORD" -gt 1 ]; then
    cur=
    _sfc_value "$prev"
    return 0
  fi
  if [ "$prev" = = ] && [ "$COMP_CWORD" -gt 2 ]; then
    _sfc_value "${COMP_WORDS[COMP_CWORD-2]}"
    return 0
  fi
  if [ "$COMP_CWORD" -gt "$first" ] && _sfc_value "$prev"; then return 0; fi

  # the command itself (or, for `sfc FILE...`, a file)
  if [ "$COMP_CWORD" = 1 ] && [[ $cur != -* ]]; then
    COMPREPLY=($(compgen -W "$_sfc_commands" -- "$cur"))
    _sfc_files sf
    return 0
  fi

  local opts
  case $cmd in
    compile|check|explain|docs) opts=$_sfc_compile_opts ;;
    run) opts=$_sfc_run_opts ;;
    test-state) opts=$_sfc_test_state_opts ;;
    test) opts=$_sfc_test_opts ;;
    match) opts=$_sfc_match_opts ;;
    simulate) opts=$_sfc_simulate_opts ;;
    fmt) opts=$_sfc_fmt_opts ;;
    import) opts=$_sfc_import_opts ;;
    event)
      local kind=${COMP_WORDS[2]}
      opts=$_sfc_event_opts
      case $kind in
        s3) opts="$opts $_sfc_event_s3_opts" ;;
        status-change) opts="$opts $_sfc_event_status_change_opts" ;;
        put) opts="$opts $_sfc_event_put_opts" ;;
        scheduler) opts="$opts $_sfc_event_scheduler_opts" ;;
      esac ;;
  esac

  if [[ $cur == -W* ]] && [ "$cmd" != event ] && [[ " $opts " == *" -Wno- "* ]]; then
    local w names=
    for w in $_sfc_warnings; do names="$names -W$w -Wno-$w"; done
    COMPREPLY=($(compgen -W "$names -Werror" -- "$cur"))
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    # an option ending in '=' or '-' is a prefix: no space after it
    [[ ${COMPREPLY[0]} == *[=-] ]] && [ ${#COMPREPLY[@]} = 1 ] && compopt -o nospace 2>/dev/null
    return 0
  fi

  # the operands
  case $cmd in
    compile|explain|docs|test|simulate|fmt) _sfc_files sf ;;
    check|run|match) _sfc_files sf json ;;
    import) _sfc_files json ;;
    event)
      # the position among the operands, options and their values left out
      local n=0
      for ((i = 2; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
          -*) _sfc_takes_value "${COMP_WORDS[i]}" && ((i++)) ;;
          *) ((n++)) ;;
        esac
      done
      case $n:${COMP_WORDS[2]} in
        0:*) COMPREPLY=($(compgen -W "$_sfc_event_kinds" -- "$cur")) ;;
        2:s3) COMPREPLY=($(compgen -W 'created deleted' -- "$cur")) ;;
        3:status-change) COMPREPLY=($(compgen -W \
          'RUNNING SUCCEEDED FAILED TIMED_OUT ABORTED PENDING_REDRIVE' -- "$cur")) ;;
      esac ;;
  esac
  return 0
}
complete -F _sfc sfc
