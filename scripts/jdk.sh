#!/usr/bin/env bash
# shellcheck shell=bash
# scripts/jdk.sh - find a JDK >= 21 and export JAVA_HOME and PATH. Meant to be sourced:
#
#   . scripts/jdk.sh || exit 1
#
# Order: $JAVA_HOME if it is a JDK >= 21; else the newest JDK >= 21 among /usr/lib/jvm/*
# (and the javac on PATH). Fails with a clear message (return/exit 1) if there is none.
# Run directly (scripts/jdk.sh) it prints the JAVA_HOME it would pick.
#   MEMLAYER_JAVA_MIN   minimum feature release (default 21)

# _memlayer_jdk_version DIR : print the full version ("25.0.1", "17.0.15") of the JDK in DIR,
# or nothing when DIR is not a JDK (a javac is required: Maven compiles)
_memlayer_jdk_version() {
  local dir=$1 v=""
  [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || return 0
  if [ -r "$dir/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$dir/release" | head -1)
  fi
  if [ -z "$v" ]; then
    v=$("$dir/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -1)
  fi
  case "$v" in 1.*) v=${v#1.} ;; esac   # 1.8.0_x -> 8.0_x
  printf '%s\n' "$v"
}

# _memlayer_jdk_feature VERSION : the feature release number (25 for "25.0.1", 21 for "21")
_memlayer_jdk_feature() { local f=${1%%[!0-9]*}; printf '%s\n' "${f:-0}"; }

_memlayer_find_jdk() {
  local min=${MEMLAYER_JAVA_MIN:-21} cand v best="" best_v="" javac
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(_memlayer_jdk_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$(_memlayer_jdk_feature "$v")" -ge "$min" ]; then
      printf '%s\n' "$JAVA_HOME"; return 0
    fi
  fi
  local candidates=(/usr/lib/jvm/*)
  javac=$(command -v javac 2>/dev/null || true)
  if [ -n "$javac" ]; then
    javac=$(readlink -f "$javac" 2>/dev/null || printf '%s' "$javac")
    candidates+=("$(dirname "$(dirname "$javac")")")
  fi
  for cand in "${candidates[@]}"; do
    [ -d "$cand" ] || continue
    cand=$(readlink -f "$cand" 2>/dev/null || printf '%s' "$cand")
    v=$(_memlayer_jdk_version "$cand")
    [ -n "$v" ] && [ "$(_memlayer_jdk_feature "$v")" -ge "$min" ] || continue
    # newest wins: compare full versions with sort -V
    if [ -z "$best" ] || { [ "$v" != "$best_v" ] && [ "$(printf '%s\n%s\n' "$best_v" "$v" | sort -V | tail -1)" = "$v" ]; }; then
      best=$cand; best_v=$v
    fi
  done
  [ -n "$best" ] || return 1
  printf '%s\n' "$best"
}

if _memlayer_jdk_home=$(_memlayer_find_jdk); then
  export JAVA_HOME=$_memlayer_jdk_home
  case ":$PATH:" in
    "$JAVA_HOME/bin:"*) ;;
    *) export PATH="$JAVA_HOME/bin:$PATH" ;;
  esac
  unset _memlayer_jdk_home
  unset -f _memlayer_jdk_version _memlayer_jdk_feature _memlayer_find_jdk
  if [ "${BASH_SOURCE[0]}" = "$0" ]; then   # run, not sourced
    echo "JAVA_HOME=$JAVA_HOME"
    "$JAVA_HOME/bin/java" -version 2>&1 | head -1
  fi
else
  unset _memlayer_jdk_home
  unset -f _memlayer_jdk_version _memlayer_jdk_feature _memlayer_find_jdk
  printf 'ERROR: memlayer needs a JDK %s or newer (with javac), and none was found:\n' "${MEMLAYER_JAVA_MIN:-21}" >&2
  printf '  JAVA_HOME=%s is not one, and /usr/lib/jvm/* and the javac on PATH hold none.\n' "${JAVA_HOME:-(unset)}" >&2
  printf '  Install one (e.g. a Temurin 21+ or openjdk-21-jdk) or set JAVA_HOME to it.\n' >&2
  # shellcheck disable=SC2317
  return 1 2>/dev/null || exit 1
fi
