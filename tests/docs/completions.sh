#!/usr/bin/env bash
# A command path such as "wallet new" is split into words on purpose: help_options $path.
# shellcheck disable=SC2086
# The shell completions in completions/ against the real binary.
#
#   completions.sh bash MPP_BIN COMPLETIONS_DIR
#       Sources mpp.bash in this non-interactive bash (no bash-completion package), fills COMP_WORDS
#       and COMP_CWORD, calls _mpp and checks COMPREPLY: subcommands, wallet commands, options,
#       service names (presets and config), wallet names from a temporary MPP_HOME with two wallets;
#       and for every command, that `mpp CMD --<TAB>` offers exactly the long options of its --help.
#   completions.sh zsh MPP_BIN COMPLETIONS_DIR
#       `zsh -n _mpp`, and every long option of every command's --help appears in _mpp.
#   completions.sh fish MPP_BIN COMPLETIONS_DIR
#       `fish -n mpp.fish`, then the same checks as bash through `complete -C`.
#
# zsh and fish checks exit 77 (skipped) when that shell is not installed.
set -uo pipefail

failures=0
pass() { printf 'ok - %s\n' "$1"; }
fail() {
  printf 'not ok - %s\n' "$1"
  shift
  local line
  for line in "$@"; do printf '    %s\n' "$line"; done
  failures=$((failures + 1))
}
finish() {
  if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
  fi
  exit 0
}

# The long options a --help text defines: the first field of lines like "  -j,--jobs INT ...".
help_options() {
  "$MPP" "$@" --help | awk '/^  -/ { print $1 }' | tr ',' '\n' | grep -E '^--[a-z0-9]' | sort -u
}

# The subcommands a --help text lists under "Subcommands:".
help_subcommands() {
  "$MPP" "$@" --help | awk '/^Subcommands:/ { on = 1; next } on && /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

# Every command path: "" (mpp itself), chat, ..., wallet, wallet new, ...
command_paths() {
  echo ""
  local command sub
  for command in $(help_subcommands); do
    echo "$command"
    for sub in $(help_subcommands "$command"); do echo "$command $sub"; done
  done
}

sorted() { tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'; }

# expect LABEL EXPECTED ACTUAL: both as space-separated sets.
expect() {
  local want got
  want=$(sorted <<<"$2")
  got=$(sorted <<<"$3")
  if [[ $want == "$got" ]]; then
    pass "$1"
  else
    fail "$1" "expected: $want" "got:      $got"
  fi
}

# expect_includes LABEL WANTED ACTUAL: every word of WANTED is in ACTUAL.
expect_includes() {
  local word missing=()
  for word in $2; do
    [[ " $3 " == *" $word "* ]] || missing+=("$word")
  done
  if ((${#missing[@]} == 0)); then
    pass "$1"
  else
    fail "$1" "missing: ${missing[*]}" "got: $3"
  fi
}

# A temporary MPP_HOME with wallets alice and bob and a config service "mine"; `mpp` on PATH.
setup_home() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/bin" "$work/home"
  ln -s "$MPP" "$work/bin/mpp"
  export PATH="$work/bin:$PATH" MPP_HOME="$work/home" HOME="$work/home"
  unset MPP_CONFIG MPP_WALLET MPP_PRIVATE_KEY MPP_NETWORK XDG_CONFIG_HOME XDG_DATA_HOME
  local name
  for name in alice bob; do
    if ! MPP_PASSWORD=completion-test mpp wallet new "$name" --light >/dev/null 2>"$work/err"; then
      echo "not ok - cannot create the test wallet $name:" >&2
      cat "$work/err" >&2
      exit 1
    fi
  done
  printf '[services.mine]\nurl = "http://127.0.0.1:9"\n' >"$work/home/config.toml"
  if ! mpp chat --save review -s 'Review this' >/dev/null 2>"$work/err"; then
    echo "not ok - cannot save the test template review:" >&2
    cat "$work/err" >&2
    exit 1
  fi
  mkdir -p "$work/home/conversations"
  : >"$work/home/conversations/20261122-010203-abcdef12.jsonl"
}

presets="groq grok openrouter openai"

# ---- bash ----

# bash_complete LINE: the completions bash offers with the cursor at the end of LINE. The words are
# split as readline would (COMP_WORDBREAKS keeps '=' apart), the command word is "mpp".
bash_complete() {
  local line=$1
  local -a words
  read -r -a words <<<"${line//=/ = }"
  [[ $line == *" " ]] && words+=("")
  COMP_WORDS=("${words[@]}")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$line
  COMP_POINT=${#line}
  COMPREPLY=()
  _mpp mpp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  echo "${COMPREPLY[*]}"
}

check_bash() {
  local dir=$1
  if declare -F _init_completion >/dev/null; then
    echo "note: bash-completion is loaded in this shell; mpp.bash must not need it"
  fi
  # shellcheck source=/dev/null
  source "$dir/mpp.bash" || { echo "not ok - cannot source $dir/mpp.bash"; exit 1; }
  if [[ $(complete -p mpp 2>/dev/null) == "complete -F _mpp mpp" ]]; then
    pass "mpp.bash registers _mpp for mpp"
  else
    fail "mpp.bash registers _mpp for mpp" "complete -p mpp: $(complete -p mpp 2>&1)"
  fi

  expect "mpp <TAB>: the subcommands" "chat logs models quote templates wallet" "$(bash_complete "mpp ")"
  expect "mpp <TAB> matches 'mpp --help'" "$(help_subcommands)" "$(bash_complete "mpp ")"
  expect_includes "mpp wallet <TAB>: includes balance, history" "balance history" "$(bash_complete "mpp wallet ")"
  expect "mpp wallet <TAB> matches 'mpp wallet --help'" "$(help_subcommands wallet)" "$(bash_complete "mpp wallet ")"
  expect "mpp wallet b<TAB>" "balance" "$(bash_complete "mpp wallet b")"
  expect "mpp chat --serv<TAB>" "--service --services" "$(bash_complete "mpp chat --serv")"
  expect "mpp quote --compare --services <TAB>: presets and config services" "$presets mine" \
    "$(bash_complete "mpp quote --compare --services ")"
  expect "mpp chat --service <TAB>: presets and config services" "$presets mine" "$(bash_complete "mpp chat --service ")"
  expect "mpp chat --service o<TAB>" "openrouter openai" "$(bash_complete "mpp chat --service o")"
  expect "mpp chat --service=<TAB>" "$presets mine" "$(bash_complete "mpp chat --service=")"
  expect "mpp models --service m<TAB>" "mine" "$(bash_complete "mpp models --service m")"
  expect "mpp quote --config /nonexistent --service <TAB>: only presets" "$presets" \
    "$(bash_complete "mpp quote --config /nonexistent --service ")"
  expect "mpp wallet use <TAB>: wallet names" "alice bob" "$(bash_complete "mpp wallet use ")"
  expect "mpp wallet use alice <TAB>: nothing more" "" "$(bash_complete "mpp wallet use alice ")"
  expect "mpp wallet remove -y <TAB>" "alice bob" "$(bash_complete "mpp wallet remove -y ")"
  expect "mpp wallet new <TAB>: a new name, no suggestions" "" "$(bash_complete "mpp wallet new ")"
  expect "mpp chat --wallet a<TAB>" "alice" "$(bash_complete "mpp chat --wallet a")"
  expect "mpp chat --network <TAB>" "mainnet testnet" "$(bash_complete "mpp chat --network ")"
  expect "mpp chat --cid <TAB>: conversation ids" "20261122-010203-abcdef12" "$(bash_complete "mpp chat --cid ")"
  expect "mpp logs --cid <TAB>: conversation ids" "20261122-010203-abcdef12" "$(bash_complete "mpp logs --cid ")"
  expect "mpp logs -q <TAB>: free text" "" "$(bash_complete "mpp logs -q ")"
  expect "mpp quote -X P<TAB>" "POST PUT PATCH" "$(bash_complete "mpp quote -X P")"
  expect "mpp models <TAB> matches 'mpp models --help'" "$(help_subcommands models)" "$(bash_complete "mpp models ")"
  expect "mpp templates <TAB> matches 'mpp templates --help'" "$(help_subcommands templates)" \
    "$(bash_complete "mpp templates ")"
  expect "mpp chat -t <TAB>: template names" "review" "$(bash_complete "mpp chat -t ")"
  expect "mpp quote --template=<TAB>: template names" "review" "$(bash_complete "mpp quote --template=")"
  expect "mpp templates show <TAB>: template names" "review" "$(bash_complete "mpp templates show ")"
  expect "mpp templates remove review <TAB>: nothing more" "" "$(bash_complete "mpp templates remove review ")"
  expect "mpp chat -m --<TAB>: a value, not an option" "" "$(bash_complete "mpp chat -m --")"
  expect "mpp chat --service groq --max<TAB>: past a value" "--max-tokens --max-amount --max-deposit --max-fee --max-response --max-failures --max-input --max-drift" \
    "$(bash_complete "mpp chat --service groq --max")"

  local path
  while IFS= read -r path; do
    expect "mpp${path:+ $path} --<TAB> matches its --help" "$(help_options $path)" \
      "$(bash_complete "mpp${path:+ $path} --")"
  done < <(command_paths)
  finish
}

# ---- zsh ----

check_zsh() {
  local dir=$1
  if ! command -v zsh >/dev/null 2>&1; then
    echo "skipped: zsh is not installed"
    exit 77
  fi
  local errors
  if errors=$(zsh -n "$dir/_mpp" 2>&1); then
    pass "zsh -n _mpp"
  else
    fail "zsh -n _mpp" "$errors"
  fi
  if head -n1 "$dir/_mpp" | grep -qx '#compdef mpp'; then
    pass "_mpp starts with #compdef mpp"
  else
    fail "_mpp starts with #compdef mpp" "first line: $(head -n1 "$dir/_mpp")"
  fi
  # Each subcommand's name and each long option appear as a completion spec.
  local word
  for word in $(help_subcommands) $(help_subcommands wallet); do
    grep -qE "'$word:" "$dir/_mpp" || fail "_mpp describes the command '$word'"
  done
  local path option missing
  while IFS= read -r path; do
    missing=()
    for option in $(help_options $path); do
      grep -qE -- "${option}([^a-z0-9-]|\$)" "$dir/_mpp" || missing+=("$option")
    done
    if ((${#missing[@]} == 0)); then
      pass "_mpp names every option of 'mpp${path:+ $path} --help'"
    else
      fail "_mpp names every option of 'mpp${path:+ $path} --help'" "missing: ${missing[*]}"
    fi
  done < <(command_paths)
  finish
}

# ---- fish ----

fish_complete() {
  fish --no-config -c "source $(printf '%q' "$FISH_FILE"); complete -C $(printf '%q' "$1")" 2>&1 | cut -f1 | tr '\n' ' '
}

check_fish() {
  local dir=$1
  if ! command -v fish >/dev/null 2>&1; then
    echo "skipped: fish is not installed"
    exit 77
  fi
  FISH_FILE=$dir/mpp.fish
  local errors
  if errors=$(fish --no-config -n "$FISH_FILE" 2>&1); then
    pass "fish -n mpp.fish"
  else
    fail "fish -n mpp.fish" "$errors"
  fi
  if errors=$(fish --no-config -c "source $(printf '%q' "$FISH_FILE")" 2>&1) && [[ -z $errors ]]; then
    pass "mpp.fish sources without errors"
  else
    fail "mpp.fish sources without errors" "$errors"
  fi
  expect "fish: mpp <TAB>" "chat logs models quote templates wallet" "$(fish_complete "mpp ")"
  expect "fish: mpp wallet <TAB> matches 'mpp wallet --help'" "$(help_subcommands wallet)" "$(fish_complete "mpp wallet ")"
  expect "fish: mpp chat --serv<TAB>" "--service --services" "$(fish_complete "mpp chat --serv")"
  expect "fish: mpp quote --compare --services <TAB>" "$presets mine" "$(fish_complete "mpp quote --compare --services ")"
  expect "fish: mpp chat --service <TAB>" "$presets mine" "$(fish_complete "mpp chat --service ")"
  expect "fish: mpp wallet use <TAB>" "alice bob" "$(fish_complete "mpp wallet use ")"
  expect "fish: mpp wallet use alice <TAB>" "" "$(fish_complete "mpp wallet use alice ")"
  expect "fish: mpp chat --cid <TAB>" "20261122-010203-abcdef12" "$(fish_complete "mpp chat --cid ")"
  expect "fish: mpp logs --cid <TAB>" "20261122-010203-abcdef12" "$(fish_complete "mpp logs --cid ")"
  expect "fish: mpp models <TAB> matches 'mpp models --help'" "$(help_subcommands models)" "$(fish_complete "mpp models ")"
  expect "fish: mpp chat -t <TAB>" "review" "$(fish_complete "mpp chat -t ")"
  expect "fish: mpp templates show <TAB>" "review" "$(fish_complete "mpp templates show ")"
  local path
  while IFS= read -r path; do
    expect "fish: mpp${path:+ $path} --<TAB> matches its --help" "$(help_options $path)" \
      "$(fish_complete "mpp${path:+ $path} --")"
  done < <(command_paths)
  finish
}

if [[ $# -ne 3 ]]; then
  echo "usage: $0 bash|zsh|fish MPP_BIN COMPLETIONS_DIR" >&2
  exit 2
fi
MPP=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
[[ -x $MPP ]] || { echo "not ok - $2 is not an executable" >&2; exit 1; }
completions_dir=$(cd "$3" && pwd)
case $1 in
  bash) setup_home; check_bash "$completions_dir" ;;
  zsh) check_zsh "$completions_dir" ;;
  fish) command -v fish >/dev/null 2>&1 && setup_home; check_fish "$completions_dir" ;;
  *) echo "usage: $0 bash|zsh|fish MPP_BIN COMPLETIONS_DIR" >&2; exit 2 ;;
esac
