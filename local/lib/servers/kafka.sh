# Apache Kafka in KRaft mode, one combined broker and controller, run from the broker's jars
# resolved from Maven Central by local/kafka/pom.xml.

KAFKA_JARS="$MSA_CACHE_DIR/kafka-$KAFKA_VERSION/libs"
KAFKA_DIR="$MSA_STATE_DIR/kafka"

kafka_port() { echo "$MSA_KAFKA_PORT"; }

kafka_install() {
  # The tools' jar too: a classpath cached before the POM named them is resolved again.
  [[ -f $KAFKA_JARS/kafka_2.13-$KAFKA_VERSION.jar && -f $KAFKA_JARS/kafka-tools-$KAFKA_VERSION.jar ]] && return 0
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  say "resolving Kafka $KAFKA_VERSION and its runtime classpath from Maven Central"
  local tmp="$KAFKA_JARS.tmp"
  rm -rf "$tmp"
  mvn -q -B -Dstyle.color=never -f "$MSA_ROOT/local/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
    -DincludeScope=runtime -DoutputDirectory="$tmp" || die "resolving Kafka's jars with Maven failed"
  # Swapped in whole: a broker already running from the old directory keeps the jars it opened,
  # and finds every other one under the same name in the new one, which only adds jars.
  local old="$KAFKA_JARS.old.$$"
  [[ ! -d $KAFKA_JARS ]] || mv "$KAFKA_JARS" "$old"
  mv "$tmp" "$KAFKA_JARS"
  rm -rf "$old"
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

# The broker's class-data-sharing archive: the classes a start loaded, already parsed and verified,
# mapped by the next start instead of read from the jars again (a start after a crash took 11 s on a
# loaded 2-core machine, 7 s with it). It is only valid for the JDK and the jars that made it, so
# both name it; a JVM finding it stale ignores it with a warning and loads the jars as before.
kafka_cds_archive() {
  local key
  # The JDK's own files rather than `java -version`, which would cost a JVM start of its own.
  key=$( (ls -lL --time-style=+%s "$(command -v java)" "$(dirname "$(readlink -f "$(command -v java)")")/../lib/server/libjvm.so" "$KAFKA_JARS") |
    md5sum | cut -c1-12)
  echo "$MSA_CACHE_DIR/kafka-$KAFKA_VERSION/cds-$key.jsa"
}

kafka_cds_options() {
  local archive
  archive=$(kafka_cds_archive)
  # cds=off: a stale archive is ignored, and the dump skips classes, without a page of warnings for each class.
  if [[ -f $archive ]]; then
    echo "-XX:SharedArchiveFile=$archive -Xlog:cds=off"
  elif command -v jcmd >/dev/null; then
    # JDK 17 cannot create the archive on its own at start (-XX:+AutoCreateSharedArchive is 19's):
    # this lets kafka_ready dump it from the running broker with jcmd.
    echo "-XX:+RecordDynamicDumpInfo -Xlog:cds=off"
  fi
}

kafka_start() {
  kafka_configure
  # shellcheck disable=SC2046 # the options are words without spaces
  start_daemon kafka java ${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    $(kafka_cds_options) \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$MSA_ROOT/local/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$MSA_LOG_DIR" -cp "$KAFKA_JARS/*" kafka.Kafka "$KAFKA_DIR/server.properties"
}

# Once a broker started without an archive is serving, dumps the classes it loaded into one, in the
# background (a few seconds of one core), for every later start. Written aside and renamed, so a
# broker killed mid-dump leaves no half archive; the next start without one tries again.
kafka_ready() {
  local archive pid
  archive=$(kafka_cds_archive)
  [[ -f $archive ]] && return 0
  command -v jcmd >/dev/null || return 0
  pid=$(cat "$(pid_file kafka)" 2>/dev/null) || return 0
  setsid nohup bash -c 'jcmd "$1" VM.cds dynamic_dump "$2.$1.tmp" && mv -f "$2.$1.tmp" "$2"; rm -f "$2.$1.tmp"' \
    kafka-cds "$pid" "$archive" >>"$MSA_LOG_DIR/kafka-cds.log" 2>&1 </dev/null &
}

# Ready once the broker has logged its start and accepts connections on its listener.
kafka_check() {
  port_open "$MSA_KAFKA_PORT" && grep -q 'Kafka Server started' "$(log_file kafka)"
}

kafka_stop() { stop_daemon kafka 60; }
