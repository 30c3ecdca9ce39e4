# Functions to run a private PostgreSQL on loopback from the Debian binaries. Sourced by run.sh and test.sh.
#   pg_find_bin          prints the folder with initdb and pg_ctl, or fails
#   pg_up DIR PORT       creates the cluster in DIR if it is new, starts it on 127.0.0.1:PORT
#   pg_down DIR          stops it (fast shutdown), if it runs

pg_find_bin() {
  local dir
  for dir in "${PG_BIN:-}" /usr/lib/postgresql/*/bin; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

# Runs a PostgreSQL tool as the owner of the data folder: initdb and postgres refuse to run as root.
pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_up() {
  local dir="$1" port="$2" bin
  bin="$(pg_find_bin)" || return 1
  mkdir -p "$dir"
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$dir"
    chmod 700 "$dir"
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    pg_as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 || {
      echo "initdb failed; see $dir.initdb.log" >&2
      return 1
    }
  fi
  if pg_as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    return 0
  fi
  pg_as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null || {
      echo "PostgreSQL did not start; see $dir/server.log" >&2
      return 1
    }
}

pg_down() {
  local dir="$1" bin
  bin="$(pg_find_bin)" || return 0
  [ -f "$dir/PG_VERSION" ] || return 0
  pg_as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}
