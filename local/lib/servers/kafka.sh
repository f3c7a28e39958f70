# Apache Kafka in KRaft mode, one combined broker and controller, run from the broker's jars
# resolved from Maven Central by local/kafka/pom.xml.

KAFKA_JARS="$MSA_CACHE_DIR/kafka-$KAFKA_VERSION/libs"
KAFKA_DIR="$MSA_STATE_DIR/kafka"

kafka_port() { echo "$MSA_KAFKA_PORT"; }

kafka_install() {
  [[ -f $KAFKA_JARS/kafka_2.13-$KAFKA_VERSION.jar ]] && return 0
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  say "resolving Kafka $KAFKA_VERSION and its runtime classpath from Maven Central"
  local tmp="$KAFKA_JARS.tmp"
  rm -rf "$tmp"
  mvn -q -B -Dstyle.color=never -f "$MSA_ROOT/local/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
    -DincludeScope=runtime -DoutputDirectory="$tmp" || die "resolving Kafka's jars with Maven failed"
  mv "$tmp" "$KAFKA_JARS"
}

kafka_configure() {
  mkdir -p "$KAFKA_DIR/data"
  sed -e "s|@KAFKA_PORT@|$MSA_KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$MSA_KAFKA_CONTROLLER_PORT|g" \
    -e "s|@DATA_DIR@|$KAFKA_DIR/data|g" "$MSA_ROOT/local/kafka/server.properties" >"$KAFKA_DIR/server.properties"
  [[ -f $KAFKA_DIR/data/meta.properties ]] && return 0
  local cluster_id
  cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid) || die "kafka: generating a cluster id failed"
  kafka_java kafka.tools.StorageTool format --cluster-id "$cluster_id" \
    --config "$KAFKA_DIR/server.properties" --ignore-formatted >"$MSA_LOG_DIR/kafka-format.log" 2>&1 ||
    die "kafka: formatting storage failed; read $MSA_LOG_DIR/kafka-format.log"
}

kafka_java() {
  java -Xms64m -Xmx256m -cp "$KAFKA_JARS/*" \
    -Dlog4j2.configurationFile="$MSA_ROOT/local/kafka/log4j2-tools.properties" "$@"
}

kafka_start() {
  kafka_configure
  start_daemon kafka java ${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$MSA_ROOT/local/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$MSA_LOG_DIR" -cp "$KAFKA_JARS/*" kafka.Kafka "$KAFKA_DIR/server.properties"
}

# Ready once the broker has logged its start and accepts connections on its listener.
kafka_check() {
  port_open "$MSA_KAFKA_PORT" && grep -q 'Kafka Server started' "$(log_file kafka)"
}

kafka_stop() { stop_daemon kafka 60; }
