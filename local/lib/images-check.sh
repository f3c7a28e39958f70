# `local/images check`: runs the built images with podman as the cluster would (runc, the node's
# ulimits, a read-only root filesystem, host network on ports of their own; data in volumes, and a
# tmpfs on /tmp only for the servers whose images say they write there) and checks
# each: the servers answer their clients, the operator provisions the catalog's topics into the
# Kafka container, every program turns ready against the server containers and exits 0 in time on
# SIGTERM. Nothing of the native platform is touched but the kube-apiserver, where the operator
# works in a namespace of its own. Sourced by local/images after images.sh.

CHECK_PREFIX=msa-image-check
CHECK_NAMESPACE=msa-image-check
CHECK_CLUSTER=msa-image-check
# Ports clear of the native platform's: its own plus 10000 (servers) or 20000 (programs).
CHECK_POSTGRES_PORT=25432 CHECK_REDIS_PORT=26379 CHECK_MONGO_PORT=37027 CHECK_FERRETDB_DEBUG_PORT=38088
CHECK_KAFKA_PORT=29092 CHECK_KAFKA_CONTROLLER_PORT=29093 CHECK_SMTP_PORT=21025 CHECK_MAILPIT_HTTP_PORT=28025
# Seconds a program gets to stop after SIGTERM before podman kills it.
CHECK_STOP_SECONDS=30

image_reference() {
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]]; if (r) process.stdout.write(r)' \
    "$IMAGES_TAGS_FILE" "$1"
}

# check_run NAME IMAGE-NAME PODMAN-ARGS... -- ARGS...: starts the image detached, as the node runs it.
check_run() {
  local name=$1 reference
  reference=$(image_reference "$2") || true
  [[ -n $reference ]] || die "$2 is not built; run: local/images build $2"
  shift 2
  local options=()
  while (($#)) && [[ $1 != -- ]]; do options+=("$1") && shift; done
  (($#)) && shift
  podman rm -f "$CHECK_PREFIX-$name" >/dev/null 2>&1 || true
  podman run -d --name "$CHECK_PREFIX-$name" --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
    --read-only --read-only-tmpfs=false --network host "${options[@]}" "$reference" "$@" >>"$IMAGES_LOG" 2>&1 ||
    die "$name: podman run failed; read $IMAGES_LOG"
}

# check_wait NAME SECONDS COMMAND...: polls COMMAND until it succeeds, or shows the container's log.
check_wait() {
  local name=$1 seconds=$2 began=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - began >= seconds)) || [[ $(podman inspect -f '{{.State.Running}}' "$CHECK_PREFIX-$name" 2>/dev/null) != true ]]; then
      podman logs --tail 20 "$CHECK_PREFIX-$name" >&2 || true
      die "$name: not ready after $((SECONDS - began))s (its log above)"
    fi
    sleep 0.5
  done
  say "$name: ready in $((SECONDS - began))s"
}

# check_stop NAME [CLEAN-CODE]: SIGTERM (podman stop), then the exit code and the time it took.
# The JVM ends 143 (128 + SIGTERM) once its shutdown hooks, the broker's clean shutdown, have run.
check_stop() {
  local name=$1 clean=${2:-0} began code
  began=$(date +%s%N)
  podman stop -t "$CHECK_STOP_SECONDS" "$CHECK_PREFIX-$name" >/dev/null
  code=$(podman inspect -f '{{.State.ExitCode}}' "$CHECK_PREFIX-$name")
  say "$name: exited $code $((($(date +%s%N) - began) / 1000000)) ms after SIGTERM"
  [[ $code == "$clean" ]] || die "$name: exited $code on SIGTERM"
}

check_memory() { podman stats --no-stream --format '{{.MemUsage}}' "$CHECK_PREFIX-$1" 2>/dev/null | cut -d/ -f1; }

check_servers() {
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+')
  printf '%s' "$password" >"$IMAGES_DIR/build/check-password"
  check_run postgres postgres -e POSTGRES_USER=msa -e "POSTGRES_PASSWORD=$password" \
    -e "POSTGRES_DB=ferretdb ${IMAGE_PROGRAMS[*]}" -v "$CHECK_PREFIX-postgres:/var/lib/postgresql/data" -- \
    -c port="$CHECK_POSTGRES_PORT"
  check_wait postgres 60 env PGPASSWORD="$password" "$PG_BIN/psql" -h 127.0.0.1 -p "$CHECK_POSTGRES_PORT" -U msa \
    -d order -tAc 'select 1'
  check_run redis redis -v "$CHECK_PREFIX-redis:/data" -- --port "$CHECK_REDIS_PORT"
  check_wait redis 30 sh -c "[ \"\$(/usr/bin/redis-cli -p $CHECK_REDIS_PORT ping)\" = PONG ]"
  check_run kafka kafka --tmpfs /tmp -v "$CHECK_PREFIX-kafka:/var/lib/kafka/data" \
    -e KAFKA_HEAP_OPTS='-Xms256m -Xmx512m' -e KAFKA_ADVERTISED_HOST=127.0.0.1 \
    -e "KAFKA_CONTROLLER_QUORUM_VOTERS=0@127.0.0.1:$CHECK_KAFKA_CONTROLLER_PORT" \
    -e "KAFKA_CFG_LISTENERS=PLAINTEXT://127.0.0.1:$CHECK_KAFKA_PORT,CONTROLLER://127.0.0.1:$CHECK_KAFKA_CONTROLLER_PORT" \
    -e "KAFKA_CFG_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:$CHECK_KAFKA_PORT" --
  check_wait kafka 120 sh -c "podman logs $CHECK_PREFIX-kafka 2>&1 | grep -q 'Kafka Server started'"
  check_run ferretdb ferretdb --tmpfs /tmp -e "FERRETDB_LISTEN_ADDR=127.0.0.1:$CHECK_MONGO_PORT" \
    -e "FERRETDB_DEBUG_ADDR=127.0.0.1:$CHECK_FERRETDB_DEBUG_PORT" \
    -e "FERRETDB_POSTGRESQL_URL=postgres://msa:$password@127.0.0.1:$CHECK_POSTGRES_PORT/ferretdb" --
  check_wait ferretdb 60 curl -fsS "http://127.0.0.1:$CHECK_FERRETDB_DEBUG_PORT/debug/readyz"
  check_run mailpit mailpit --tmpfs /tmp -e "MP_SMTP_BIND_ADDR=127.0.0.1:$CHECK_SMTP_PORT" \
    -e "MP_UI_BIND_ADDR=127.0.0.1:$CHECK_MAILPIT_HTTP_PORT" --
  check_wait mailpit 30 curl -fsS "http://127.0.0.1:$CHECK_MAILPIT_HTTP_PORT/api/v1/info"
}

# The operator container reconciles the catalog's KafkaTopics, applied to a namespace of its own in
# the local kube-apiserver, into the Kafka container, as in the cluster.
check_operator() {
  local kubectl=("$MSA_BIN_DIR/kubectl" --kubeconfig "$KUBECONFIG_PATH")
  "${kubectl[@]}" get namespace "$CHECK_NAMESPACE" >/dev/null 2>&1 ||
    "${kubectl[@]}" create namespace "$CHECK_NAMESPACE" >/dev/null
  check_run operator operator -v "$KUBECONFIG_PATH:/etc/msa/kubeconfig:ro" -e KUBECONFIG=/etc/msa/kubeconfig \
    -e "OPERATOR_NAMESPACE=$CHECK_NAMESPACE" -e "OPERATOR_CLUSTER_NAME=$CHECK_CLUSTER" \
    -e "OPERATOR_KAFKA_BOOTSTRAP=127.0.0.1:$CHECK_KAFKA_PORT" -e "OPERATOR_HTTP_PORT=$((MSA_OPERATOR_PORT + 10000))" \
    -e OPERATOR_LEASE_NAME=msa-image-check-operator --
  check_wait operator 60 curl -fsS "http://127.0.0.1:$((MSA_OPERATOR_PORT + 10000))/readyz"
  local applied ref names=()
  applied=$(node "$MSA_ROOT/operator/dist/src/cli/render-topics.js" --namespace "$CHECK_NAMESPACE" \
    --cluster "$CHECK_CLUSTER" --profile local | "${kubectl[@]}" apply -o name -f -) ||
    die "operator: applying the catalog's KafkaTopics failed"
  for ref in $applied; do names+=("${ref##*/}"); done
  node "$MSA_ROOT/local/dist/src/cli/await-topics.js" --kubeconfig "$KUBECONFIG_PATH" --namespace "$CHECK_NAMESPACE" \
    --timeout-seconds 120 "${names[@]}" || die "operator: the KafkaTopics did not become Ready"
  say "operator: ${#names[@]} KafkaTopics Ready in the Kafka container"
}

# The variables local/lib/services.sh gives a service, pointed at the server containers.
check_program() {
  local name=$1 port=$((${IMAGE_PORTS[$1]} + 20000)) password extra=()
  password=$(cat "$IMAGES_DIR/build/check-password")
  mapfile -t extra < <(service_extra_env "$name" | sed \
    -e "s|127.0.0.1:$MSA_MAILPIT_SMTP_PORT|127.0.0.1:$CHECK_SMTP_PORT|" -e 's/^/-e\n/')
  check_run "$name" "$name" -e "PORT=$port" \
    -e "DATABASE_URL=postgres://msa:$password@127.0.0.1:$CHECK_POSTGRES_PORT/$name" \
    -e "KAFKA_BROKERS=127.0.0.1:$CHECK_KAFKA_PORT" -e "MONGO_URL=mongodb://127.0.0.1:$CHECK_MONGO_PORT/" \
    -e "MONGO_DATABASE=$name" -e "REDIS_URL=redis://127.0.0.1:$CHECK_REDIS_PORT" \
    -e "JWT_PUBLIC_KEYS=$(signing_key_part publicJwks)" -e JWT_ISSUER=msa-ecommerce -e JWT_AUDIENCE=msa-ecommerce \
    "${extra[@]}" --
  check_wait "$name" 90 curl -fsS "http://127.0.0.1:$port/health/ready"
  say "$name: $(check_memory "$name") in use"
}

check_cleanup() {
  local name
  for name in $(podman ps -a --format '{{.Names}}' | grep "^$CHECK_PREFIX-" || true); do
    podman rm -f "$name" >/dev/null 2>&1 || true
  done
  for name in postgres redis kafka; do podman volume rm -f "$CHECK_PREFIX-$name" >/dev/null 2>&1 || true; done
  "$MSA_BIN_DIR/kubectl" --kubeconfig "$KUBECONFIG_PATH" delete namespace "$CHECK_NAMESPACE" --wait=false \
    >/dev/null 2>&1 || true
}

images_check() {
  services_signing_key
  services_vapid_keys
  check_cleanup
  trap check_cleanup EXIT
  check_servers
  check_operator
  local name
  for name in "${IMAGE_PROGRAMS[@]}"; do [[ $name == operator ]] || check_program "$name"; done
  for name in "${IMAGE_PROGRAMS[@]}"; do check_stop "$name"; done
  for name in mailpit ferretdb kafka redis postgres; do
    say "$name: $(check_memory "$name") in use"
    if [[ $name == kafka ]]; then check_stop "$name" 143; else check_stop "$name"; fi
  done
}
