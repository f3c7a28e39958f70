# local/cluster deploy: the platform on the local node, as the cdk8s app's local-node profile renders
# it, from the images local/images builds. Sourced after cluster.sh, never run.

CLUSTER_NAMESPACE=msa
CLUSTER_SECRETS_DIR="$CLUSTER_DIR/secrets"
CLUSTER_VOLUMES_DIR="$CLUSTER_DIR/volumes"
CLUSTER_MANIFESTS="$MSA_ROOT/cdk8s/dist/local-node"

# A random value of hex digits: safe inside a URL without escaping.
random_hex() { openssl rand -hex "${1:-24}"; }

# The node's own signing key and VAPID keys, made once by the CLIs the native platform uses.
cluster_keys() {
  local name
  for name in signing-key vapid-keys; do dev_key_file "$name" "$CLUSTER_SECRETS_DIR/$name.json"; done
}

# cluster_secret NAME KEY=VALUE...: creates Secret NAME in the namespace unless it exists, so the
# passwords stay what the stores were initialised with.
cluster_secret() {
  local name=$1
  shift
  cluster_kubectl -n "$CLUSTER_NAMESPACE" get secret "$name" >/dev/null 2>&1 && return 0
  local args=() pair
  for pair in "$@"; do args+=("--from-literal=$pair"); done
  cluster_kubectl -n "$CLUSTER_NAMESPACE" create secret generic "$name" "${args[@]}" >/dev/null ||
    die "creating the Secret $name failed"
}

# The Secrets the manifests name (msa-<program>-secrets, msa-postgres-credentials), of the variables
# each program's config.ts reads as secrets; random passwords, the node's own keys.
cluster_secrets() {
  cluster_keys
  local password user=msa signing="$CLUSTER_SECRETS_DIR/signing-key.json" vapid="$CLUSTER_SECRETS_DIR/vapid-keys.json"
  if cluster_kubectl -n "$CLUSTER_NAMESPACE" get secret msa-postgres-credentials >/dev/null 2>&1; then
    password=$(cluster_kubectl -n "$CLUSTER_NAMESPACE" get secret msa-postgres-credentials -o jsonpath='{.data.password}' | base64 -d)
  else
    password=$(random_hex)
    cluster_secret msa-postgres-credentials "username=$user" "password=$password"
  fi
  local service public_keys
  public_keys=$(json_field "$signing" publicJwks)
  for service in user product order payment inventory notification; do
    local extra=()
    case $service in
      user) extra=("JWT_PRIVATE_KEY=$(json_field "$signing" privateJwk)") ;;
      notification)
        extra=("SMTP_URL=smtp://msa-mailpit:1025" "SMS_ACCOUNT_ID=AC$(random_hex 16)" "SMS_AUTH_TOKEN=$(random_hex 16)"
          "VAPID_PUBLIC_KEY=$(json_field "$vapid" publicKey)" "VAPID_PRIVATE_KEY=$(json_field "$vapid" privateKey)")
        ;;
    esac
    cluster_secret "msa-$service-secrets" \
      "DATABASE_URL=postgres://$user:$password@msa-postgres:5432/$service" \
      "MONGO_URL=mongodb://msa-mongo:27017/" \
      "REDIS_URL=redis://msa-redis:6379" \
      "JWT_PUBLIC_KEYS=$public_keys" "${extra[@]}"
  done
}

# The directory of every PersistentVolume the manifests bind (hostPath, one per claim), owned by
# the user and group of the StatefulSet's pods that mount it, as the profile's Storage asks.
cluster_volumes() {
  local objects sets path claim set set_user set_group user group
  objects=(create --dry-run=client -f "$CLUSTER_MANIFESTS" -o)
  sets=$(cluster_kubectl "${objects[@]}" go-template='{{if eq .kind "StatefulSet"}}{{with .spec.template.spec.securityContext}}{{$.metadata.name}} {{or .runAsUser 0}} {{or .fsGroup .runAsGroup .runAsUser 0}}{{"\n"}}{{end}}{{end}}') ||
    die "reading the StatefulSets of $CLUSTER_MANIFESTS failed"
  cluster_kubectl "${objects[@]}" go-template='{{if eq .kind "PersistentVolume"}}{{with .spec.hostPath}}{{.path}} {{$.spec.claimRef.name}}{{"\n"}}{{end}}{{end}}' |
    while read -r path claim; do
      user=0 group=0
      while read -r set set_user set_group; do
        [[ -n $set && $claim == data-$set-* ]] && user=$set_user group=$set_group
      done <<<"$sets"
      mkdir -p "$path"
      chown "$user:$group" "$path"
    done
}

# What a failed rollout leaves to read, on stderr: every pod's state, and for each pod not Ready its
# last events and the end of its logs, this run's and the run before a restart. A run with no
# terminal to ask afterwards (CI) has only this.
cluster_rollout_diagnosis() {
  local pod
  {
    cluster_kubectl -n "$CLUSTER_NAMESPACE" get pods -o wide
    for pod in $(cluster_kubectl -n "$CLUSTER_NAMESPACE" get pods \
      -o go-template='{{range .items}}{{range .status.conditions}}{{if and (eq .type "Ready") (ne .status "True")}}{{$.metadata.name}}{{"\n"}}{{end}}{{end}}{{end}}'); do
      printf -- '--- %s: events\n' "$pod"
      cluster_kubectl -n "$CLUSTER_NAMESPACE" describe pod "$pod" | sed -n '/^Events:/,$p' | tail -n 15
      printf -- '--- %s: last log lines\n' "$pod"
      cluster_kubectl -n "$CLUSTER_NAMESPACE" logs "$pod" --all-containers --tail=30 2>&1
      printf -- '--- %s: last log lines before its last restart\n' "$pod"
      cluster_kubectl -n "$CLUSTER_NAMESPACE" logs "$pod" --all-containers --tail=30 --previous 2>&1
    done
  } >&2 || true
}

# Every Deployment and StatefulSet of the namespace rolled out, within SECONDS.
cluster_rollouts() {
  local seconds=$1 workload
  for workload in $(cluster_kubectl -n "$CLUSTER_NAMESPACE" get deployments,statefulsets -o name); do
    if ! cluster_kubectl -n "$CLUSTER_NAMESPACE" rollout status "$workload" --timeout="${seconds}s" >/dev/null; then
      cluster_rollout_diagnosis
      die "$workload did not roll out within ${seconds}s; see: kubectl --kubeconfig ${CLUSTER_KUBECONFIG#"$MSA_ROOT"/} -n $CLUSTER_NAMESPACE describe $workload"
    fi
    say "$workload rolled out"
  done
}

# Polls every CRD until it is Established: `kubectl wait` fails outright on one whose status has no
# conditions yet.
cluster_crds_established() {
  local deadline=$((SECONDS + $1)) crd
  for crd in $(cluster_kubectl get crd -o name); do
    until [[ $(cluster_kubectl get "$crd" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}') == True ]]; do
      ((SECONDS < deadline)) || die "$crd was not established within $1s"
      sleep 0.5
    done
  done
}

cluster_deploy() {
  local began=$SECONDS
  bash "$MSA_ROOT/local/images" build || die "building the images failed"
  bash "$MSA_ROOT/local/images" import "$CONTAINERD_SOCKET" || die "importing the images failed"
  local built=$SECONDS
  say "synthesizing the local-node profile"
  (cd "$MSA_ROOT" && CDK8S_PROFILE=local-node CDK8S_IMAGES="$MSA_STATE_DIR/images/tags.json" \
    CDK8S_VOLUMES_DIR="$CLUSTER_VOLUMES_DIR" npm run --silent synth -w cdk8s) >"$MSA_LOG_DIR/cluster-deploy.log" 2>&1 ||
    die "synthesizing the local-node profile failed; read $MSA_LOG_DIR/cluster-deploy.log"
  # The Strimzi CRDs, for the KafkaTopics the operator reconciles (Kafka itself runs as a StatefulSet here).
  local crd_dir
  crd_dir=$(cd "$MSA_ROOT" && cd "$MSA_STRIMZI_CRD_DIR" && pwd) || die "Strimzi CRDs not found at $MSA_STRIMZI_CRD_DIR"
  cluster_kubectl apply --server-side --force-conflicts -f "$crd_dir" >>"$MSA_LOG_DIR/cluster-deploy.log" 2>&1 ||
    die "installing the Strimzi CRDs failed; read $MSA_LOG_DIR/cluster-deploy.log"
  cluster_crds_established 60
  cluster_kubectl get namespace "$CLUSTER_NAMESPACE" >/dev/null 2>&1 ||
    cluster_kubectl create namespace "$CLUSTER_NAMESPACE" >/dev/null
  cluster_secrets
  cluster_volumes
  cluster_kubectl apply --server-side --force-conflicts -f "$CLUSTER_MANIFESTS" >>"$MSA_LOG_DIR/cluster-deploy.log" 2>&1 ||
    die "applying $CLUSTER_MANIFESTS failed; read $MSA_LOG_DIR/cluster-deploy.log"
  local applied=$SECONDS
  cluster_rollouts 600
  say "deployed: images in $((built - began))s, applied in $((applied - built))s, rolled out in $((SECONDS - applied))s"
}
