# shellcheck shell=bash
# scripts/lib/pg.sh - PostgreSQL + pgvector on 127.0.0.1 for tests, without Docker.
# Sourced by scripts/services.sh (after scripts/lib/common.sh); not meant to be run on its own.
#
# How (Debian 12 "bookworm" host; bookworm has no pgvector package):
#   * the server is the distribution's own PostgreSQL (postgresql-15 on bookworm), installed
#     with the system's apt when missing;
#   * pgvector is built from the Debian trixie SOURCE package ("apt-get source pgvector" via a
#     private apt configuration in the cache) against postgresql-server-dev-$MAJOR, staged with
#     DESTDIR in the cache and copied into the server's extension directories;
#   * a private cluster (initdb) in a data dir of our own, listening on 127.0.0.1 only.
#
# Settings (environment, all optional):
#   MEMLAYER_PG_PORT        TCP port on 127.0.0.1        (default 55432)
#   MEMLAYER_PG_USER        superuser name               (default memlayer)
#   MEMLAYER_PG_PASSWORD    its password                 (default memlayer)
#   MEMLAYER_PG_DB          database for the app         (default memlayer)
#   MEMLAYER_PG_DATA_DIR    cluster directory            (default $RUN_DIR/pgvector-$PORT)
#   MEMLAYER_PG_MAJOR       PostgreSQL major             (default newest installed, else 15)
#   MEMLAYER_PG_OS_USER     OS user running the server when invoked as root (default postgres)
#   MEMLAYER_PG_FAST        1 = fsync/synchronous_commit/full_page_writes off (default 1; tests only)
#   MEMLAYER_PG_SHARED_BUFFERS  shared_buffers (default 1GB; PostgreSQL's own default, 128MB, holds less
#                           than one 100k x 384 collection with its indexes). Like jit=off, passed on
#                           the server's command line, so it applies at the next start of any cluster
#                           (a running server keeps its value until restarted)
#   MEMLAYER_PGVECTOR_SUITE    Debian suite to take the pgvector source from (default trixie)
#   MEMLAYER_PGVECTOR_VERSION  pin a Debian source version, e.g. 0.8.0-1 (default newest)
#   MEMLAYER_PGVECTOR_FORCE_BUILD  1 = build/install our pgvector even if one is installed

PG_TAG=pg
PG_HOST=127.0.0.1
PG_PORT=${MEMLAYER_PG_PORT:-55432}
PG_USER=${MEMLAYER_PG_USER:-memlayer}
PG_PASSWORD=${MEMLAYER_PG_PASSWORD:-memlayer}
PG_DB=${MEMLAYER_PG_DB:-memlayer}
PG_DATA_DIR=${MEMLAYER_PG_DATA_DIR:-$RUN_DIR/pgvector-$PG_PORT}
PG_FAST=${MEMLAYER_PG_FAST:-1}
PG_SHARED_BUFFERS=${MEMLAYER_PG_SHARED_BUFFERS:-1GB}
PG_SOURCE_SUITE=${MEMLAYER_PGVECTOR_SUITE:-trixie}
PG_SOURCE_VERSION=${MEMLAYER_PGVECTOR_VERSION:-}
# pid/log/lock/data names are those of the shared reference recipe, so either tool
# recognises a server the other one started
PG_PID_FILE=$RUN_DIR/pgvector-$PG_PORT.pid
PG_LOG_FILE=$RUN_DIR/pgvector-$PG_PORT.log
PG_LOCK_FILE=$RUN_DIR/.pgvector-$PG_PORT.lock
PG_ENV_FILE=$RUN_DIR/memlayer-pg-$PG_PORT.env
PG_AUTO_FILE=$RUN_DIR/memlayer-pg-$PG_PORT.auto
PG_LEASES=$RUN_DIR/leases/pg-$PG_PORT
PG_APT_DIR=$CACHE_DIR/apt-$PG_SOURCE_SUITE-src

pg_pick_major() {
  if [ -n "${MEMLAYER_PG_MAJOR:-}" ]; then echo "$MEMLAYER_PG_MAJOR"; return; fi
  local m
  m=$( (ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null || true) \
       | sed -E 's#.*/postgresql/([0-9]+)/bin/postgres#\1#' | sort -n | tail -1)
  echo "${m:-15}"
}
PG_MAJOR=$(pg_pick_major)
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_EXT_CONTROL=/usr/share/postgresql/$PG_MAJOR/extension/vector.control
PG_EXT_LIB=/usr/lib/postgresql/$PG_MAJOR/lib/vector.so
PG_BUILD_DIR=$CACHE_DIR/pgvector/pg$PG_MAJOR
PG_STAGE=$PG_BUILD_DIR/stage

if [ "$(id -u)" -eq 0 ]; then
  PG_OS_USER=${MEMLAYER_PG_OS_USER:-postgres}
  pg_run() { runuser -u "$PG_OS_USER" -- "$@"; }
else
  PG_OS_USER=$(id -un)
  pg_run() { "$@"; }
fi

pg_log() { svc_log "$PG_TAG" "$@"; }
pg_die() { svc_die "$PG_TAG" "$@"; }

# ---------------------------------------------------------------- install
pg_ensure_server() {
  [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] && return 0
  pg_log "installing postgresql-$PG_MAJOR with the system's apt"
  system_apt_install "$PG_TAG" "$RUN_DIR/apt-install-pg.log" "postgresql-$PG_MAJOR"
  [ -x "$PG_BIN/postgres" ] || pg_die "postgresql-$PG_MAJOR did not provide $PG_BIN/postgres"
}

pg_build_pgvector() {
  local need=()
  { [ -x "$PG_BIN/pg_config" ] && [ -f "/usr/lib/postgresql/$PG_MAJOR/lib/pgxs/src/makefiles/pgxs.mk" ] \
    && [ -f "/usr/include/postgresql/$PG_MAJOR/server/postgres.h" ]; } || need+=("postgresql-server-dev-$PG_MAJOR")
  { command -v gcc >/dev/null 2>&1 && command -v make >/dev/null 2>&1; } || need+=(build-essential)
  command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
  if [ ${#need[@]} -gt 0 ]; then
    pg_log "installing build prerequisites with the system's apt: ${need[*]}"
    system_apt_install "$PG_TAG" "$RUN_DIR/apt-install-pg.log" "${need[@]}"
  fi
  apt_alt_setup "$PG_TAG" "$PG_APT_DIR" deb-src "$PG_SOURCE_SUITE"
  local src=$PG_BUILD_DIR/src pkg="pgvector${PG_SOURCE_VERSION:+=$PG_SOURCE_VERSION}"
  rm -rf "$src" "$PG_STAGE" "$PG_BUILD_DIR/stage.ok"
  mkdir -p "$src"
  pg_log "apt-get source $pkg ($PG_SOURCE_SUITE)"
  if ! (cd "$src" && apt_alt "$PG_APT_DIR" source "$pkg" >"$PG_BUILD_DIR/source.log" 2>&1); then
    pg_log "apt-get source failed; refreshing the private $PG_SOURCE_SUITE lists and retrying"
    apt_alt_setup "$PG_TAG" "$PG_APT_DIR" deb-src "$PG_SOURCE_SUITE" force
    rm -rf "$src"; mkdir -p "$src"
    (cd "$src" && apt_alt "$PG_APT_DIR" source "$pkg" >>"$PG_BUILD_DIR/source.log" 2>&1) \
      || { cat "$PG_BUILD_DIR/source.log" >&2; pg_die "apt-get source pgvector failed"; }
  fi
  local dir
  dir=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -1)
  [ -n "$dir" ] || pg_die "pgvector source tree not found in $src"
  pg_log "building $(basename "$dir") against PostgreSQL $PG_MAJOR ($(nproc) jobs)"
  # with_llvm=no: skip the optional JIT bitcode (half the compile time, no clang needed)
  make -C "$dir" -j"$(nproc)" PG_CONFIG="$PG_BIN/pg_config" with_llvm=no >"$PG_BUILD_DIR/build.log" 2>&1 \
    || { tail -30 "$PG_BUILD_DIR/build.log" >&2; pg_die "pgvector build failed"; }
  make -C "$dir" install PG_CONFIG="$PG_BIN/pg_config" with_llvm=no DESTDIR="$PG_STAGE" >>"$PG_BUILD_DIR/build.log" 2>&1 \
    || { tail -30 "$PG_BUILD_DIR/build.log" >&2; pg_die "pgvector staging install failed"; }
  basename "$dir" | sed 's/^pgvector-//' > "$PG_BUILD_DIR/version"
  rm -rf "$src"   # keep only the staged files
  touch "$PG_BUILD_DIR/stage.ok"
}

pg_ensure_pgvector() {
  pg_ensure_server
  if [ -f "$PG_BUILD_DIR/stage.ok" ] && [ -f "$PG_EXT_CONTROL" ] && [ -f "$PG_EXT_LIB" ] \
     && cmp -s "$PG_STAGE$PG_EXT_LIB" "$PG_EXT_LIB"; then
    return 0   # built and installed
  fi
  if [ ! -f "$PG_BUILD_DIR/stage.ok" ]; then
    if [ -f "$PG_EXT_CONTROL" ] && [ -f "$PG_EXT_LIB" ] && [ "${MEMLAYER_PGVECTOR_FORCE_BUILD:-0}" != 1 ]; then
      return 0   # a pgvector is already installed (e.g. a distribution package): use it
    fi
    pg_build_pgvector
  fi
  pg_log "installing pgvector $(cat "$PG_BUILD_DIR/version") into PostgreSQL $PG_MAJOR"
  # copy the staged files only; leave the metadata of existing system directories alone
  tar -C "$PG_STAGE" -cf - . | as_root tar -C / -xf - --no-overwrite-dir --no-same-owner \
    || pg_die "could not install pgvector into PostgreSQL $PG_MAJOR"
}

# ---------------------------------------------------------------- process control
pg_pid() {  # pid of the postmaster serving OUR data dir, or empty
  # a candidate counts only if it is a live postgres whose working directory is our data dir
  # (guards against stale pid files and pid reuse)
  local pid data
  data=$(readlink -f "$PG_DATA_DIR" 2>/dev/null || echo "$PG_DATA_DIR")
  for pid in "$(head -1 "$PG_PID_FILE" 2>/dev/null || true)" "$(head -1 "$PG_DATA_DIR/postmaster.pid" 2>/dev/null || true)"; do
    [ -n "$pid" ] && proc_alive "$pid" || continue
    case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in */postgres) ;; *) continue ;; esac
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$data" ] || continue
    echo "$pid"; return 0
  done
  return 0
}

pg_env_lines() {
  printf 'MEMLAYER_PG_URL=jdbc:postgresql://%s:%s/%s\n' "$PG_HOST" "$PG_PORT" "$PG_DB"
  printf 'MEMLAYER_PG_USER=%s\n' "$PG_USER"
  printf 'MEMLAYER_PG_PASSWORD=%s\n' "$PG_PASSWORD"
}

pg_psql_tcp() {
  PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 PGOPTIONS='-c client_min_messages=warning' \
    "$PG_BIN/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"
}
pg_psql_local() {  # superuser over the unix socket in the data dir (trust auth)
  PGOPTIONS='-c client_min_messages=warning' pg_run "$PG_BIN/psql" -h "$PG_DATA_DIR" -p "$PG_PORT" -U "$PG_USER" -v ON_ERROR_STOP=1 -qtAX "$@"
}

pg_info() {
  local ver
  ver=$(pg_psql_tcp -d "$PG_DB" -tAX \
        -c "SELECT current_setting('server_version') || ', pgvector ' || extversion FROM pg_extension WHERE extname='vector'" 2>/dev/null || echo '?')
  echo "pg    : PostgreSQL $ver on $PG_HOST:$PG_PORT (pid $(pg_pid)), db/user $PG_DB/$PG_USER; data $PG_DATA_DIR; log $PG_LOG_FILE"
}

pg_wait_ready() {
  local _i
  for _i in $(seq 1 240); do
    pg_psql_tcp -d postgres -tAXc 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  tail -20 "$PG_LOG_FILE" >&2 || true
  pg_die "server did not accept connections on $PG_HOST:$PG_PORT"
}

pg_initdb() {
  pg_log "initdb $PG_DATA_DIR (PostgreSQL $PG_MAJOR, superuser '$PG_USER')"
  mkdir -p "$PG_DATA_DIR"; rm -rf "${PG_DATA_DIR:?}"/*
  if [ "$(id -u)" -eq 0 ]; then chown "$PG_OS_USER" "$PG_DATA_DIR"; fi
  chmod 700 "$PG_DATA_DIR"
  local pw; pw=$(mktemp "$RUN_DIR/.pw.XXXXXX"); printf '%s\n' "$PG_PASSWORD" > "$pw"
  if [ "$(id -u)" -eq 0 ]; then chown "$PG_OS_USER" "$pw"; fi
  pg_run "$PG_BIN/initdb" -D "$PG_DATA_DIR" -U "$PG_USER" --pwfile="$pw" -A scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$RUN_DIR/pgvector-$PG_PORT.initdb.log" 2>&1 \
    || { rm -f "$pw"; cat "$RUN_DIR/pgvector-$PG_PORT.initdb.log" >&2; pg_die "initdb failed"; }
  rm -f "$pw"
  {
    echo "# --- added by memlayer scripts/services.sh ---"
    echo "listen_addresses = '$PG_HOST'"
    echo "port = $PG_PORT"
    echo "unix_socket_directories = '$PG_DATA_DIR'"
    echo "max_connections = 200"
    if [ "$PG_FAST" = 1 ]; then
      echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"
    fi
  } >> "$PG_DATA_DIR/postgresql.conf"
}

# pg_start [LEASE_PID] : start (or reuse) the server. With a lease pid (scripts/test.sh),
# record the lease and mark the server "auto" when this call started it; without one (by
# hand), a running server is claimed as hand-started so that test runs leave it running.
pg_start() {
  local lease=${1:-}
  exec 9>"$PG_LOCK_FILE"
  flock -w 600 9 || pg_die "another start/stop of this server is still running (lock $PG_LOCK_FILE)"
  if [ -n "$(pg_pid)" ]; then
    pg_log "already running"
    [ -n "$lease" ] || rm -f "$PG_AUTO_FILE"
  else
    port_in_use "$PG_HOST" "$PG_PORT" && pg_die "port $PG_HOST:$PG_PORT is in use by another process (set MEMLAYER_PG_PORT)"
    pg_ensure_pgvector
    if [ "$(id -u)" -eq 0 ]; then
      id "$PG_OS_USER" >/dev/null 2>&1 || pg_die "OS user '$PG_OS_USER' does not exist (set MEMLAYER_PG_OS_USER)"
      pg_run test -x "$RUN_DIR" \
        || pg_die "OS user '$PG_OS_USER' cannot enter $RUN_DIR; set MEMLAYER_SERVICES_RUN_DIR (or TMPDIR) to a directory it can reach"
    fi
    local sockpath="$PG_DATA_DIR/.s.PGSQL.$PG_PORT"
    [ ${#sockpath} -lt 100 ] || pg_die "data dir path too long for a unix socket: $sockpath (set MEMLAYER_PG_DATA_DIR)"
    [ -f "$PG_DATA_DIR/PG_VERSION" ] || pg_initdb
    touch "$PG_LOG_FILE"; if [ "$(id -u)" -eq 0 ]; then chown "$PG_OS_USER" "$PG_LOG_FILE"; fi
    pg_log "starting PostgreSQL $PG_MAJOR on $PG_HOST:$PG_PORT"
    pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR" -l "$PG_LOG_FILE" -w -t 60 \
        -o "-c listen_addresses=$PG_HOST -p $PG_PORT -c unix_socket_directories=$PG_DATA_DIR -c shared_buffers=$PG_SHARED_BUFFERS -c jit=off" start >/dev/null 8>&- 9>&- \
      || { tail -20 "$PG_LOG_FILE" >&2; pg_die "pg_ctl start failed (log: $PG_LOG_FILE)"; }
    head -1 "$PG_DATA_DIR/postmaster.pid" > "$PG_PID_FILE"
    pg_wait_ready
    if [ "$(pg_psql_local -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
      pg_psql_local -d postgres -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\"" >/dev/null
    fi
    pg_psql_local -d template1 -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
    pg_psql_local -d "$PG_DB" -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
    if [ -n "$lease" ]; then touch "$PG_AUTO_FILE"; else rm -f "$PG_AUTO_FILE"; fi
  fi
  [ -z "$lease" ] || lease_add "$PG_LEASES" "$lease"
  pg_env_lines > "$PG_ENV_FILE"
  pg_info
  exec 9>&-
}

pg_stop_server() {
  local pid; pid=$(pg_pid)
  if [ -z "$pid" ]; then
    pg_log "not running"; rm -f "$PG_PID_FILE" "$PG_ENV_FILE" "$PG_AUTO_FILE"; return 0
  fi
  pg_log "stopping PostgreSQL (pid $pid)"
  if ! pg_run "$PG_BIN/pg_ctl" -D "$PG_DATA_DIR" -m fast -w -t 60 stop >/dev/null 2>&1; then
    kill -TERM "$pid" 2>/dev/null || true
    local _i; for _i in $(seq 1 120); do proc_alive "$pid" || break; sleep 0.25; done
    if proc_alive "$pid"; then pg_die "postmaster $pid did not stop"; fi
  fi
  rm -f "$PG_PID_FILE" "$PG_ENV_FILE" "$PG_AUTO_FILE"
  pg_log "stopped"
}

# pg_stop [LEASE_PID] : see service_stop (scripts/lib/common.sh)
pg_stop() {
  service_stop pg "$PG_LOCK_FILE" "$PG_LEASES" "$PG_AUTO_FILE" "${1:-}"
}

pg_status() {
  if [ -n "$(pg_pid)" ]; then pg_info; else echo "pg    : not running ($PG_HOST:$PG_PORT)"; return 3; fi
}

pg_env() {
  { [ -n "$(pg_pid)" ] && [ -f "$PG_ENV_FILE" ]; } || pg_die "not running (start it: scripts/services.sh start pg)"
  cat "$PG_ENV_FILE"
}

pg_verify() {
  [ -n "$(pg_pid)" ] || pg_die "not running"
  local out
  out=$(pg_psql_tcp -d "$PG_DB" -v ON_ERROR_STOP=1 -qtAX 2>&1 <<'SQL'
CREATE EXTENSION IF NOT EXISTS vector;
DROP TABLE IF EXISTS memlayer_services_smoke;
CREATE TABLE memlayer_services_smoke (id bigserial PRIMARY KEY, embedding vector(3), h halfvec(3));
INSERT INTO memlayer_services_smoke (embedding, h) VALUES ('[1,2,3]','[1,2,3]'), ('[4,5,6]','[4,5,6]'), ('[1,0,0]','[1,0,0]');
CREATE INDEX memlayer_services_smoke_v ON memlayer_services_smoke USING hnsw (embedding vector_cosine_ops);
CREATE INDEX memlayer_services_smoke_h ON memlayer_services_smoke USING hnsw (h halfvec_cosine_ops);
SET enable_seqscan = off;
SET hnsw.iterative_scan = relaxed_order;
EXPLAIN (COSTS OFF) SELECT id FROM memlayer_services_smoke ORDER BY embedding <=> '[1,1,1]' LIMIT 2;
SELECT 'knn-vector=' || string_agg(id::text, ',' ORDER BY d) FROM (SELECT id, embedding <=> '[1,1,1]' AS d FROM memlayer_services_smoke ORDER BY embedding <=> '[1,1,1]' LIMIT 2) s;
SELECT 'knn-halfvec=' || string_agg(id::text, ',' ORDER BY d) FROM (SELECT id, h <=> '[1,1,1]'::halfvec AS d FROM memlayer_services_smoke ORDER BY h <=> '[1,1,1]'::halfvec LIMIT 2) s;
SELECT 'pgvector=' || extversion FROM pg_extension WHERE extname = 'vector';
DROP TABLE memlayer_services_smoke;
SQL
) || { printf '%s\n' "$out" >&2; pg_die "verify: SQL failed"; }
  printf '%s\n' "$out"
  grep -q 'Index Scan using memlayer_services_smoke_v' <<<"$out" || pg_die "verify: HNSW index not used"
  grep -qx 'knn-vector=2,1' <<<"$out" || pg_die "verify: unexpected KNN result"
  grep -qx 'knn-halfvec=2,1' <<<"$out" || pg_die "verify: unexpected halfvec KNN result"
  echo "pg verify: OK"
}

pg_reset() { pg_stop ""; pg_log "removing $PG_DATA_DIR"; rm -rf "${PG_DATA_DIR:?}"; }
