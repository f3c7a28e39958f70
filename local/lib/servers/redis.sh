# Redis from Debian's packages, on the project's own port and directory.

REDIS_DIR="$MSA_STATE_DIR/redis"

redis_port() { echo "$MSA_REDIS_PORT"; }

redis_install() {
  [[ -x /usr/bin/redis-server && -x /usr/bin/redis-cli ]] && return 0
  say "installing Redis $REDIS_DEBIAN_VERSION from Debian's packages"
  # RUNLEVEL=1 keeps the package from starting a system-wide Redis on 6379 as it installs.
  RUNLEVEL=1 apt_install "redis-server=$REDIS_DEBIAN_VERSION" "redis-tools=$REDIS_DEBIAN_VERSION"
}

redis_start() {
  mkdir -p "$REDIS_DIR"
  start_daemon redis /usr/bin/redis-server --bind 127.0.0.1 --port "$MSA_REDIS_PORT" \
    --dir "$REDIS_DIR" --appendonly yes --save '' --protected-mode yes --daemonize no
}

redis_check() { [[ $(/usr/bin/redis-cli -h 127.0.0.1 -p "$MSA_REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_stop() { stop_daemon redis; }
