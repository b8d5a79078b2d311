#!/usr/bin/env bash
# The man pages in man/ against the real binary, and against groff.
#
#   man_pages.sh options MPP_BIN MAN_DIR
#       Every long option that `mpp ... --help` prints is in the OPTIONS section of the command's page,
#       and every long option that section names exists: mpp(1) for `mpp`, mpp-CMD(1) for each
#       subcommand; in mpp-wallet(1) each "mpp wallet NAME" subsection of COMMANDS holds that
#       command's options and OPTIONS those all wallet commands share. Also: every subcommand has a
#       page, and each page's .TH names the binary's version.
#   man_pages.sh lint MAN_DIR
#       `groff -ww -z -man` reports nothing for any page, and every page has the required sections.
#
# Needs groff (Debian: groff-base). Prints one "ok"/"not ok" line per check; exits 1 on any failure.
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

require_groff() {
  if ! command -v groff >/dev/null 2>&1; then
    echo "not ok - groff is not installed: the man pages cannot be checked." >&2
    echo "    Install the Debian package groff-base (scripts/setup should list it)." >&2
    exit 1
  fi
}

# The long options a --help text defines: the first field of lines like "  -j,--jobs INT ...".
help_options() {
  "$MPP" "$@" --help | awk '/^  -/ { print $1 }' | tr ',' '\n' | grep -E '^--[a-z0-9]' | sort -u
}

# The subcommands a --help text lists under "Subcommands:".
help_subcommands() {
  "$MPP" "$@" --help | awk '/^Subcommands:/ { on = 1; next } on && /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

# The page as plain text, one paragraph per line (a very long line length: nothing wraps).
render() {
  groff -man -Tascii -P-cbou -rLL=1000n "$1" 2>/dev/null
}

# The lines of section $2 (a heading such as OPTIONS) of rendered text on stdin.
section() {
  awk -v name="$1" '$0 == name { on = 1; next } /^[A-Z][A-Z ]*[A-Z]$/ { on = 0 } on'
}

# Every --long-option named in the text on stdin.
long_options() {
  grep -oE -- '(^|[^A-Za-z0-9-])--[a-z0-9][a-z0-9-]*' | sed -E 's/^[^-]*//' | sort -u
}

# Lines of $1 that are not in $2 (both sorted, one item per line).
only_in() { comm -23 <(printf '%s\n' "$1" | sed '/^$/d') <(printf '%s\n' "$2" | sed '/^$/d'); }

# Compares a page section's options with a command's --help.
compare() { # label, help options, page options
  local label=$1 help=$2 page=$3 missing extra
  missing=$(only_in "$help" "$page")
  extra=$(only_in "$page" "$help")
  if [[ -z $missing && -z $extra ]]; then
    pass "$label"
  else
    local -a notes=()
    [[ -n $missing ]] && notes+=("in --help but not in the page: ${missing//$'\n'/ }")
    [[ -n $extra ]] && notes+=("in the page but not in --help: ${extra//$'\n'/ }")
    fail "$label" "${notes[@]}"
  fi
}

check_options() {
  MPP=$1
  local man_dir=$2
  require_groff
  [[ -x $MPP ]] || { echo "not ok - $MPP is not an executable" >&2; exit 1; }

  local version
  version=$("$MPP" --version)
  local page
  for page in "$man_dir"/*.[1-9]; do
    if grep -m1 '^\.TH ' "$page" | grep -qF "\"$version\""; then
      pass "$(basename "$page"): .TH names \"$version\""
    else
      fail "$(basename "$page"): .TH does not name \"$version\"" "$(grep -m1 '^\.TH ' "$page")" \
        "update it with: sed -i 's/\"mpp [0-9.]*\"/\"$version\"/' $page"
    fi
  done

  # mpp(1)
  local text
  text=$(render "$man_dir/mpp.1")
  compare "mpp(1) OPTIONS matches 'mpp --help'" "$(help_options)" "$(section OPTIONS <<<"$text" | long_options)"
  local commands command
  commands=$(help_subcommands)
  local listed
  listed=$(section COMMANDS <<<"$text" | awk '/^       [a-z]+$|^       [a-z]+ / { print $1 }' | sort -u)
  compare "mpp(1) COMMANDS lists the subcommands of 'mpp --help'" "$(sort -u <<<"$commands")" "$listed"

  for command in $commands; do
    page=$man_dir/mpp-$command.1
    if [[ ! -f $page ]]; then
      fail "mpp-$command(1) exists" "no $page for the subcommand '$command'"
      continue
    fi
    [[ $command == wallet ]] && continue
    text=$(render "$page")
    compare "mpp-$command(1) OPTIONS matches 'mpp $command --help'" "$(help_options "$command")" \
      "$(section OPTIONS <<<"$text" | long_options)"
  done

  # mpp-wallet(1): one subsection per wallet command, plus the shared OPTIONS.
  page=$man_dir/mpp-wallet.1
  [[ -f $page ]] || finish
  text=$(render "$page")
  local common
  common=$(section OPTIONS <<<"$text" | long_options)
  local wallet_commands sub
  wallet_commands=$(help_subcommands wallet)
  local missing_common
  missing_common=$(only_in "$(help_options wallet)" "$common")
  if [[ -z $missing_common ]]; then
    pass "mpp-wallet(1) OPTIONS holds the options of 'mpp wallet --help'"
  else
    fail "mpp-wallet(1) OPTIONS holds the options of 'mpp wallet --help'" \
      "in --help but not in the page: ${missing_common//$'\n'/ }"
  fi
  local sections
  sections=$(section COMMANDS <<<"$text" | awk '/^   mpp wallet [a-z]+$/ { print $3 }' | sort -u)
  compare "mpp-wallet(1) has one subsection per wallet command" "$(sort -u <<<"$wallet_commands")" "$sections"
  for sub in $wallet_commands; do
    local help own
    help=$(help_options wallet "$sub")
    own=$(section COMMANDS <<<"$text" |
      awk -v want="$sub" '/^   mpp wallet [a-z]+$/ { on = ($3 == want); next } on' | long_options)
    local missing extra shared_extra
    missing=$(only_in "$help" "$(sort -u <<<"$own"$'\n'"$common")")
    extra=$(only_in "$own" "$help")
    shared_extra=$(only_in "$common" "$help")
    if [[ -z $missing && -z $extra && -z $shared_extra ]]; then
      pass "mpp-wallet(1) 'mpp wallet $sub' matches 'mpp wallet $sub --help'"
    else
      local -a notes=()
      [[ -n $missing ]] && notes+=("in --help but not in the page: ${missing//$'\n'/ }")
      [[ -n $extra ]] && notes+=("in the subsection but not in --help: ${extra//$'\n'/ }")
      [[ -n $shared_extra ]] && notes+=("in OPTIONS (shared) but not in this command's --help: ${shared_extra//$'\n'/ }")
      fail "mpp-wallet(1) 'mpp wallet $sub' matches 'mpp wallet $sub --help'" "${notes[@]}"
    fi
  done
  finish
}

check_lint() {
  local man_dir=$1
  require_groff
  local expected=(mpp.1 mpp-chat.1 mpp-models.1 mpp-quote.1 mpp-templates.1 mpp-wallet.1 mpp-config.5)
  local name
  for name in "${expected[@]}"; do
    if [[ -f $man_dir/$name ]]; then
      pass "$name exists"
    else
      fail "$name exists" "missing: $man_dir/$name"
    fi
  done
  local page sections=(NAME SYNOPSIS DESCRIPTION "EXIT STATUS" ENVIRONMENT FILES SECURITY EXAMPLES "SEE ALSO")
  for page in "$man_dir"/*.[1-9]; do
    name=$(basename "$page")
    local device warnings
    for device in ps utf8 ascii; do
      warnings=$(groff -ww -z -man -T"$device" "$page" 2>&1)
      if [[ -z $warnings ]]; then
        pass "$name: groff -ww -z -man -T$device is silent"
      else
        fail "$name: groff -ww -z -man -T$device warns" "$warnings"
      fi
    done
    local missing=() heading
    for heading in "${sections[@]}"; do
      grep -qE "^\.SH \"?$heading\"?\$" "$page" || missing+=("$heading")
    done
    if ((${#missing[@]} == 0)); then
      pass "$name: has ${sections[*]}"
    else
      fail "$name: lacks sections" "${missing[@]}"
    fi
  done
  finish
}

finish() {
  if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
  fi
  exit 0
}

case ${1-} in
  options) [[ $# -eq 3 ]] || { echo "usage: $0 options MPP_BIN MAN_DIR" >&2; exit 2; }; check_options "$2" "$3" ;;
  lint) [[ $# -eq 2 ]] || { echo "usage: $0 lint MAN_DIR" >&2; exit 2; }; check_lint "$2" ;;
  *) echo "usage: $0 options MPP_BIN MAN_DIR | lint MAN_DIR" >&2; exit 2 ;;
esac
