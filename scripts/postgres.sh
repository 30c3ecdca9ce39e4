# Functions to run a private PostgreSQL on loopback from the Debian binaries. Sourced by run.sh, test.sh and the benchmarks.
#   pg_find_bin                prints the folder with initdb and pg_ctl, or fails
#   pg_up DIR PORT PASSWORD    creates the cluster in DIR if it is new, starts it on 127.0.0.1:PORT; the superuser postgres
#                              logs in with PASSWORD (scram-sha-256, over TCP and the socket alike: no trust)
#   pg_down DIR                stops it (fast shutdown), if it runs

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
  local dir="$1" port="$2" password="${3:-}" bin pwfile
  [ -n "$password" ] || { echo "pg_up: a password is required (pg_up DIR PORT PASSWORD)" >&2; return 1; }
  bin="$(pg_find_bin)" || return 1
  mkdir -p "$dir"
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$dir"
    chmod 700 "$dir"
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    pwfile="$(mktemp)"
    printf '%s\n' "$password" >"$pwfile"
    [ "$(id -u)" != "0" ] || chown postgres "$pwfile"
    pg_as_owner "$bin/initdb" -D "$dir" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
      >"$dir.initdb.log" 2>&1 || {
      rm -f "$pwfile"
      echo "initdb failed; see $dir.initdb.log" >&2
      return 1
    }
    rm -f "$pwfile"
  fi
  if ! pg_as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    pg_as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null || {
        echo "PostgreSQL did not start; see $dir/server.log" >&2
        return 1
      }
  fi
  if grep -Eq '^[^#]*[[:space:]]trust([[:space:]]|$)' "$dir/pg_hba.conf"; then
    pg_require_password "$dir" "$port" "$password" "$bin" || return 1
  fi
  PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc "SELECT 1" >/dev/null 2>&1 || {
    echo "the PostgreSQL in $dir does not accept the given password for postgres (run.sh: LOCAL_POSTGRES_PASSWORD in .local/dev.env); stop it and delete $dir to start afresh" >&2
    return 1
  }
}

# A cluster made by an older version trusted every local connection: give postgres the password, then ask for it.
pg_require_password() {
  local dir="$1" port="$2" password="$3" bin="$4"
  printf '%s\n' "ALTER ROLE postgres PASSWORD :'password';" \
    | pg_as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -v password="$password" -q >/dev/null || {
      echo "could not set the password of postgres in $dir" >&2
      return 1
    }
  printf '%s\n' "local all all scram-sha-256" "host all all 127.0.0.1/32 scram-sha-256" "host all all ::1/128 scram-sha-256" \
    >"$dir/pg_hba.conf"
  pg_as_owner "$bin/pg_ctl" -D "$dir" reload >/dev/null
}

pg_down() {
  local dir="$1" bin
  bin="$(pg_find_bin)" || return 0
  [ -f "$dir/PG_VERSION" ] || return 0
  pg_as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}
