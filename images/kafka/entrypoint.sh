#!/bin/sh
# Writes the broker's configuration from the environment, formats $KAFKA_DATA_DIR on the first
# start and runs one KRaft node (broker and controller) in the foreground.
#   KAFKA_NODE_ID            default: the ordinal that ends the host name (msa-kafka-2 → 2), else 0
#   KAFKA_CLUSTER_ID         the cluster's id, the same on every node (required with more than one)
#   KAFKA_CONTROLLER_QUORUM_VOTERS  id@host:9093,... (default: this node alone)
#   KAFKA_ADVERTISED_HOST    the name clients reach this node by (default: the host's full name)
#   KAFKA_HEAP_OPTS          JVM heap flags (default: half the container's memory limit)
#   KAFKA_CFG_<NAME>         any broker setting: KAFKA_CFG_NUM_PARTITIONS=3 is num.partitions=3
# The configuration goes to /tmp: the root filesystem may be read-only.
set -eu

host=$(hostname)
ordinal=${host##*-}
case $ordinal in '' | *[!0-9]*) ordinal=0 ;; esac
node_id=${KAFKA_NODE_ID:-$ordinal}
advertised=${KAFKA_ADVERTISED_HOST:-$(hostname -f 2>/dev/null || echo "$host")}
voters=${KAFKA_CONTROLLER_QUORUM_VOTERS:-$node_id@$advertised:9093}
config=/tmp/server.properties
java_opts="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:-UsePerfData -Djava.awt.headless=true -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties"
heap=${KAFKA_HEAP_OPTS:--XX:InitialRAMPercentage=25 -XX:MaxRAMPercentage=50}

# Single-node defaults; a StatefulSet of three sets the replication factors through KAFKA_CFG_*.
{
  echo "process.roles=broker,controller"
  echo "node.id=$node_id"
  echo "controller.quorum.voters=$voters"
  echo "listeners=PLAINTEXT://:9092,CONTROLLER://:9093"
  echo "advertised.listeners=PLAINTEXT://$advertised:9092"
  echo "controller.listener.names=CONTROLLER"
  echo "inter.broker.listener.name=PLAINTEXT"
  echo "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  echo "log.dirs=$KAFKA_DATA_DIR"
  echo "offsets.topic.replication.factor=1"
  echo "transaction.state.log.replication.factor=1"
  echo "transaction.state.log.min.isr=1"
  echo "share.coordinator.state.topic.replication.factor=1"
  echo "share.coordinator.state.topic.min.isr=1"
  echo "auto.create.topics.enable=false"
  echo "delete.topic.enable=true"
  echo "group.initial.rebalance.delay.ms=0"
  # KAFKA_CFG_LOG_RETENTION_HOURS=24 → log.retention.hours=24; later lines win.
  env | sed -n 's/^KAFKA_CFG_\([A-Z0-9_]*\)=\(.*\)$/\1=\2/p' | while IFS='=' read -r name value; do
    printf '%s=%s\n' "$(printf '%s' "$name" | tr 'A-Z_' 'a-z.')" "$value"
  done
} >"$config"

if [ ! -f "$KAFKA_DATA_DIR/meta.properties" ]; then
  cluster_id=${KAFKA_CLUSTER_ID:-$(java -cp '/opt/kafka/libs/*' -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties kafka.tools.StorageTool random-uuid)}
  java -Xmx256m $java_opts -cp '/opt/kafka/libs/*' kafka.tools.StorageTool format \
    --cluster-id "$cluster_id" --config "$config" --ignore-formatted
fi

# shellcheck disable=SC2086 # the option strings are lists of flags
exec java $heap $java_opts -cp '/opt/kafka/libs/*' kafka.Kafka "$config"
