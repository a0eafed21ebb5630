# shellcheck shell=bash
# scripts/lib/common.sh - helpers shared by scripts/lib/pg.sh and scripts/lib/redis.sh.
# Sourced by scripts/services.sh; not meant to be run on its own.
#
# Nothing here names a host or a path of a particular machine: the Debian archive is read
# from the system's apt configuration, caches and run files live under directories computed
# at run time (XDG cache dir / $TMPDIR).

SVC_T0=${SVC_T0:-$(date +%s%N)}

# log TAG MESSAGE... : timestamped progress on stderr
svc_log() {
  local tag=$1; shift
  local ms=$(( ($(date +%s%N) - SVC_T0) / 1000000 ))
  printf '[%s +%d.%ds] %s\n' "$tag" $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2
}
svc_die() { local tag=$1; shift; printf '[%s] ERROR: %s\n' "$tag" "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else printf '[services] ERROR: need root (or password-less sudo) for: %s\n' "$*" >&2; return 1; fi
}

# ---------------------------------------------------------------- Debian archive
# debian_mirror main|security : the first archive URI the system's apt is configured with
# (deb822 *.sources first, then one-line *.list files). Never a hard-coded host.
# Override with DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR. Prints nothing for a missing
# security archive (it is optional).
debian_mirror() {
  local kind=$1 f uri
  if [ "$kind" = main ] && [ -n "${DEBIAN_MIRROR:-}" ]; then printf '%s\n' "${DEBIAN_MIRROR%/}"; return 0; fi
  if [ "$kind" = security ] && [ -n "${DEBIAN_SECURITY_MIRROR:-}" ]; then printf '%s\n' "${DEBIAN_SECURITY_MIRROR%/}"; return 0; fi
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk -v kind="$kind" 'BEGIN { RS=""; FS="\n" }
      { u=""; s=""; t=""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)   { v=$i; sub(/^URIs:[ \t]*/, "", v); split(v, a, /[ \t]+/); u=a[1] }
          if ($i ~ /^Suites:/) { s=$i }
          if ($i ~ /^Types:/)  { t=$i }
        }
        sec = (s ~ /-security/ || u ~ /security/)
        if (u != "" && t ~ /deb/ && ((kind == "security") == sec)) { print u; exit } }' "$f")
    [ -n "$uri" ] && { printf '%s\n' "${uri%/}"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(sed -E 's/\[[^]]*\]//' "$f" | awk -v kind="$kind" \
      '$1 == "deb" { sec = ($3 ~ /-security/ || $2 ~ /security/); if ((kind == "security") == sec) { print $2; exit } }')
    [ -n "$uri" ] && { printf '%s\n' "${uri%/}"; return 0; }
  done
  if [ "$kind" = main ]; then
    printf '[services] ERROR: cannot find a Debian archive URI in /etc/apt/sources.list(.d); set DEBIAN_MIRROR\n' >&2
    return 1
  fi
  return 0
}

# A private apt configuration in directory $1 (own sources, lists, cache and an EMPTY dpkg
# status): the system's apt state is never touched, and --download-only fetches a package's
# whole dependency closure. Usage: apt_alt DIR apt-get-args...
apt_alt() {
  local dir=$1; shift
  apt-get -q \
    -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
    -o Dir::State::status="$dir/status" -o Debug::NoLocking=1 \
    -o APT::Sandbox::User="$(id -un)" -o Acquire::Languages=none \
    -o APT::Install-Recommends=false "$@"
}

# apt_alt_setup TAG DIR TYPE SUITE [force] : (re)write DIR/sources.list for "TYPE SUITE main"
# (+ SUITE-security when the system has a security archive) and run apt-get update when the
# sources changed, the last update failed, or "force" is given.
apt_alt_setup() {
  local tag=$1 dir=$2 type=$3 suite=$4 mode=${5:-}
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg signed="" want main sec
  [ -r "$keyring" ] && signed="[signed-by=$keyring] "
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  [ -e "$dir/status" ] || : > "$dir/status"
  main=$(debian_mirror main) || exit 1
  want="$type ${signed}$main $suite main"
  sec=$(debian_mirror security)
  [ -n "$sec" ] && want="$want
$type ${signed}$sec $suite-security main"
  if [ "$mode" = force ] || [ "$(cat "$dir/sources.list" 2>/dev/null)" != "$want" ] || [ ! -f "$dir/update.ok" ]; then
    rm -f "$dir/update.ok"
    printf '%s\n' "$want" > "$dir/sources.list"
    svc_log "$tag" "apt-get update ($suite $type; private lists in the cache)"
    apt_alt "$dir" update >"$dir/update.log" 2>&1 \
      || { cat "$dir/update.log" >&2; svc_die "$tag" "apt-get update ($suite) failed"; }
    touch "$dir/update.ok"
  fi
}

# system_apt_install TAG LOGFILE packages... : install with the system's apt (needs root/sudo);
# refreshes the system lists once if the first attempt fails.
system_apt_install() {
  local tag=$1 logf=$2; shift 2
  export DEBIAN_FRONTEND=noninteractive
  local opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300)
  if ! as_root apt-get install "${opts[@]}" "$@" >"$logf" 2>&1; then
    svc_log "$tag" "apt-get install $* failed; refreshing the system package lists and retrying"
    as_root apt-get update -q -o DPkg::Lock::Timeout=300 >>"$logf" 2>&1 || true
    as_root apt-get install "${opts[@]}" "$@" >>"$logf" 2>&1 \
      || { tail -20 "$logf" >&2; svc_die "$tag" "apt-get install $* failed (log: $logf)"; }
  fi
}

# proc_alive PID : true for a live process; a zombie (exited, not yet reaped by its parent -
# a daemon's parent is init, which may reap late) counts as gone
proc_alive() {
  local st
  st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# port_in_use HOST PORT : true when something accepts TCP connections there
port_in_use() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# ---------------------------------------------------------------- leases (scripts/test.sh)
# A run of scripts/test.sh takes a lease on each service it uses. A server it had to start is
# marked "auto"; when the last live lease is released, an auto-started server is stopped. A
# server started by hand (scripts/services.sh start) is never marked auto, so test runs leave
# it running. Lease files hold "pid starttime" so a reused pid does not count as alive.
proc_starttime() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null || true; }
lease_add() {  # DIR PID
  local st; st=$(proc_starttime "$2")
  [ -n "$st" ] || return 0
  mkdir -p "$1"; printf '%s %s\n' "$2" "$st" > "$1/$2"
}
lease_remove() { rm -f "$1/$2"; }
lease_live_count() {  # DIR : prunes dead leases, prints the number of live ones
  local f pid st n=0
  for f in "$1"/*; do
    [ -f "$f" ] || continue
    read -r pid st < "$f" || true
    if [ -n "${pid:-}" ] && proc_alive "$pid" && [ "$(proc_starttime "$pid")" = "${st:-x}" ]; then n=$((n + 1)); else rm -f "$f"; fi
  done
  echo "$n"
}

# service_stop SERVICE LOCK_FILE LEASES_DIR AUTO_FILE [LEASE_PID] : the body of <service>_stop,
# calling <service>_pid, <service>_log, <service>_die and <service>_stop_server. Without a lease
# pid, stop the server. With one, release that lease, and stop the server only if a test run
# started it (AUTO_FILE) and no other live lease remains. Serialised with starts by LOCK_FILE.
service_stop() {
  local svc=$1 lock=$2 leases=$3 auto=$4 lease=${5:-} fd
  exec {fd}>"$lock"
  flock -w 600 "$fd" || "${svc}_die" "another start/stop of this server is still running (lock $lock)"
  if [ -n "$lease" ]; then
    lease_remove "$leases" "$lease"
    local n; n=$(lease_live_count "$leases")
    if [ ! -f "$auto" ]; then
      [ -z "$("${svc}_pid")" ] || "${svc}_log" "left running (not started by a test run)"
    elif [ "$n" -gt 0 ]; then
      "${svc}_log" "left running ($n other test run(s) still use it)"
    else
      "${svc}_stop_server"
    fi
  else
    "${svc}_stop_server"
  fi
  exec {fd}>&-
}
