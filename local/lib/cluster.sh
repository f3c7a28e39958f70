# The local Kubernetes node of local/cluster: its own etcd and kube-apiserver, containerd with runc,
# the kubelet, kube-controller-manager, kube-scheduler and kube-proxy, all on ports and paths of their
# own beside the native platform of local/up. Sourced after common.sh and servers.sh, never run.

CLUSTER_DIR="$MSA_STATE_DIR/cluster"
CLUSTER_PKI="$CLUSTER_DIR/pki"
CLUSTER_KUBECONFIG="$CLUSTER_DIR/kubeconfig"
CONTAINERD_SOCKET="$CLUSTER_DIR/containerd/containerd.sock"
KUBELET_ROOT="$CLUSTER_DIR/kubelet"
CLUSTER_TEMPLATES="$MSA_ROOT/local/node"
COREDNS_IMAGE="localhost/msa/coredns:$COREDNS_VERSION"

# Start order; down goes the other way.
CLUSTER_COMPONENTS=(etcd kube-apiserver containerd kube-controller-manager kube-scheduler kubelet kube-proxy)

cluster_kubectl() { "$MSA_BIN_DIR/kubectl" --kubeconfig "$CLUSTER_KUBECONFIG" "$@"; }
cluster_ctr() { /usr/bin/ctr --address "$CONTAINERD_SOCKET" -n k8s.io "$@"; }

# The address pods reach the API server at: the one the default route leaves from, unless set.
cluster_node_ip() {
  [[ -n ${MSA_CLUSTER_NODE_IP:-} ]] && { echo "$MSA_CLUSTER_NODE_IP"; return; }
  ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -n1
}

# render TEMPLATE OUTPUT: copies local/node/TEMPLATE to OUTPUT with every @NAME@ replaced by the
# value of the shell variable NAME; a name without a value stops the run. OUTPUT is left untouched
# when its content would not change: kube-proxy exits when its configuration file is written.
render() {
  local text key
  text=$(<"$CLUSTER_TEMPLATES/$1")
  for key in $(grep -o '@[A-Z0-9_]*@' "$CLUSTER_TEMPLATES/$1" | tr -d @ | sort -u); do
    [[ -n ${!key:-} ]] || die "rendering $1: no value for $key"
    text=${text//@$key@/${!key}}
  done
  [[ -f $2 && $(<"$2") == "$text" ]] || printf '%s\n' "$text" >"$2"
}

# Debian's packages the node runs on, pinned; installed only when a program is missing.
cluster_packages_install() {
  local missing=()
  [[ -x /usr/bin/containerd && -x /usr/bin/ctr ]] || missing+=("containerd=$CONTAINERD_DEBIAN_VERSION")
  [[ -x /usr/sbin/runc ]] || missing+=("runc=$RUNC_DEBIAN_VERSION")
  [[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local ]] ||
    missing+=("containernetworking-plugins=$CNI_PLUGINS_DEBIAN_VERSION")
  [[ -x /usr/sbin/iptables ]] || missing+=("iptables=$IPTABLES_DEBIAN_VERSION")
  [[ -x /usr/sbin/conntrack ]] || missing+=("conntrack=$CONNTRACK_DEBIAN_VERSION")
  [[ -x /usr/bin/buildah ]] || missing+=("buildah=$BUILDAH_DEBIAN_VERSION")
  ((${#missing[@]} == 0)) && return 0
  say "installing ${missing[*]} from Debian's packages"
  # RUNLEVEL=1 keeps containerd's package from starting a machine-wide containerd.
  RUNLEVEL=1 apt_install "${missing[@]}"
}

# The node's programs, cached per version as the API server is; CGO off, so each is static.
cluster_binaries_install() {
  etcd_install
  kube_apiserver_install
  local minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  CGO_ENABLED=0 go_build "$KUBERNETES_VERSION" kube \
    "-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean" \
    kube-proxy=k8s.io/kubernetes/cmd/kube-proxy kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler \
    kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager kubelet=k8s.io/kubernetes/cmd/kubelet
  CGO_ENABLED=0 go_build "$COREDNS_VERSION" coredns "-s -w" coredns=github.com/coredns/coredns
  CGO_ENABLED=0 go_build "$(cluster_pause_version)" pause "-s -w" pause=msa-ecommerce/local/pause
}

# The pause program's version is its sources' digest: it has no release of its own.
cluster_pause_version() {
  cat "$MSA_ROOT/local/go/pause/go.mod" "$MSA_ROOT/local/go/pause/main.go" | sha256sum | cut -c1-12
}

# cluster_cert NAME SUBJECT EXTENSIONS: a key and a certificate signed by the node's CA.
cluster_cert() {
  local name=$1 subject=$2 extensions=$3
  openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null &&
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" \
      -days 3650 -extfile <(printf '%s\n' "$extensions") 2>/dev/null &&
    rm -f "$name.csr"
}

# The node's CA and a certificate for each component, in the groups the API server's bootstrap RBAC
# binds (system:masters for the admin and the API server's kubelet client, system:nodes for the
# kubelet, the system users of the controller-manager, scheduler and kube-proxy); made once.
cluster_pki() {
  local node_ip=$1
  [[ -f $CLUSTER_PKI/.complete && $(cat "$CLUSTER_PKI/.complete") == "$node_ip" ]] && return 0
  rm -rf "$CLUSTER_PKI"
  mkdir -p "$CLUSTER_PKI"
  (
    cd "$CLUSTER_PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=msa-node-ca" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    cluster_cert apiserver "/CN=kube-apiserver" "$(printf '%s\n' \
      "subjectAltName=IP:$node_ip,IP:127.0.0.1,IP:$MSA_CLUSTER_API_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      "extendedKeyUsage=serverAuth")"
    cluster_cert kubelet-serving "/CN=$MSA_CLUSTER_NODE_NAME" "$(printf '%s\n' \
      "subjectAltName=IP:$node_ip,DNS:$MSA_CLUSTER_NODE_NAME" "extendedKeyUsage=serverAuth")"
    local client="extendedKeyUsage=clientAuth"
    cluster_cert admin "/O=system:masters/CN=msa-node-admin" "$client"
    cluster_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"
    cluster_cert kubelet "/O=system:nodes/CN=system:node:$MSA_CLUSTER_NODE_NAME" "$client"
    cluster_cert kube-controller-manager "/CN=system:kube-controller-manager" "$client"
    cluster_cert kube-scheduler "/CN=system:kube-scheduler" "$client"
    cluster_cert kube-proxy "/CN=system:kube-proxy" "$client"
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ca.srl
    chmod 600 ./*.key
    echo "$node_ip" >.complete
  ) || die "making the node's certificates in $CLUSTER_PKI failed"
}

# Every file the components read, written fresh on each up from local/node/ (the PKI stays).
cluster_configure() {
  NODE_IP=$(cluster_node_ip)
  [[ -n $NODE_IP ]] || die "no IPv4 address to run the node on; set MSA_CLUSTER_NODE_IP"
  mkdir -p "$CLUSTER_DIR"/{etcd,containerd,cni/net.d,cni/ipam,pod-logs,kubeconfigs} "$KUBELET_ROOT"
  cluster_pki "$NODE_IP"
  local server="https://$NODE_IP:$MSA_CLUSTER_KUBE_PORT" user
  write_kubeconfig "$CLUSTER_KUBECONFIG" "$server" "$CLUSTER_PKI" admin msa-node
  for user in kubelet kube-controller-manager kube-scheduler kube-proxy; do
    write_kubeconfig "$CLUSTER_DIR/kubeconfigs/$user.kubeconfig" "$server" "$CLUSTER_PKI" "$user" msa-node
  done
  PAUSE_IMAGE="localhost/msa/pause:$(cluster_pause_version)"
  export NODE_IP PAUSE_IMAGE
  render containerd.toml "$CLUSTER_DIR/containerd/config.toml"
  render cni.conflist "$CLUSTER_DIR/cni/net.d/10-msa-node.conflist"
  render kubelet.yaml "$CLUSTER_DIR/kubelet.yaml"
  render kube-proxy.yaml "$CLUSTER_DIR/kube-proxy.yaml"
}

cluster_start() {
  local component=$1 bin=$MSA_BIN_DIR kubeconfigs=$CLUSTER_DIR/kubeconfigs
  case $component in
    etcd)
      start_daemon cluster-etcd "$bin/etcd" --name=msa-node \
        --data-dir="$CLUSTER_DIR/etcd/data" \
        --listen-client-urls="http://127.0.0.1:$MSA_CLUSTER_ETCD_PORT" \
        --advertise-client-urls="http://127.0.0.1:$MSA_CLUSTER_ETCD_PORT" \
        --listen-peer-urls="http://127.0.0.1:$MSA_CLUSTER_ETCD_PEER_PORT" \
        --initial-advertise-peer-urls="http://127.0.0.1:$MSA_CLUSTER_ETCD_PEER_PORT" \
        --initial-cluster="msa-node=http://127.0.0.1:$MSA_CLUSTER_ETCD_PEER_PORT" \
        --unsafe-no-fsync --log-level=warn
      ;;
    kube-apiserver)
      start_daemon cluster-kube-apiserver "$bin/kube-apiserver" \
        --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port="$MSA_CLUSTER_KUBE_PORT" \
        --etcd-servers="http://127.0.0.1:$MSA_CLUSTER_ETCD_PORT" \
        --tls-cert-file="$CLUSTER_PKI/apiserver.crt" --tls-private-key-file="$CLUSTER_PKI/apiserver.key" \
        --client-ca-file="$CLUSTER_PKI/ca.crt" \
        --kubelet-client-certificate="$CLUSTER_PKI/apiserver-kubelet-client.crt" \
        --kubelet-client-key="$CLUSTER_PKI/apiserver-kubelet-client.key" \
        --kubelet-preferred-address-types=InternalIP \
        --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
        --service-account-issuer=https://kubernetes.default.svc.cluster.local \
        --service-account-key-file="$CLUSTER_PKI/sa.pub" \
        --service-account-signing-key-file="$CLUSTER_PKI/sa.key" \
        --service-cluster-ip-range="$MSA_CLUSTER_SERVICE_CIDR" \
        --allow-privileged=true --profiling=false \
        --cert-dir="$CLUSTER_DIR/apiserver-certs" --v=0
      ;;
    containerd)
      start_daemon cluster-containerd /usr/bin/containerd --config "$CLUSTER_DIR/containerd/config.toml"
      ;;
    kube-controller-manager)
      start_daemon cluster-kube-controller-manager "$bin/kube-controller-manager" \
        --kubeconfig="$kubeconfigs/kube-controller-manager.kubeconfig" \
        --authentication-kubeconfig="$kubeconfigs/kube-controller-manager.kubeconfig" \
        --authorization-kubeconfig="$kubeconfigs/kube-controller-manager.kubeconfig" \
        --bind-address=127.0.0.1 --secure-port="$MSA_CLUSTER_CONTROLLER_MANAGER_PORT" \
        --cert-dir="$CLUSTER_DIR/controller-manager-certs" \
        --flex-volume-plugin-dir="$CLUSTER_DIR/kubelet-plugins" \
        --service-account-private-key-file="$CLUSTER_PKI/sa.key" --root-ca-file="$CLUSTER_PKI/ca.crt" \
        --cluster-signing-cert-file="$CLUSTER_PKI/ca.crt" --cluster-signing-key-file="$CLUSTER_PKI/ca.key" \
        --use-service-account-credentials=true --leader-elect=false \
        --allocate-node-cidrs=false --cluster-cidr="$MSA_CLUSTER_POD_CIDR" \
        --service-cluster-ip-range="$MSA_CLUSTER_SERVICE_CIDR" --profiling=false
      ;;
    kube-scheduler)
      start_daemon cluster-kube-scheduler "$bin/kube-scheduler" \
        --kubeconfig="$kubeconfigs/kube-scheduler.kubeconfig" \
        --authentication-kubeconfig="$kubeconfigs/kube-scheduler.kubeconfig" \
        --authorization-kubeconfig="$kubeconfigs/kube-scheduler.kubeconfig" \
        --bind-address=127.0.0.1 --secure-port="$MSA_CLUSTER_SCHEDULER_PORT" \
        --cert-dir="$CLUSTER_DIR/scheduler-certs" --leader-elect=false --profiling=false
      ;;
    kubelet)
      start_daemon cluster-kubelet "$bin/kubelet" \
        --config="$CLUSTER_DIR/kubelet.yaml" --kubeconfig="$kubeconfigs/kubelet.kubeconfig" \
        --root-dir="$KUBELET_ROOT" --hostname-override="$MSA_CLUSTER_NODE_NAME" --node-ip="$NODE_IP" \
        --cert-dir="$KUBELET_ROOT/pki" --v=1
      ;;
    kube-proxy)
      start_daemon cluster-kube-proxy "$bin/kube-proxy" --config="$CLUSTER_DIR/kube-proxy.yaml"
      ;;
    *) die "no node component $component" ;;
  esac
}

# True when component $1 answers its health check.
cluster_check() {
  local tls=(--cacert "$CLUSTER_PKI/ca.crt" --cert "$CLUSTER_PKI/admin.crt" --key "$CLUSTER_PKI/admin.key")
  case $1 in
    etcd) curl -fsS "http://127.0.0.1:$MSA_CLUSTER_ETCD_PORT/health" | grep -q '"health":"true"' ;;
    kube-apiserver) curl -fsS "${tls[@]}" "https://$NODE_IP:$MSA_CLUSTER_KUBE_PORT/readyz" | grep -qx ok ;;
    containerd) cluster_ctr version ;;
    kube-controller-manager) curl -fsSk "https://127.0.0.1:$MSA_CLUSTER_CONTROLLER_MANAGER_PORT/healthz" | grep -qx ok ;;
    kube-scheduler) curl -fsSk "https://127.0.0.1:$MSA_CLUSTER_SCHEDULER_PORT/healthz" | grep -qx ok ;;
    kubelet) curl -fsS "http://127.0.0.1:$MSA_CLUSTER_KUBELET_HEALTHZ_PORT/healthz" | grep -qx ok ;;
    kube-proxy) curl -fsS "http://127.0.0.1:$MSA_CLUSTER_PROXY_HEALTHZ_PORT/livez" | grep -q '"healthy":true' ;;
  esac
}

cluster_port() {
  case $1 in
    etcd) echo "$MSA_CLUSTER_ETCD_PORT" ;;
    kube-apiserver) echo "$MSA_CLUSTER_KUBE_PORT" ;;
    containerd) echo 0 ;;
    kube-controller-manager) echo "$MSA_CLUSTER_CONTROLLER_MANAGER_PORT" ;;
    kube-scheduler) echo "$MSA_CLUSTER_SCHEDULER_PORT" ;;
    kubelet) echo "$MSA_CLUSTER_KUBELET_HEALTHZ_PORT" ;;
    kube-proxy) echo "$MSA_CLUSTER_PROXY_HEALTHZ_PORT" ;;
  esac
}

# Starts component $1 unless it runs, and waits until it is healthy.
cluster_launch() {
  local component=$1 began=$SECONDS
  if ! is_running "cluster-$component"; then
    cluster_start "$component"
  fi
  wait_healthy "cluster-$component" "$(cluster_port "$component")" 120 cluster_check "$component"
  say "$component healthy ($((SECONDS - began))s)"
}
