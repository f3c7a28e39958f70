#!/usr/bin/env bash
# One step of a fault on the platform local/up started, through local/'s own start and stop
# functions, so a restarted server or service runs exactly as `npm start` runs it:
#   fault.sh kill NAME      SIGKILL to the process group of a server or service (a service's relay and consumers with it)
#   fault.sh freeze NAME    SIGSTOP to it;  fault.sh thaw NAME: SIGCONT
#   fault.sh stop NAME      the server's or service's own stop (TERM, PostgreSQL's fast shutdown)
#   fault.sh crash-postgres pg_ctl -m immediate: PostgreSQL stops without a checkpoint and recovers from its WAL
#   fault.sh start NAME     starts it unless it runs, and waits until it is healthy; variables in the
#                           environment (PAYMENT_SANDBOX_LATENCY=...) reach a service's process
#   fault.sh running NAME   exit 0 when its pid file names a live process
set -euo pipefail
source "$(dirname "$0")/../../local/lib/common.sh"
source "$MSA_ROOT/local/lib/servers.sh"
source "$MSA_ROOT/local/lib/services.sh"

is_service() { [[ " ${SERVICES[*]} " == *" $1 "* ]]; }

signal_group() {
  local pid
  pid=$(cat "$(pid_file "$2")" 2>/dev/null) || return 0
  kill "-$1" -- "-$pid" 2>/dev/null || kill "-$1" "$pid" 2>/dev/null || true
}

action=${1:?usage: fault.sh kill|freeze|thaw|stop|crash-postgres|start|running NAME}
name=${2:-postgres}
case $action in
  kill)
    signal_group KILL "$name"
    pid=$(cat "$(pid_file "$name")" 2>/dev/null) || exit 0
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    ;;
  freeze) signal_group STOP "$name" ;;
  thaw) signal_group CONT "$name" ;;
  stop) if is_service "$name"; then stop_daemon "$name"; else "$(fn "$name" stop)"; fi ;;
  crash-postgres)
    as_service_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null
    pid=$(cat "$(pid_file postgres)" 2>/dev/null) || exit 0
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    ;;
  start)
    if is_service "$name"; then
      service_start "$name"
      wait_healthy "$name" "$(service_port "$name")" 60 service_check "$name"
    else
      launch_server "$name"
      await_server "$name"
    fi
    ;;
  running) is_running "$name" ;;
  *) die "unknown action $action" ;;
esac
