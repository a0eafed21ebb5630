#!/usr/bin/env bash
# scripts/services.sh - the local servers memlayer's integration tests and benchmarks use,
# installed and started without Docker on a Debian 12 machine:
#   pg    PostgreSQL 15 + pgvector   on 127.0.0.1:55432  (db/user/password memlayer)
#   redis Redis 8 with Vector Sets   on 127.0.0.1:56379
#
# Usage: scripts/services.sh start|stop|status|env|verify|reset [pg|redis|all]   (default all)
#   start   install what is missing (cached), start the servers, write their env files
#   stop    stop the servers this script started (a server is recognised by its pid file,
#           executable and data dir; a foreign process on the same port is never touched)
#   status  show what runs (exit 3 if a requested server is not running)
#   env     print KEY=VALUE lines for running servers, e.g.
#             MEMLAYER_PG_URL=jdbc:postgresql://127.0.0.1:55432/memlayer
#             MEMLAYER_PG_USER=memlayer
#             MEMLAYER_PG_PASSWORD=memlayer
#             MEMLAYER_REDIS_URL=redis://127.0.0.1:56379
#   verify  smoke-test the running servers (pgvector HNSW KNN; VADD/VSIM with FILTER)
#   reset   stop and delete the data directories
#
# The first start on a fresh machine installs PostgreSQL with the system's apt (root or
# password-less sudo needed), builds pgvector from Debian trixie's source package and unpacks
# trixie's Redis 8 into the cache (a few seconds each); later starts take a fraction of a second.
# The Debian archive is the one the system's apt is configured with (no host name in here).
#
# Environment (all optional):
#   MEMLAYER_SERVICES_CACHE_DIR  downloads/builds (default ${XDG_CACHE_HOME:-$HOME/.cache}/memlayer-services)
#   MEMLAYER_SERVICES_RUN_DIR    data, logs, pid and env files (default ${TMPDIR:-/tmp}/memlayer-services-run)
#   MEMLAYER_PG_PORT, MEMLAYER_PG_USER, MEMLAYER_PG_PASSWORD, MEMLAYER_PG_DB, ... see scripts/lib/pg.sh
#   MEMLAYER_REDIS_PORT, MEMLAYER_REDIS_METHOD, ...                        see scripts/lib/redis.sh
#   DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR   override the archive URIs read from the apt config
#   MEMLAYER_SERVICES_LEASE      (used by scripts/test.sh) pid of a test run holding a lease: start
#                                records the lease; stop releases it and stops only servers a
#                                test run started once no other live run holds a lease
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${MEMLAYER_SERVICES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/memlayer-services}
RUN_DIR=${MEMLAYER_SERVICES_RUN_DIR:-${TMPDIR:-/tmp}/memlayer-services-run}
LEASE=${MEMLAYER_SERVICES_LEASE:-}
SVC_T0=$(date +%s%N)

# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib/common.sh
. "$SCRIPT_DIR/lib/common.sh"
# shellcheck source=lib/pg.sh
. "$SCRIPT_DIR/lib/pg.sh"
# shellcheck source=lib/redis.sh
. "$SCRIPT_DIR/lib/redis.sh"

usage() { echo "usage: $0 start|stop|status|env|verify|reset [pg|redis|all]" >&2; exit 2; }

cmd=${1:-}
[ -n "$cmd" ] || usage
case "${2:-all}" in
  all) services=(pg redis) ;;
  pg|postgres|postgresql|pgvector) services=(pg) ;;
  redis) services=(redis) ;;
  *) usage ;;
esac
[ $# -le 2 ] || usage

mkdir -p "$RUN_DIR" "$CACHE_DIR"
# the PostgreSQL server runs as its own OS user when we are root: it must reach its data dir
chmod 755 "$RUN_DIR" 2>/dev/null || true

# run_each FUNCTION_SUFFIX [ARGS] : run <svc>_<suffix> for every selected service, in
# parallel when there are several (a cold start downloads/builds both at once); fails if any fails
run_each() {
  local what=$1; shift
  if [ ${#services[@]} -eq 1 ]; then "${services[0]}_$what" "$@"; return; fi
  local s pids=() rc=0 i=0
  for s in "${services[@]}"; do ( "${s}_$what" "$@" ) & pids+=($!); done
  for s in "${services[@]}"; do
    wait "${pids[$i]}" || { rc=$?; printf '[services] %s %s failed (exit %d)\n' "$s" "$what" "$rc" >&2; }
    i=$((i + 1))
  done
  return "$rc"
}

case "$cmd" in
  start)
    run_each start "$LEASE"
    ms=$(( ($(date +%s%N) - SVC_T0) / 1000000 ))
    printf '[services] ready in %d.%03d s; connection settings: %s env\n' $((ms / 1000)) $((ms % 1000)) "$0" >&2
    ;;
  stop)   run_each stop "$LEASE" ;;
  status)
    rc=0
    for s in "${services[@]}"; do "${s}_status" || rc=$?; done
    exit "$rc"
    ;;
  env)    for s in "${services[@]}"; do "${s}_env"; done ;;
  verify) for s in "${services[@]}"; do "${s}_verify"; done ;;
  reset)  for s in "${services[@]}"; do "${s}_reset"; done ;;
  *) usage ;;
esac
