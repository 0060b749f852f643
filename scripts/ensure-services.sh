#!/usr/bin/env bash
# Make sure the backing services of lib-craft answer: MariaDB, Redis and NATS
# with JetStream.
#
#   bash scripts/ensure-services.sh [--install | --no-install]
#
# For each service, host and port come from DATABASE_URL / REDIS_URL / NATS_URL
# (defaults: mysql://root@127.0.0.1:3306/craft, redis://127.0.0.1:6379,
# nats://127.0.0.1:4222).
#   - already answering            -> say so (NATS: also check JetStream)
#   - local, installed, not running -> start it, then wait until it answers
#   - local, not installed          -> apt-get install it (saying so first), then
#                                      start it, when this user can: root, or sudo
#                                      without a password; otherwise print the one
#                                      command to run, exit 1. --no-install: never
#                                      install, only say what is missing.
#                                      (--install is accepted and is the default.)
#   - remote (not localhost)        -> only wait for it, never start anything
# For a local MariaDB it also makes sure the DATABASE_URL user can log in over
# TCP (fresh Debian installs only allow root over the unix socket) and that the
# database exists.
#
# Idempotent: run it as often as you like. Environment knobs:
#   ENSURE_SERVICES_TIMEOUT   seconds to wait for each service (default 30)
#   ENSURE_SERVICES_LOG_DIR   where started Redis/NATS write their logs
#   NATS_STORE_DIR            JetStream store dir (default /var/lib/nats-server)
set -euo pipefail

usage() { sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

INSTALL=1
for arg in "$@"; do
  case "$arg" in
    --install) INSTALL=1 ;;
    --no-install) INSTALL=0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "ensure-services: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TIMEOUT=${ENSURE_SERVICES_TIMEOUT:-30}
# Daemons live in sbin, which a non-root PATH often lacks.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

DATABASE_URL=${DATABASE_URL:-mysql://root@127.0.0.1:3306/craft}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
NATS_URL=${NATS_URL:-nats://127.0.0.1:4222}

if [ -n "${ENSURE_SERVICES_LOG_DIR:-}" ]; then
  LOG_DIR=$ENSURE_SERVICES_LOG_DIR
elif [ -w /var/log ]; then
  LOG_DIR=/var/log
else
  LOG_DIR=${TMPDIR:-/tmp}
fi

FAILED=()
APT_UPDATED=0

log() { printf '[ensure-services] %s\n' "$*"; }
err() { printf '[ensure-services] ERROR: %s\n' "$*" >&2; }
fail() { err "$1"; FAILED+=("$1"); }

is_root() { [ "$(id -u)" -eq 0 ]; }
# sudo that never asks for a password (fails instead).
can_sudo() { have sudo && sudo -n true 2>/dev/null; }
can_admin() { is_root || can_sudo; }
as_root() { # as_root COMMAND ARGS...: directly as root, else through passwordless sudo
  if is_root; then "$@"; else sudo -n "$@"; fi
}
have() { # an executable on PATH (command -v alone also reports non-executables)
  local p
  p=$(command -v "$1" 2>/dev/null) && [ -x "$p" ]
}

is_local_host() {
  case "$1" in
    localhost | 127.* | ::1 | 0.0.0.0) return 0 ;;
    *) return 1 ;;
  esac
}

# parse_url URL DEFAULT_PORT -> sets U_USER U_PASS U_HOST U_PORT U_PATH
# Handles scheme://user:pass@host:port/path?query, [ipv6] hosts, a missing
# scheme and (NATS) a comma-separated server list, of which the first is used.
parse_url() {
  local rest authority userinfo
  rest=${1#*://}
  rest=${rest%%,*}
  authority=${rest%%/*}
  U_PATH=
  if [[ $rest == */* ]]; then U_PATH=${rest#*/}; fi
  U_PATH=${U_PATH%%\?*}
  U_USER=
  U_PASS=
  if [[ $authority == *@* ]]; then
    userinfo=${authority%@*}
    authority=${authority##*@}
    U_USER=$(urldecode "${userinfo%%:*}")
    if [[ $userinfo == *:* ]]; then U_PASS=$(urldecode "${userinfo#*:}"); fi
  fi
  if [[ $authority == \[* ]]; then
    U_HOST=${authority#\[}
    U_HOST=${U_HOST%%\]*}
    U_PORT=${authority##*\]}
    U_PORT=${U_PORT#:}
  else
    U_HOST=${authority%%:*}
    U_PORT=
    if [[ $authority == *:* ]]; then U_PORT=${authority##*:}; fi
  fi
  U_HOST=${U_HOST:-127.0.0.1}
  U_PORT=${U_PORT:-$2}
}

urldecode() { printf '%b' "${1//%/\\x}"; }

tcp_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

wait_until() { # wait_until CHECK ARGS... : retries CHECK for up to $TIMEOUT s
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.5
  done
}

daemonize() { # daemonize EXECUTABLE ARGS...
  local exe=$1
  shift
  if have start-stop-daemon; then
    start-stop-daemon --start --oknodo --background --exec "$exe" -- "$@"
  else
    setsid nohup "$exe" "$@" </dev/null >/dev/null 2>&1 &
  fi
}

should_install() { [ "$INSTALL" -eq 1 ] && can_admin && have apt-get; }

apt_install() { # apt_install PACKAGE
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update$(is_root || echo ' (with sudo)')"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    APT_UPDATED=1
  fi
  log "apt-get install -y $1$(is_root || echo ' (with sudo)')"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" || return 1
}

# ---------------------------------------------------------------- MariaDB ---

mariadb_admin() { command -v mariadb-admin || command -v mysqladmin; }
mariadb_client() { command -v mariadb || command -v mysql; }
mariadbd_bin() {
  local b
  for b in /usr/sbin/mariadbd /usr/sbin/mysqld; do
    if [ -x "$b" ]; then echo "$b"; return 0; fi
  done
  command -v mariadbd || command -v mysqld
}

mariadb_up() { # mariadb_up HOST PORT
  local admin out
  if admin=$(mariadb_admin); then
    # ping exits 0 when the server answers, even with "access denied", but not
    # with "host not allowed to connect" (no account for this client host).
    out=$("$admin" --protocol=tcp -h "$1" -P "$2" --connect-timeout=2 ping </dev/null 2>&1) && return 0
    [[ $out == *"is not allowed to connect"* || $out == *"Access denied"* ]]
  else
    tcp_open "$1" "$2"
  fi
}

mysqld_default() { # mysqld_default OPTION -> value from the server's my.cnf
  if have my_print_defaults; then
    my_print_defaults --mysqld 2>/dev/null | sed -n "s/^--$1=//p" | tail -n 1
  fi
}

mariadb_start() { # mariadb_start HOST PORT
  local bin datadir socket logerr args=()
  bin=$(mariadbd_bin) || return 1
  if ! can_admin; then
    err "starting MariaDB needs root (it runs as user mysql): sudo bash scripts/ensure-services.sh"
    return 1
  fi
  is_root || log "MariaDB runs as user mysql: starting it with sudo"
  datadir=$(mysqld_default datadir)
  datadir=${datadir:-/var/lib/mysql}
  socket=$(mysqld_default socket)
  socket=${socket:-/run/mysqld/mysqld.sock}
  logerr=$(mysqld_default log-error)
  as_root mkdir -p "$(dirname "$socket")" || return 1
  as_root chown mysql:mysql "$(dirname "$socket")" || return 1
  if [ -n "$logerr" ]; then
    as_root mkdir -p "$(dirname "$logerr")" && as_root chown mysql:mysql "$(dirname "$logerr")" || return 1
  fi
  if ! as_root test -d "$datadir/mysql"; then
    log "MariaDB data dir $datadir is not initialised: running mariadb-install-db"
    as_root mkdir -p "$datadir" && as_root chown mysql:mysql "$datadir" || return 1
    local installdb
    installdb=$(command -v mariadb-install-db || command -v mysql_install_db) || {
      err "mariadb-install-db not found"
      return 1
    }
    as_root "$installdb" --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
      --skip-test-db >"$LOG_DIR/mariadb-install-db.log" 2>&1 || {
      err "mariadb-install-db failed, see $LOG_DIR/mariadb-install-db.log"
      return 1
    }
  fi
  if [ "$2" != 3306 ]; then args+=("--port=$2"); fi
  if is_root; then
    daemonize "$bin" "${args[@]}"
  else
    sudo -n start-stop-daemon --start --oknodo --background --exec "$bin" -- "${args[@]}"
  fi
}

sql_str() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\'\'}"; }

# A local MariaDB: make sure the DATABASE_URL user can log in over TCP and the
# database exists. Fresh Debian installs let root in only through the unix
# socket; then (as root) add TCP access for the URL's user.
mariadb_post() { # mariadb_post HOST PORT USER PASS DB
  local host=$1 port=$2 user=${3:-root} pass=$4 db=$5 client out
  if ! client=$(mariadb_client); then
    log "MariaDB client not installed: skipping the login and database checks"
    return 0
  fi
  tcp_login() {
    MYSQL_PWD=$pass "$client" --protocol=tcp -h "$host" -P "$port" -u "$user" \
      --connect-timeout=3 -N -e "$1" </dev/null 2>&1
  }
  if ! out=$(tcp_login 'SELECT 1'); then
    if ! can_admin || ! as_root "$client" -u root -N -e 'SELECT 1' </dev/null >/dev/null 2>&1; then
      fail "MariaDB answers but '$user' cannot log in over TCP at $host:$port: $out"
      return 1
    fi
    log "MariaDB: '$user' cannot log in over TCP; granting access via the root socket"
    local h sql="" u p exists weak
    u=$(sql_str "$user")
    p=$(sql_str "$pass")
    for h in localhost 127.0.0.1 ::1; do
      exists=$(as_root "$client" -u root -N -e "SELECT COUNT(*) FROM mysql.user WHERE User=$u AND Host='$h'" </dev/null)
      if [ "$exists" = 0 ]; then
        sql+="CREATE USER $u@'$h' IDENTIFIED BY $p; GRANT ALL PRIVILEGES ON *.* TO $u@'$h' WITH GRANT OPTION; "
      else
        # Only touch accounts that cannot use a password at all (unix_socket
        # only, or the 'invalid' placeholder of a fresh install).
        weak=$(as_root "$client" -u root -N -e "SELECT COUNT(*) FROM mysql.user WHERE User=$u AND Host='$h' AND (plugin='unix_socket' OR authentication_string='invalid')" </dev/null)
        if [ "$weak" != 0 ]; then
          sql+="ALTER USER $u@'$h' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD($p); "
        fi
      fi
    done
    if [ -n "$sql" ]; then
      as_root "$client" -u root -e "$sql FLUSH PRIVILEGES;" </dev/null || {
        fail "MariaDB: could not grant TCP access to '$user'"
        return 1
      }
    fi
    if ! out=$(tcp_login 'SELECT 1'); then
      fail "MariaDB: '$user' still cannot log in over TCP at $host:$port: $out (fix the account or DATABASE_URL)"
      return 1
    fi
  fi
  if [ -n "$db" ]; then
    if ! out=$(tcp_login "CREATE DATABASE IF NOT EXISTS \`${db//\`/\`\`}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); then
      fail "MariaDB: cannot create database '$db': $out"
      return 1
    fi
    log "MariaDB: user '$user' logs in over TCP, database '$db' exists"
  fi
}

# ------------------------------------------------------------------ Redis ---

redis_reply() { # redis_reply HOST PORT -> first line of the answer to PING
  if have redis-cli; then
    timeout 3 redis-cli -h "$1" -p "$2" ping </dev/null 2>/dev/null | head -n 1
  else
    # shellcheck disable=SC2016 # expanded by the inner bash
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1
      printf "PING\r\n" >&3; IFS= read -r line <&3; printf "%s\n" "$line"' \
      "$1" "$2" 2>/dev/null | tr -d '\r'
  fi
}

redis_up() { # answers PONG, or demands auth (the URL carries the password)
  local r
  r=$(redis_reply "$1" "$2" || true)
  case "$r" in
    *PONG* | *NOAUTH* | *WRONGPASS*) return 0 ;;
    *) return 1 ;;
  esac
}

redis_start() { # redis_start HOST PORT
  local bin
  bin=$(command -v redis-server) || return 1
  "$bin" --daemonize yes --bind 127.0.0.1 -::1 --port "$2" --save "" --appendonly no \
    --dir "${TMPDIR:-/tmp}" --logfile "$LOG_DIR/redis-server-$2.log" >/dev/null
}

# ------------------------------------------------------------------- NATS ---

nats_info() { # nats_info HOST PORT -> the server's INFO line
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; IFS= read -r line <&3; printf "%s\n" "$line"' \
    "$1" "$2" 2>/dev/null
}

nats_up() { nats_info "$1" "$2" | grep -q '^INFO '; }

nats_start() { # nats_start HOST PORT
  local bin store addr=127.0.0.1
  bin=$(command -v nats-server) || return 1
  case "$1" in ::1 | \[::1\]) addr=::1 ;; esac
  store=${NATS_STORE_DIR:-/var/lib/nats-server}
  if ! mkdir -p "$store" 2>/dev/null || [ ! -w "$store" ]; then
    store=${XDG_STATE_HOME:-$HOME/.local/state}/lib-craft/nats
    mkdir -p "$store" || return 1
  fi
  log "NATS: JetStream store dir $store"
  daemonize "$bin" -a "$addr" -p "$2" -js -sd "$store" -l "$LOG_DIR/nats-server-$2.log"
}

# JetStream check: with the project's NATS client when installed
# (jetstreamManager() fails without JetStream), else the INFO line's flag.
nats_post() { # nats_post HOST PORT
  local rc=0 out
  if have node && [ -d "$ROOT_DIR/node_modules/@nats-io/jetstream" ] &&
    [ -d "$ROOT_DIR/node_modules/@nats-io/transport-node" ]; then
    out=$(cd "$ROOT_DIR" && NATS_URL=$NATS_URL timeout 15 node --input-type=module -e '
      import { connect } from "@nats-io/transport-node";
      import { jetstreamManager } from "@nats-io/jetstream";
      const nc = await connect({ servers: process.env.NATS_URL, timeout: 3000 });
      try {
        const jsm = await jetstreamManager(nc, { timeout: 3000 });
        await jsm.getAccountInfo();
      } catch (e) {
        console.log(String(e && e.message || e));
        process.exitCode = 3;
      } finally {
        await nc.close();
      }' 2>&1) || rc=$?
    if [ "$rc" -eq 0 ]; then
      log "NATS: JetStream is enabled"
      return 0
    elif [ "$rc" -eq 3 ]; then
      fail "NATS answers at $1:$2 but JetStream is NOT enabled ($out). Restart nats-server with -js -sd <store dir>, e.g.: start-stop-daemon --start --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p $2 -js -sd /var/lib/nats-server"
      return 1
    fi
    log "NATS: client check failed ($out); falling back to the INFO line"
  fi
  if nats_info "$1" "$2" | grep -q '"jetstream":true'; then
    log "NATS: JetStream is enabled"
  else
    fail "NATS answers at $1:$2 but JetStream is NOT enabled. Restart nats-server with -js -sd <store dir>, e.g.: start-stop-daemon --start --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p $2 -js -sd /var/lib/nats-server"
    return 1
  fi
}

# ---------------------------------------------------------------- driver ---

mariadb_installed() { mariadbd_bin >/dev/null; }
redis_installed() { have redis-server; }
nats_installed() { have nats-server; }

# ensure NAME PACKAGE SVC HOST PORT: uses SVC_up, SVC_installed, SVC_start;
# returns 0 when the service answers.
ensure() {
  local name=$1 pkg=$2 svc=$3 host=$4 port=$5
  local upfn=${svc}_up startfn=${svc}_start
  if "$upfn" "$host" "$port"; then
    log "$name is up at $host:$port"
    return 0
  fi
  if ! is_local_host "$host"; then
    log "$name at $host:$port (not local) does not answer yet; waiting up to ${TIMEOUT}s"
    if wait_until "$upfn" "$host" "$port"; then
      log "$name is up at $host:$port"
      return 0
    fi
    fail "$name at $host:$port did not answer within ${TIMEOUT}s (remote: not started by this script)"
    return 1
  fi
  if ! "${svc}_installed"; then
    if should_install; then
      log "$name is not installed: installing Debian package $pkg"
      if ! apt_install "$pkg"; then
        fail "could not install $pkg"
        return 1
      fi
      if ! "${svc}_installed"; then
        fail "installed $pkg but its server binary is still not found"
        return 1
      fi
      # The package's own scripts may already have started it.
      if wait_until_short "$upfn" "$host" "$port"; then
        log "$name is up at $host:$port (started by the package)"
        return 0
      fi
    elif [ "$INSTALL" -eq 0 ]; then
      fail "$name is not installed and nothing answers at $host:$port (--no-install). Install it with:
    sudo apt-get update && sudo apt-get install -y $pkg
  or point the URL variable at a running server."
      return 1
    else
      fail "$name is not installed and nothing answers at $host:$port, and this user cannot install it
  (not root, no sudo without a password). Run once:
    sudo bash scripts/ensure-services.sh
  or install it yourself (sudo apt-get install -y $pkg), or point the URL variable at a running server."
      return 1
    fi
  fi
  log "$name is not running on $host:$port: starting it"
  if ! "$startfn" "$host" "$port"; then
    fail "could not start $name"
    return 1
  fi
  if wait_until "$upfn" "$host" "$port"; then
    log "$name is up at $host:$port (started)"
    return 0
  fi
  fail "$name was started but does not answer at $host:$port after ${TIMEOUT}s (logs: $LOG_DIR)"
  return 1
}

wait_until_short() { local TIMEOUT=3; wait_until "$@"; }

log "checking MariaDB, Redis and NATS (timeout ${TIMEOUT}s each)"

parse_url "$DATABASE_URL" 3306
DB_HOST=$U_HOST DB_PORT=$U_PORT DB_USER=$U_USER DB_PASS=$U_PASS DB_NAME=$U_PATH
if ensure MariaDB mariadb-server mariadb "$DB_HOST" "$DB_PORT"; then
  if is_local_host "$DB_HOST"; then
    mariadb_post "$DB_HOST" "$DB_PORT" "$DB_USER" "$DB_PASS" "$DB_NAME" || true
  fi
fi

parse_url "$REDIS_URL" 6379
REDIS_HOST=$U_HOST REDIS_PORT=$U_PORT
ensure Redis redis-server redis "$REDIS_HOST" "$REDIS_PORT" || true

parse_url "$NATS_URL" 4222
NATS_HOST=$U_HOST NATS_PORT=$U_PORT
if ensure NATS nats-server nats "$NATS_HOST" "$NATS_PORT"; then
  nats_post "$NATS_HOST" "$NATS_PORT" || true
fi

if [ "${#FAILED[@]}" -gt 0 ]; then
  err "${#FAILED[@]} problem(s); the services are NOT ready:"
  for f in "${FAILED[@]}"; do printf '  - %s\n' "$f" >&2; done
  exit 1
fi
log "all services ready: MariaDB $DB_HOST:$DB_PORT, Redis $REDIS_HOST:$REDIS_PORT, NATS $NATS_HOST:$NATS_PORT (JetStream)"
