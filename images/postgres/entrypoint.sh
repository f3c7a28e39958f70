#!/bin/sh
# Creates the cluster in $PGDATA on the first start, then runs PostgreSQL in the foreground.
#   POSTGRES_USER           the superuser (default postgres)
#   POSTGRES_PASSWORD_FILE  a file holding its password (a mounted Secret), or POSTGRES_PASSWORD
#   POSTGRES_DB             databases to create, separated by spaces or commas (default none)
# $PGDATA is a folder inside the data volume, so that a volume's lost+found or root-owned mount
# point does not stop initdb. No Unix socket: clients connect over TCP, and the root filesystem
# may be read-only.
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  user=${POSTGRES_USER:-postgres}
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
    password=$(cat "$POSTGRES_PASSWORD_FILE")
  else
    password=${POSTGRES_PASSWORD:-}
  fi
  [ -n "$password" ] || { echo "postgres: set POSTGRES_PASSWORD_FILE or POSTGRES_PASSWORD" >&2; exit 1; }
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  printf '%s\n' "$password" | initdb -D "$PGDATA" -U "$user" --pwfile=/dev/stdin \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  printf '%s\n' 'host all all 0.0.0.0/0 scram-sha-256' 'host all all ::/0 scram-sha-256' >>"$PGDATA/pg_hba.conf"
  for database in $(printf '%s' "${POSTGRES_DB:-}" | tr ',' ' '); do
    echo "CREATE DATABASE \"$database\" OWNER \"$user\"" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  done
  echo "postgres: created the cluster in $PGDATA"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories='' "$@"
