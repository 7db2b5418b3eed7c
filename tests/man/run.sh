#!/bin/sh
# The manual page, the shell completions and `make install`:
#   - compiler/sfc.1 passes `mandoc -T lint` and `groff -ww -mandoc` with no message, and
#     `man -l` renders it;
#   - every command of `sfc --help` and every option of it and of each command's
#     --help is in the page, and the page names no option the binary lacks;
#   - compiler/completions/sfc.bash offers each of those options (run in bash, as bash calls
#     it), each warning, --emit backend, --diagnostics format and event kind the
#     binary knows (read from its own messages), and no value the binary refuses;
#     compiler/completions/_sfc, run in an interactive zsh in a pseudo-terminal
#     (tests/man/complete.zsh), offers the same, and loads with compinit;
#   - `make install DESTDIR=... PREFIX=/usr` installs exactly the four files, with
#     their modes; `make uninstall` removes them.
# Called by tests/run with $SFC set; ends with "man: N passed, N failed, N skipped".
. "$(dirname "$0")/../lib.sh"

skipped=0
# err_empty WHAT: the command said nothing on stderr
err_empty() { if [ -s "$tmp/err" ]; then fail "$1 said: $(cat "$tmp/err")"; else pass; fi; }
skip() { skipped=$((skipped + 1)); printf 'skipped: %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# --- the page renders cleanly ---
if have mandoc; then
  mandoc -T lint compiler/sfc.1 >"$tmp/lint" 2>&1
  if [ -s "$tmp/lint" ]; then fail "mandoc -T lint compiler/sfc.1:"; cat "$tmp/lint"; else pass; fi
else skip "mandoc is not installed (scripts/install-deps --test)"; fi
if have groff; then
  groff -ww -mandoc -Tutf8 compiler/sfc.1 >/dev/null 2>"$tmp/groff"
  if [ -s "$tmp/groff" ]; then fail "groff -ww -mandoc compiler/sfc.1:"; cat "$tmp/groff"; else pass; fi
else skip "groff is not installed (scripts/install-deps --test)"; fi
if have man; then
  run 0 env MANWIDTH=80 MANPAGER=cat PAGER=cat man -l compiler/sfc.1 &&
    has out "sfc fmt [-w | --check] [--diff] file ..." && err_empty 'man -l compiler/sfc.1'
else skip "man is not installed (scripts/install-deps --test)"; fi

# The page as text, to look options up in (mandoc renders without hyphenating).
if have mandoc; then
  mandoc -T ascii compiler/sfc.1 | sed 's/.\x08//g' >"$tmp/page"
else
  skip "without mandoc, the page's commands and options are not compared with --help"
fi

# --- what the binary says it has ---
# options HELPFILE: the options of a --help text, one a line: the leading option words
# of each option line ("  -o, --output DIR  ..." gives -o and --output) and each
# bracketed option ("[--size N]", but not in the usage lines of other commands that
# sfc --help lists). -Wno-NAME stands for the warnings, checked below.
options() {
  { sed -n 's/^  *\(-[^ ].*\)$/\1/p' "$1" | sed 's/  .*//; s/, /\n/g' | sed -n 's/^\(-[^ =]*\).*/\1/p'
    grep -v 'sfc ' "$1" | grep -o '\[--[a-z-]*' | sed 's/^\[//'
  } | grep -vx -e -Wno-NAME | LC_ALL=C sort -u
}
"$SFC" --help >"$tmp/help.compile"
# the commands: "sfc CMD" at the start of each usage line ([compile] is the default)
sed -n 's/^ *\(usage: \)\{0,1\}sfc \[\{0,1\}\([a-z-]*\).*/\2/p' "$tmp/help.compile" |
  sort -u >"$tmp/commands"
grep -qx compile "$tmp/commands" && grep -qx fmt "$tmp/commands" && pass ||
  fail "could not read the commands from sfc --help: $(cat "$tmp/commands")"
for c in run test-state test match simulate event fmt; do
  if grep -qx "$c" "$tmp/commands"; then
    "$SFC" "$c" --help >"$tmp/help.$c" || fail "sfc $c --help exits $?"
  fi
done
options "$tmp/help.compile" >"$tmp/opts.compile"
# any command not above (added since) still has its --help read
while read -r c; do
  case $c in compile|check|explain|docs|help) continue ;; esac
  [ -f "$tmp/help.$c" ] || { "$SFC" "$c" --help >"$tmp/help.$c" || fail "sfc $c --help exits $?"; }
done <"$tmp/commands"
for f in "$tmp"/help.*; do options "$f" >"${f%/help.*}/opts.${f##*/help.}"; done
cat "$tmp"/opts.* | LC_ALL=C sort -u >"$tmp/opts.all"

# the values, from the binary's own refusals of a bogus one
"$SFC" check --diagnostics=bogus x.sf 2>&1 | sed -n "1s/.* takes \(.*\), not 'bogus'.*/\1/p" |
  grep -o "'[a-z]*'" | tr -d "'" >"$tmp/formats"
"$SFC" --emit=bogus x.sf -o "$tmp/o" 2>&1 | sed -n '1s/.*(the backends are \(.*\))$/\1/p' |
  sed 's/, or /, /; s/, /\n/g' >"$tmp/backends"
"$SFC" check -Wno-bogus x.sf 2>&1 | sed -n '1s/.*(the warnings are \(.*\))$/\1/p' |
  sed 's/, /\n/g' >"$tmp/warnings"
sed -n '/KIND is one of/,/^options/s/^  \([a-z0-9-][a-z0-9-]*\) .*/\1/p' "$tmp/help.event" >"$tmp/kinds"
for f in formats backends warnings kinds; do
  if [ "$(wc -l <"$tmp/$f")" -ge 2 ]; then pass; else fail "could not read the $f from sfc"; fi
done

# --- the page has each command and option, and no other option ---
if [ -s "$tmp/page" ]; then
  while read -r c; do
    grep -q "sfc $c\b\|sfc \[$c\]" "$tmp/page" && pass || fail "compiler/sfc.1 lacks the command '$c'"
  done <"$tmp/commands"
  while read -r o; do
    grep -q -- "\(^\|[^A-Za-z-]\)$o\([^A-Za-z-]\|$\)" "$tmp/page" && pass ||
      fail "compiler/sfc.1 lacks the option '$o'"
  done <"$tmp/opts.all"
  grep -o -- '\(^\|[^A-Za-z-]\)--[a-z][a-z-]*' "$tmp/page" | sed 's/^[^-]*//' | sort -u |
    while read -r o; do grep -qx -- "$o" "$tmp/opts.all" || echo "$o"; done >"$tmp/extra"
  if [ -s "$tmp/extra" ]; then fail "compiler/sfc.1 names options no --help has: $(cat "$tmp/extra")"
  else pass; fi
  while read -r w; do
    grep -q -- "$w" "$tmp/page" && pass || fail "compiler/sfc.1 lacks the warning '$w'"
  done <"$tmp/warnings"
  while read -r v; do
    grep -q -- "$v" "$tmp/page" && pass || fail "compiler/sfc.1 lacks the --diagnostics format '$v'"
  done <"$tmp/formats"
fi

# --- bash completion ---
# a directory for the file completions
mkdir -p "$tmp/files/sub" && : >"$tmp/files/a.sf" && : >"$tmp/files/b.json" && : >"$tmp/files/c.txt"
if have bash; then
  complete() { bash tests/man/complete.bash "$@" >"$tmp/out" 2>"$tmp/err"; }
  offers() { # offers WORD COMPLETION...: the replies include WORD
    want=$1; shift
    complete "$@"
    grep -qx -e "$want" -e "$want=" "$tmp/out" && pass || fail "bash: '$*' does not offer '$want': $(tr '\n' ' ' <"$tmp/out") $(cat "$tmp/err")"
  }
  # the commands, and a .sf file beside them
  while read -r c; do offers "$c" sfc ''; done <"$tmp/commands"
  offers help sfc ''
  complete sfc ''
  while read -r c; do [ -e "$c" ] || grep -qx -- "$c" "$tmp/commands" || [ "$c" = help ] ||
    fail "bash offers the command '$c', which sfc --help lacks"; done <"$tmp/out"
  # each option of each command (the compile family's are those of sfc --help)
  for f in "$tmp"/opts.*; do
    c=${f##*/opts.}
    [ "$c" = all ] && continue
    while read -r o; do
      case $c in
        compile) for cc in compile check explain docs; do offers "$o" sfc $cc "$o"; done
          offers "$o" sfc "$o" ;;
        event) # a kind's own options are offered after that kind
          found=0
          for k in $(cat "$tmp/kinds"); do
            complete sfc event "$k" "$o"; grep -qx -- "$o" "$tmp/out" && found=1
          done
          [ $found = 1 ] && pass || fail "bash: no kind of 'sfc event' offers '$o'" ;;
        *) offers "$o" sfc "$c" "$o" ;;
      esac
    done <"$f"
  done
  # the options that take a value (an upper-case word or '=' after them in a --help)
  # are those whose next word bash's completion skips as a value
  cat "$tmp"/help.* | grep -v 'sfc ' |
    { sed -n 's/^  *\(-[^ ].*\)$/\1/p' | sed 's/  .*//; s/, /\n/g'; grep -o '\[--[a-z-]* [A-Z]*'; } |
    sed -n 's/^\[\{0,1\}\(-[^ =]*\)[ =][A-Z].*/\1/p' | grep -vx -e -Wno-NAME | LC_ALL=C sort -u >"$tmp/valued"
  bash -c '. compiler/completions/sfc.bash; while read -r o; do _sfc_takes_value "$o" || echo "$o"; done' \
    <"$tmp/valued" >"$tmp/missing"
  if [ "$(wc -l <"$tmp/valued")" -ge 30 ] && [ ! -s "$tmp/missing" ]; then pass
  else fail "bash: these options take a value, not in _sfc_valued: $(cat "$tmp/missing") (of $(wc -l <"$tmp/valued"))"; fi
  # sfc run's options, exactly
  complete sfc run --
  tr '\n' ' ' <"$tmp/out" >"$tmp/got"
  printf '%s' '--case --help --history --input --mocks --seed --start --workflow ' >"$tmp/want"
  cmp -s "$tmp/got" "$tmp/want" && pass || fail "bash: sfc run -- offers: $(cat "$tmp/got")"
  # the values: exactly the binary's, in both ways bash may split the word
  complete sfc check --diagnostics = ''
  if LC_ALL=C sort "$tmp/formats" | cmp -s - "$tmp/out"; then pass
  else fail "bash: --diagnostics= offers $(tr '\n' ' ' <"$tmp/out"), sfc takes $(tr '\n' ' ' <"$tmp/formats")"; fi
  complete sfc check --diagnostics=j
  [ "$(cat "$tmp/out")" = --diagnostics=json ] && pass || fail "bash: --diagnostics=j offers $(cat "$tmp/out")"
  complete sfc a.sf -o out --emit asl,
  LC_ALL=C sort "$tmp/backends" | sed 's/^/asl,/' | cmp -s - "$tmp/out" && pass ||
    fail "bash: --emit asl, offers $(tr '\n' ' ' <"$tmp/out"), sfc takes $(tr '\n' ' ' <"$tmp/backends")"
  complete sfc check -Wno-
  LC_ALL=C sort "$tmp/warnings" | sed 's/^/-Wno-/' | cmp -s - "$tmp/out" && pass ||
    fail "bash: -Wno- offers $(tr '\n' ' ' <"$tmp/out"), sfc has $(tr '\n' ' ' <"$tmp/warnings")"
  complete sfc event ''
  LC_ALL=C sort "$tmp/kinds" | cmp -s - "$tmp/out" && pass ||
    fail "bash: sfc event offers $(tr '\n' ' ' <"$tmp/out"), sfc has $(tr '\n' ' ' <"$tmp/kinds")"
  # files: .sf (and .json where the command reads ASL), and directories
  (cd "$tmp/files" && bash "$OLDPWD/tests/man/complete.bash" sfc fmt '') >"$tmp/out" 2>&1
  printf 'a.sf\nsub\n' | cmp -s - "$tmp/out" && pass || fail "bash: sfc fmt offers files $(cat "$tmp/out")"
  (cd "$tmp/files" && bash "$OLDPWD/tests/man/complete.bash" sfc check '') >"$tmp/out" 2>&1
  printf 'a.sf\nb.json\nsub\n' | cmp -s - "$tmp/out" && pass || fail "bash: sfc check offers files $(cat "$tmp/out")"
  (cd "$tmp/files" && bash "$OLDPWD/tests/man/complete.bash" sfc run x.sf --input @) >"$tmp/out" 2>&1
  printf '@b.json\n@sub\n' | cmp -s - "$tmp/out" && pass || fail "bash: --input @ offers $(cat "$tmp/out")"
else skip "bash is not installed"; fi

# --- zsh completion ---
if have zsh && zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
  run 0 zsh -n compiler/completions/_sfc
  # compinit in a scratch ZDOTDIR finds _sfc for sfc, and the file loads
  mkdir -p "$tmp/zdot/fn" && cp compiler/completions/_sfc "$tmp/zdot/fn/"
  cat >"$tmp/zdot/.zshrc" <<Z
fpath=("$tmp/zdot/fn" \$fpath)
autoload -Uz compinit && compinit -u -d "$tmp/zdot/zcompdump"
print -r -- "sfc: \$_comps[sfc]"
autoload -Uz +X _sfc && (( \$+functions[_sfc] )) && print loaded
Z
  run 0 env ZDOTDIR="$tmp/zdot" zsh -i -c exit </dev/null &&
    out_is "sfc: _sfc
loaded" && err_empty 'zsh loading _sfc'
  # zcomplete LINE: what _sfc offers at the end of LINE (tests/man/complete.zsh), in $tmp/out
  zcomplete() { zsh -f tests/man/complete.zsh "$1" >"$tmp/out" 2>"$tmp/err"; }
  # zoffers LINE FILE: the matches at LINE include each line of FILE
  zoffers() {
    zcomplete "$1"
    LC_ALL=C sort -u "$2" | LC_ALL=C comm -23 - "$tmp/out" >"$tmp/missing"
    if [ -s "$tmp/missing" ]; then fail "zsh: '$1' does not offer $(tr '\n' ' ' <"$tmp/missing")"
    else pass; fi
  }
  # zexactly LINE FILE: the matches at LINE are the lines of FILE
  zexactly() {
    zcomplete "$1"
    LC_ALL=C sort -u "$2" | cmp -s - "$tmp/out" && pass ||
      fail "zsh: '$1' offers $(tr '\n' ' ' <"$tmp/out"), sfc has $(tr '\n' ' ' <"$2")"
  }
  { cat "$tmp/commands"; echo help; } >"$tmp/want"
  zoffers 'sfc ' "$tmp/want"
  # each command's options (`--` ends the options by itself in zsh's _arguments)
  for f in "$tmp"/opts.*; do
    c=${f##*/opts.}
    grep -vx -- -- "$f" >"$tmp/want"
    case $c in
      all) ;;
      compile) for cc in '' 'compile ' 'check ' 'explain ' 'docs '; do zoffers "sfc $cc-" "$tmp/want"; done ;;
      event) # the union of each kind's
        : >"$tmp/union"
        for k in $(cat "$tmp/kinds"); do zcomplete "sfc event $k -"; cat "$tmp/out" >>"$tmp/union"; done
        LC_ALL=C sort -u "$tmp/union" >"$tmp/u"
        LC_ALL=C sort -u "$tmp/want" | LC_ALL=C comm -23 - "$tmp/u" >"$tmp/missing"
        if [ -s "$tmp/missing" ]; then fail "zsh: no kind of sfc event offers $(tr '\n' ' ' <"$tmp/missing")"
        else pass; fi ;;
      *) zoffers "sfc $c -" "$tmp/want" ;;
    esac
  done
  # the values: exactly the binary's
  zexactly 'sfc check --diagnostics=' "$tmp/formats"
  zexactly 'sfc a.sf -o out --emit=' "$tmp/backends"
  sed 's/^/no-/' "$tmp/warnings" >"$tmp/want"
  zexactly 'sfc check -Wno-' "$tmp/want"
  zexactly 'sfc event ' "$tmp/kinds"
  # files: .sf (and .json where the command reads ASL), and directories
  (cd "$tmp/files" && zsh -f "$OLDPWD/tests/man/complete.zsh" 'sfc fmt ') >"$tmp/out" 2>&1
  printf 'a.sf\nsub\n' | cmp -s - "$tmp/out" && pass || fail "zsh: sfc fmt offers files $(cat "$tmp/out")"
  (cd "$tmp/files" && zsh -f "$OLDPWD/tests/man/complete.zsh" 'sfc check ') >"$tmp/out" 2>&1
  printf 'a.sf\nb.json\nsub\n' | cmp -s - "$tmp/out" && pass || fail "zsh: sfc check offers files $(cat "$tmp/out")"
else skip "zsh (with zsh/zpty) is not installed (scripts/install-deps --test)"; fi

# --- make install / make uninstall ---
if have make && have install; then
  root=$tmp/root
  run 0 make -s install DESTDIR="$root" PREFIX=/usr
  (cd "$root" && find . \( -type f -o -type l \) -printf '%m %P\n' | LC_ALL=C sort) >"$tmp/installed"
  printf '%s\n' '644 usr/share/bash-completion/completions/sfc' '644 usr/share/man/man1/sfc.1' \
    '644 usr/share/zsh/site-functions/_sfc' '755 usr/bin/sfc' >"$tmp/want"
  cmp -s "$tmp/want" "$tmp/installed" && pass || fail "make install wrote: $(cat "$tmp/installed")"
  cmp -s compiler/sfc.1 "$root/usr/share/man/man1/sfc.1" && cmp -s compiler/completions/_sfc "$root/usr/share/zsh/site-functions/_sfc" &&
    cmp -s compiler/completions/sfc.bash "$root/usr/share/bash-completion/completions/sfc" && pass ||
    fail "make install's files differ from the sources"
  if have man; then # man finds the page where it was installed
    run 0 env MANWIDTH=80 MANPAGER=cat man -M "$root/usr/share/man" sfc && has out "sfc fmt"
  fi
  run 0 make -s uninstall DESTDIR="$root" PREFIX=/usr
  left=$(cd "$root" && find . \( -type f -o -type l \) -print)
  [ -z "$left" ] && pass || fail "make uninstall left: $left"
  # each directory may be moved on its own
  run 0 make -s install DESTDIR="$root" BINDIR=/b MANDIR=/m BASHCOMPDIR=/bc ZSHCOMPDIR=/z
  (cd "$root" && find . -type f -print | LC_ALL=C sort) >"$tmp/installed"
  printf '%s\n' ./b/sfc ./bc/sfc ./m/man1/sfc.1 ./z/_sfc | cmp -s - "$tmp/installed" && pass ||
    fail "make install with BINDIR, MANDIR, BASHCOMPDIR, ZSHCOMPDIR wrote: $(cat "$tmp/installed")"
  run 0 make -s uninstall DESTDIR="$root" BINDIR=/b MANDIR=/m BASHCOMPDIR=/bc ZSHCOMPDIR=/z
  left=$(cd "$root" && find . -type f -print)
  [ -z "$left" ] && pass || fail "make uninstall left: $left"
else skip "make or install(1) is missing"; fi

printf 'man: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
