#!/usr/bin/env bash
# scripts/test.sh - THE test command of memlayer: builds everything and runs every test,
# including the PostgreSQL/pgvector and Redis integration tests against real local servers.
#
#   scripts/test.sh                      # mvn -B -ntp verify on the whole project
#   scripts/test.sh -pl store-pgvector -am   # extra arguments go to Maven
#
# Steps: pick a JDK >= 21 (scripts/jdk.sh); start PostgreSQL+pgvector and Redis 8
# (scripts/services.sh; installed/built once into a cache on a fresh machine) and export
# MEMLAYER_PG_URL, MEMLAYER_PG_USER, MEMLAYER_PG_PASSWORD, MEMLAYER_REDIS_URL; run Maven from the
# repository root; on exit stop the servers this run started (servers that were already running
# are left alone; concurrent runs share the servers and the last one out stops them).
# The exit status is Maven's.
#
# Environment (optional):
#   MEMLAYER_TEST_SERVICES  all | pg | redis | none   servers to start (default all)
#   MEMLAYER_PG_URL / MEMLAYER_REDIS_URL  already set: use that server instead of starting one
#   MVN                     the Maven command (default: ./mvnw if present, else mvn)
#   other settings of scripts/services.sh (ports, cache and run dirs) pass through
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
fmt_s() { printf '%d.%01d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }
say() { printf '[test] %s\n' "$*" >&2; }
T_START=$(now_ms)

# shellcheck source-path=SCRIPTDIR
# shellcheck source=jdk.sh
. "$ROOT/scripts/jdk.sh" || exit 1
say "JDK: $JAVA_HOME ($("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"

# Debian's Maven 3.8 bundles an old Guava that calls sun.misc.Unsafe: on JDK 24+ that prints a
# warning block on every run; allow it quietly (the flag does not exist before JDK 24)
jdk_feature=$("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1)
if [ "${jdk_feature:-0}" -ge 24 ] && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe-memory-access* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
fi

services=()
case "${MEMLAYER_TEST_SERVICES:-all}" in
  all) services=(pg redis) ;;
  pg) services=(pg) ;;
  redis) services=(redis) ;;
  none) services=() ;;
  *) say "MEMLAYER_TEST_SERVICES must be all, pg, redis or none"; exit 2 ;;
esac
use=()
for s in ${services[@]+"${services[@]}"}; do
  case "$s" in
    pg) if [ -n "${MEMLAYER_PG_URL:-}" ]; then say "pg: using MEMLAYER_PG_URL=$MEMLAYER_PG_URL (not starting one)"; continue; fi ;;
    redis) if [ -n "${MEMLAYER_REDIS_URL:-}" ]; then say "redis: using MEMLAYER_REDIS_URL=$MEMLAYER_REDIS_URL (not starting one)"; continue; fi ;;
  esac
  use+=("$s")
done
case "${#use[@]}" in 0) which="" ;; 1) which=${use[0]} ;; *) which=all ;; esac

# every run holds a lease on the servers it uses (its own pid); stop releases it and stops a
# server only if a test run started it and no other run still holds a lease
export MEMLAYER_SERVICES_LEASE=$$
started=0
# shellcheck disable=SC2317  # invoked by traps
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$started" = 1 ]; then
    local t; t=$(now_ms)
    "$ROOT/scripts/services.sh" stop "$which" || say "WARNING: stopping the services failed"
    say "services released in $(fmt_s $(( $(now_ms) - t )))"
  fi
  say "total $(fmt_s $(( $(now_ms) - T_START ))) (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$which" ]; then
  t=$(now_ms)
  started=1
  "$ROOT/scripts/services.sh" start "$which"
  env_lines=$("$ROOT/scripts/services.sh" env "$which")
  while IFS= read -r line; do
    case "$line" in
      MEMLAYER_[A-Z0-9_]*=*) export "${line?}" ;;
      '') ;;
      *) say "ignoring unexpected env line: $line" ;;
    esac
  done <<<"$env_lines"
  say "services ($which) up in $(fmt_s $(( $(now_ms) - t )))"
fi
for v in MEMLAYER_PG_URL MEMLAYER_PG_USER MEMLAYER_REDIS_URL; do
  [ -z "${!v:-}" ] || say "$v=${!v}"
done

if [ -n "${MVN:-}" ]; then read -r -a mvn <<<"$MVN"
elif [ -x "$ROOT/mvnw" ]; then mvn=("$ROOT/mvnw")
else mvn=(mvn)
fi
say "${mvn[*]} -B -ntp verify $*"
t=$(now_ms)
# Maven runs as a child we wait for, so that INT/TERM reach our traps at once: they stop
# Maven, then the EXIT trap stops the services
mvn_pid=""
# shellcheck disable=SC2317  # invoked by traps
stop_mvn() {
  trap - INT TERM
  if [ -n "$mvn_pid" ]; then
    say "interrupted: stopping Maven (pid $mvn_pid)"
    kill -TERM "$mvn_pid" 2>/dev/null || true
    wait "$mvn_pid" 2>/dev/null || true
  fi
  exit "$1"
}
trap 'stop_mvn 130' INT
trap 'stop_mvn 143' TERM
"${mvn[@]}" -B -ntp verify "$@" &
mvn_pid=$!
set +e
wait "$mvn_pid"
rc=$?
set -e
trap 'exit 130' INT
trap 'exit 143' TERM
say "maven finished in $(fmt_s $(( $(now_ms) - t ))) with exit code $rc"
exit "$rc"
