# The KafkaTopic operator as a local background process, beside the servers: sourced by local/up
# after common.sh. It watches namespace msa for KafkaTopics labelled strimzi.io/cluster=msa-kafka
# and reconciles them into the local Kafka, as it does in a cluster.

MSA_OPERATOR_NAMESPACE=${MSA_OPERATOR_NAMESPACE:-msa}
MSA_OPERATOR_CLUSTER=${MSA_OPERATOR_CLUSTER:-msa-kafka}
MSA_OPERATOR_PORT=${MSA_OPERATOR_PORT:-18080}
# Seconds local/up gives the platform's KafkaTopics to become Ready.
MSA_OPERATOR_TOPICS_TIMEOUT=${MSA_OPERATOR_TOPICS_TIMEOUT:-120}

operator_kubectl() { "$MSA_BIN_DIR/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }

operator_port() { echo "$MSA_OPERATOR_PORT"; }

# Builds the operator (and the contracts it renders topics from).
operator_install() {
  (cd "$MSA_ROOT" && npx tsc -b operator) || die "building the operator failed; run: npx tsc -b operator"
}

# Healthy once its KafkaTopic cache has loaded.
operator_check() {
  curl -fsS "http://127.0.0.1:$MSA_OPERATOR_PORT/readyz" >/dev/null
}

# Starts the operator against the local kube-apiserver and Kafka, unless it already runs, and
# waits until it is ready. Its namespace is created first: the operator keeps its Lease there.
operator_start() {
  is_running operator && return 0
  if port_open "$MSA_OPERATOR_PORT"; then
    die "operator: 127.0.0.1:$MSA_OPERATOR_PORT is already in use by another process; stop it, or set MSA_OPERATOR_PORT to a free port"
  fi
  operator_kubectl get namespace "$MSA_OPERATOR_NAMESPACE" >/dev/null 2>&1 ||
    operator_kubectl create namespace "$MSA_OPERATOR_NAMESPACE" >/dev/null ||
    die "operator: creating namespace $MSA_OPERATOR_NAMESPACE failed"
  start_daemon operator env \
    OPERATOR_NAMESPACE="$MSA_OPERATOR_NAMESPACE" \
    OPERATOR_CLUSTER_NAME="$MSA_OPERATOR_CLUSTER" \
    OPERATOR_KAFKA_BOOTSTRAP="127.0.0.1:$MSA_KAFKA_PORT" \
    OPERATOR_HTTP_PORT="$MSA_OPERATOR_PORT" \
    OPERATOR_RESYNC_PERIOD_MS=30000 \
    KUBECONFIG="$KUBECONFIG_PATH" \
    node "$MSA_ROOT/operator/dist/src/main.js"
  wait_healthy operator "$MSA_OPERATOR_PORT" 60 operator_check
}

operator_stop() { stop_daemon operator; }

# Applies one KafkaTopic per entry of the contracts' topic catalog and waits until those are Ready,
# so that the services find their topics (they never create them). Only the topics just applied are
# awaited, by name: a KafkaTopic of someone else's in the namespace (the README invites that) that
# cannot become Ready must not hold the platform up. For each catalog topic that is not Ready in
# time, await-topics prints its condition's reason and message.
operator_apply_platform_topics() {
  say "applying the platform's KafkaTopics"
  local applied ref names=()
  applied=$(node "$MSA_ROOT/operator/dist/src/cli/render-topics.js" \
    --namespace "$MSA_OPERATOR_NAMESPACE" --cluster "$MSA_OPERATOR_CLUSTER" --profile local |
    operator_kubectl apply -o name -f -) || die "operator: applying the platform's KafkaTopics failed"
  # `kubectl apply -o name` prints kind.group/name, one a line.
  for ref in $applied; do names+=("${ref##*/}"); done
  node "$MSA_ROOT/local/dist/src/cli/await-topics.js" --kubeconfig "$KUBECONFIG_PATH" \
    --namespace "$MSA_OPERATOR_NAMESPACE" --timeout-seconds "$MSA_OPERATOR_TOPICS_TIMEOUT" "${names[@]}" ||
    die "operator: the platform's KafkaTopics did not all become Ready (above); see $(log_file operator) and: $MSA_BIN_DIR/kubectl --kubeconfig $KUBECONFIG_PATH get kafkatopics -n $MSA_OPERATOR_NAMESPACE"
}
