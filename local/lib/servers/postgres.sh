# PostgreSQL from Debian's packages, in a cluster of the project's own under the state dir.

PG_BIN="/usr/lib/postgresql/$POSTGRES_MAJOR/bin"
PG_DIR="$MSA_STATE_DIR/postgres"

postgres_port() { echo "$MSA_POSTGRES_PORT"; }

postgres_install() {
  [[ -x $PG_BIN/postgres && -x $PG_BIN/pgbench ]] && return 0
  say "installing PostgreSQL $POSTGRES_MAJOR from Debian's packages"
  apt_install "postgresql-$POSTGRES_MAJOR" "postgresql-client-$POSTGRES_MAJOR" "postgresql-contrib"
}

postgres_init() {
  [[ -f $PG_DIR/data/PG_VERSION ]] && return 0
  say "creating the PostgreSQL cluster in $PG_DIR/data"
  mkdir -p "$PG_DIR/data" "$PG_DIR/socket"
  local pwfile="$PG_DIR/pwfile"
  echo msa >"$pwfile"
  [[ $EUID -ne 0 ]] || chown -R postgres:postgres "$PG_DIR"
  as_service_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U msa --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
    || die "initdb failed for $PG_DIR/data"
  rm -f "$pwfile"
  # Loopback only; room for the connection pools of six services, tests and benchmarks.
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR/socket'
max_connections = 400
shared_buffers = 256MB
max_wal_size = 2GB
logging_collector = off
log_min_duration_statement = -1
CONF
}

postgres_start() {
  postgres_init
  start_daemon postgres "${SERVICE_USER_PREFIX[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$MSA_POSTGRES_PORT"
}

postgres_check() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$MSA_POSTGRES_PORT" &&
    PGPASSWORD=msa "$PG_BIN/psql" -h 127.0.0.1 -p "$MSA_POSTGRES_PORT" -U msa -d postgres -tAc 'select 1' >/dev/null
}

# Databases other servers need, created once the server answers.
postgres_ready() {
  local db
  for db in ferretdb; do
    PGPASSWORD=msa "$PG_BIN/psql" -h 127.0.0.1 -p "$MSA_POSTGRES_PORT" -U msa -d postgres -tAc \
      "select 1 from pg_database where datname = '$db'" | grep -q 1 ||
      PGPASSWORD=msa "$PG_BIN/createdb" -h 127.0.0.1 -p "$MSA_POSTGRES_PORT" -U msa "$db"
  done
}

# SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
postgres_stop() { stop_daemon postgres 60 INT; }
