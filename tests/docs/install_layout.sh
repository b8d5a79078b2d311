#!/usr/bin/env bash
# `cmake --install` into a temporary prefix puts the binary, the man pages and the completions where
# man, bash-completion, zsh and fish look for them.
#   install_layout.sh CMAKE_COMMAND BUILD_DIR
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 CMAKE_COMMAND BUILD_DIR" >&2
  exit 2
fi
cmake=$1
build=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

if ! output=$("$cmake" --install "$build" --prefix "$prefix" 2>&1); then
  echo "not ok - cmake --install failed"
  printf '    %s\n' "$output"
  exit 1
fi
echo "ok - cmake --install $build --prefix $prefix"

failures=0
# GNUInstallDirs defaults; a cache that sets CMAKE_INSTALL_MANDIR etc. elsewhere is honored.
cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
bindir=$(cache_value CMAKE_INSTALL_BINDIR); bindir=${bindir:-bin}
mandir=$(cache_value CMAKE_INSTALL_MANDIR); mandir=${mandir:-share/man}
datadir=$(cache_value CMAKE_INSTALL_DATADIR); datadir=${datadir:-share}
[[ $mandir == /* ]] || mandir=$prefix/$mandir
[[ $datadir == /* ]] || datadir=$prefix/$datadir
[[ $bindir == /* ]] || bindir=$prefix/$bindir

expected=(
  "$bindir/mpp"
  "$mandir/man1/mpp.1"
  "$mandir/man1/mpp-chat.1"
  "$mandir/man1/mpp-models.1"
  "$mandir/man1/mpp-quote.1"
  "$mandir/man1/mpp-wallet.1"
  "$mandir/man5/mpp-config.5"
  "$datadir/bash-completion/completions/mpp"
  "$datadir/zsh/site-functions/_mpp"
  "$datadir/fish/vendor_completions.d/mpp.fish"
)
for file in "${expected[@]}"; do
  if [[ -f $file ]]; then
    echo "ok - ${file#"$prefix"/}"
  else
    echo "not ok - ${file#"$prefix"/} is missing"
    failures=$((failures + 1))
  fi
done

if [[ -x $bindir/mpp ]] && "$bindir/mpp" --version >/dev/null; then
  echo "ok - the installed mpp runs"
else
  echo "not ok - the installed mpp does not run"
  failures=$((failures + 1))
fi

if command -v man >/dev/null 2>&1 && man --version 2>/dev/null | grep -q '^man '; then
  if found=$(MANPATH=$mandir man -w mpp-config 2>/dev/null) && [[ $found == "$mandir/man5/mpp-config.5"* ]]; then
    echo "ok - man -w finds mpp-config(5) under the prefix"
  else
    echo "not ok - man -w mpp-config with MANPATH=$mandir: '${found-}'"
    failures=$((failures + 1))
  fi
fi

if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
