#!/usr/bin/env bash
# What the platform bench does to the platform local/up started, through local/'s own functions, so
# a restarted service runs exactly as `npm start` runs it:
#   platform.sh restart NAME...      stops each service, then starts them in order with the variables
#                                    in this environment (CONSUMER_COMMIT_PER_MESSAGE=true, ...) and
#                                    waits until each is ready
#   platform.sh kafka-tool CLASS ARG...  one of Kafka's tools (org.apache.kafka.tools.ProducerPerformance)
#                                    on the broker's JDK and classpath
set -euo pipefail
source "$(dirname "$0")/../../local/lib/common.sh"
source "$MSA_ROOT/local/lib/servers.sh"
source "$MSA_ROOT/local/lib/services.sh"

action=${1:?usage: platform.sh restart NAME... | kafka-tool CLASS ARG...}
shift
case $action in
  restart)
    for ((i = $# ; i >= 1; i--)); do
      name=${!i}
      if is_running "$name"; then stop_daemon "$name"; fi
    done
    for name in "$@"; do service_start "$name"; done
    for name in "$@"; do wait_healthy "$name" "$(service_port "$name")" 90 service_check "$name"; done
    ;;
  kafka-tool) kafka_java "$@" ;;
  *) die "unknown action $action" ;;
esac
