#!/bin/sh
# Runs Redis in the foreground on 0.0.0.0:6379 with its data in /data. With REDIS_PASSWORD_FILE
# (a mounted Secret) or REDIS_PASSWORD set, clients must authenticate. Arguments are passed on.
set -eu
if [ -n "${REDIS_PASSWORD_FILE:-}" ]; then
  REDIS_PASSWORD=$(cat "$REDIS_PASSWORD_FILE")
fi
if [ -n "${REDIS_PASSWORD:-}" ]; then
  # Given on stdin as a config file, so that the password never shows in the process list.
  exec redis-server - --bind 0.0.0.0 --port 6379 --dir /data --appendonly yes --save '' --protected-mode no \
    --daemonize no "$@" <<CONF
requirepass "$REDIS_PASSWORD"
CONF
fi
exec redis-server --bind 0.0.0.0 --port 6379 --dir /data --appendonly yes --save '' --protected-mode no \
  --daemonize no "$@"
