# bash completion for mpp                                        -*- shell-script -*-
#
# Installed as share/bash-completion/completions/mpp, or sourced directly:
#   source completions/mpp.bash
# Needs only bash itself (not the bash-completion package). Wallet names come from
# `mpp wallet list --names`; service names are the presets plus the [services.NAME] tables of the
# config file. The option lists must match `--help` (tests/docs/completions.sh checks).

_mpp_subcommands="chat logs models quote templates wallet"
_mpp_models_subcommands="default alias aliases"
_mpp_templates_subcommands="list show edit remove"
_mpp_wallet_subcommands="new import export list use address remove balance fund history spend reconcile channels"
_mpp_presets="groq grok openrouter openai"

# Whether option $1 takes a value, so that the word after it is not a subcommand or a positional.
_mpp_takes_value() {
  case $1 in
    --service | --url | --base-url | --config | -m | --model | -s | --system | --max-tokens | \
      --temperature | --top-p | --stop | --seed | -o | --option | --schema | -f | --file | -a | --attach | \
      --batch | -j | --jobs | \
      --cid | --network | --rpc-url | --chain-id | --max-amount | --max-fee | --intent | --max-deposit | \
      --escrow | --daily-limit | --currency | --exclude-currency | --wallet | --password-file | \
      --dump-credential | --timeout | --connect-timeout | --max-response | --max-failures | --budget | -X | --request | \
      --data | --keystore | --token | --wait | --since | -n | --count | -q | --query | -t | --template | -p | \
      --param | --save | --retries | --max-input | --max-drift)
      return 0
      ;;
  esac
  return 1
}

_mpp_options() {
  local service="--service --url --base-url"
  local request="-m --model -s --system --max-tokens --temperature --top-p --stop --seed -o --option
    --schema --no-stream -f --file -a --attach"
  local templates="-t --template -p --param"
  local payment="--network --rpc-url --chain-id --max-amount --max-fee --intent --max-deposit --escrow --daily-limit
    --currency --exclude-currency --wallet --password-file --dump-credential --timeout --max-response
    --connect-timeout --retries"
  case $1 in
    "") echo "-h --help --version" ;;
    chat) echo "-h --help $service --raw --config -v --verbose $request $templates --save --batch -j --jobs
      --max-failures --budget -c --continue --cid --list --no-log --json -x --extract --extract-last --max-input
      --confirm --cheapest --services --max-drift $payment" ;;
    logs) echo "-h --help -n --count -r --last --cid -q --query --json" ;;
    models) echo "-h --help $service --json --config -v --verbose $payment" ;;
    models\ default) echo "-h --help --service --config --unset" ;;
    models\ alias) echo "-h --help --remove" ;;
    models\ aliases) echo "-h --help" ;;
    quote) echo "-h --help $service -X --request --data --json --discover --compare --services --batch -j --jobs
      --config -v --verbose $request --max-drift $templates $payment" ;;
    templates | templates\ *) echo "-h --help" ;;
    wallet) echo "-h --help" ;;
    wallet\ new) echo "-h --help --light --insecure-no-password --password-file -v --verbose" ;;
    wallet\ import) echo "-h --help --light --insecure-no-password --password-file --keystore -v --verbose" ;;
    wallet\ export) echo "-h --help --yes-print-private-key --password-file -v --verbose" ;;
    wallet\ list) echo "-h --help --names --json -v --verbose" ;;
    wallet\ use | wallet\ address) echo "-h --help -v --verbose" ;;
    wallet\ remove) echo "-h --help -y --yes -v --verbose" ;;
    wallet\ balance) echo "-h --help --token --json --network --rpc-url --config -v --verbose" ;;
    wallet\ fund) echo "-h --help --wait --network --rpc-url --config -v --verbose" ;;
    wallet\ history) echo "-h --help --since --json -v --verbose" ;;
    wallet\ spend) echo "-h --help --since --until --json --csv -v --verbose" ;;
    wallet\ reconcile) echo "-h --help --network --rpc-url --config -v --verbose" ;;
    wallet\ channels) echo "-h --help --all --force --finalize --json --wallet --password-file --network --rpc-url
      --config -v --verbose" ;;
  esac
}

# The mpp being completed (as typed, so build/mpp works too), else the one on PATH.
_mpp_command() {
  local mpp=${COMP_WORDS[0]}
  # shellcheck disable=SC2088 # a literal "~/" as typed
  [[ $mpp == "~/"* ]] && mpp=$HOME/${mpp#"~/"}
  if [[ $mpp == */* ]]; then
    [[ -x $mpp ]] || mpp=mpp
  fi
  printf '%s\n' "$mpp"
}

_mpp_wallet_names() {
  command "$(_mpp_command)" wallet list --names 2>/dev/null
}

# The config file mpp would read: --config on the line, MPP_CONFIG, MPP_HOME, XDG_CONFIG_HOME, HOME.
_mpp_config_file() {
  local i
  for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
    if [[ ${COMP_WORDS[i]} == --config && $i -ne $COMP_CWORD ]]; then
      if [[ ${COMP_WORDS[i + 1]} == = ]]; then
        printf '%s\n' "${COMP_WORDS[i + 2]}"
      else
        printf '%s\n' "${COMP_WORDS[i + 1]}"
      fi
      return
    fi
  done
  if [[ -n ${MPP_CONFIG-} ]]; then
    printf '%s\n' "$MPP_CONFIG"
  elif [[ -n ${MPP_HOME-} ]]; then
    printf '%s\n' "$MPP_HOME/config.toml"
  elif [[ ${XDG_CONFIG_HOME-} == /* ]]; then
    printf '%s\n' "$XDG_CONFIG_HOME/mpp/config.toml"
  else
    printf '%s\n' "$HOME/.config/mpp/config.toml"
  fi
}

_mpp_services() {
  local file line names=$_mpp_presets
  file=$(_mpp_config_file)
  file=${file/#\~\//$HOME/}
  if [[ -r $file && -f $file ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      if [[ $line =~ ^[[:space:]]*\[[[:space:]]*services\.([a-z0-9][a-z0-9_-]*)[[:space:]]*\] ||
            $line =~ ^[[:space:]]*services\.([a-z0-9][a-z0-9_-]*)\. ]]; then
        [[ " $names " == *" ${BASH_REMATCH[1]} "* ]] || names+=" ${BASH_REMATCH[1]}"
      fi
    done <"$file"
  fi
  printf '%s\n' "$names"
}

# The saved templates' names (mpp templates list).
_mpp_template_names() {
  command "$(_mpp_command)" templates list 2>/dev/null
}

_mpp_conversation_ids() {
  local dir
  if [[ -n ${MPP_HOME-} ]]; then
    dir=$MPP_HOME
  elif [[ ${XDG_DATA_HOME-} == /* ]]; then
    dir=$XDG_DATA_HOME/mpp
  else
    dir=$HOME/.local/share/mpp
  fi
  local f
  for f in "$dir"/conversations/*.jsonl; do
    [[ -e $f ]] || continue
    f=${f##*/}
    f=${f%.jsonl}
    [[ $f =~ ^[A-Za-z0-9_-]{1,64}$ ]] && printf '%s\n' "$f"
  done
}

# Appends to COMPREPLY the output lines of a command, one candidate per line, unsplit and unglobbed.
_mpp_add() {
  local word
  while IFS= read -r word; do
    [[ -n $word ]] && COMPREPLY+=("$word")
  done < <("$@")
}

# Appends the words of list $1 that start with $2 (the lists hold only plain names).
_mpp_add_words() {
  _mpp_add compgen -W "$1" -- "$2"
}

_mpp_files() {
  compopt -o filenames 2>/dev/null
  _mpp_add compgen -f -- "$1"
}

# Completes the value of option $1 from the prefix $2; returns 1 when $1 takes no value.
_mpp_option_value() {
  local option=$1 cur=$2 IFS=$' \t\n'
  case $option in
    --service | --services) _mpp_add_words "$(_mpp_services)" "$cur" ;;
    --wallet) _mpp_add_words "$(_mpp_wallet_names)" "$cur" ;;
    --network) _mpp_add_words "mainnet testnet" "$cur" ;;
    --intent) _mpp_add_words "auto charge session" "$cur" ;;
    -X | --request) _mpp_add_words "GET POST PUT PATCH DELETE HEAD OPTIONS" "$cur" ;;
    --cid) _mpp_add_words "$(_mpp_conversation_ids)" "$cur" ;;
    -t | --template) _mpp_add_words "$(_mpp_template_names)" "$cur" ;;
    --config | --schema | --password-file | --dump-credential | --keystore | -f | --file | -a | --attach)
      _mpp_files "$cur" ;;
    --batch)
      [[ - == "$cur"* ]] && COMPREPLY=(-)
      _mpp_files "$cur"
      ;;
    --data)
      if [[ $cur == @* ]]; then
        compopt -o filenames 2>/dev/null
        local f
        while IFS= read -r f; do COMPREPLY+=("@$f"); done < <(compgen -f -- "${cur#@}")
        [[ @- == "$cur"* ]] && COMPREPLY+=(@-)
      fi
      ;;
    *) _mpp_takes_value "$option" || return 1 ;;
  esac
  return 0
}

_mpp() {
  local IFS=$' \t\n'
  COMPREPLY=()
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=${COMP_WORDS[COMP_CWORD - 1]}

  # --option=value: bash splits it into "--option" "=" "value" (COMP_WORDBREAKS holds '=').
  if [[ $cur == = ]]; then
    _mpp_option_value "$prev" "" && return 0
  elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
    _mpp_option_value "${COMP_WORDS[COMP_CWORD - 2]}" "$cur" && return 0
  elif [[ $cur == --*=* ]]; then
    # COMP_WORDBREAKS without '=': complete the value after the '='.
    local option=${cur%%=*}
    if _mpp_option_value "$option" "${cur#*=}"; then
      local i
      for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$option=${COMPREPLY[i]}; done
      return 0
    fi
  fi

  # The command path (chat, wallet use, ...) and how many positionals come before the cursor.
  local command="" positionals=0 word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == = ]]; then
      ((i++))
      continue
    fi
    if [[ $word == -* ]]; then
      _mpp_takes_value "$word" && [[ ${COMP_WORDS[i + 1]} != = ]] && ((i++))
      continue
    fi
    if [[ -z $command ]]; then
      command=$word
    elif [[ $command == wallet || $command == templates ]] ||
      [[ $command == models && " $_mpp_models_subcommands " == *" $word "* ]]; then
      command="$command $word"
    else
      ((positionals++))
    fi
  done

  if [[ $prev == -* && $COMP_CWORD -gt 1 ]] && _mpp_option_value "$prev" "$cur"; then
    return 0
  fi

  if [[ $cur == -* ]]; then
    _mpp_add_words "$(_mpp_options "$command")" "$cur"
    return 0
  fi

  case $command in
    "") _mpp_add_words "$_mpp_subcommands" "$cur" ;;
    wallet) _mpp_add_words "$_mpp_wallet_subcommands" "$cur" ;;
    models) _mpp_add_words "$_mpp_models_subcommands" "$cur" ;;
    templates) _mpp_add_words "$_mpp_templates_subcommands" "$cur" ;;
    templates\ show | templates\ edit | templates\ remove)
      ((positionals == 0)) && _mpp_add_words "$(_mpp_template_names)" "$cur"
      ;;

    wallet\ export | wallet\ use | wallet\ address | wallet\ remove | wallet\ balance | wallet\ fund)
      ((positionals == 0)) && _mpp_add_words "$(_mpp_wallet_names)" "$cur"
      ;;
    wallet\ channels)
      ((positionals == 0)) && _mpp_add_words "list close recover" "$cur"
      ;;
  esac
  return 0
}

complete -F _mpp mpp
