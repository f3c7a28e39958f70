# kube-apiserver, built from its Go module, run as controller-runtime's envtest runs it: etcd behind
# it, a self-signed serving certificate, an admin client certificate in system:masters, RBAC on, a
# kubeconfig at .local/kubeconfig, and the Strimzi CRDs installed.

KUBE_DIR="$MSA_STATE_DIR/kube"
KUBE_PKI="$KUBE_DIR/pki"

kube_apiserver_port() { echo "$MSA_KUBE_PORT"; }

kube_apiserver_install() {
  local minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  go_build "$KUBERNETES_VERSION" kube \
    "-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean" \
    kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver kubectl=k8s.io/kubernetes/cmd/kubectl
}

# A CA, the serving certificate for 127.0.0.1, the admin client certificate and the service-account
# signing key, made once per state dir.
kube_apiserver_pki() {
  [[ -f $KUBE_PKI/admin.crt ]] && return 0
  mkdir -p "$KUBE_PKI"
  (
    cd "$KUBE_PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=msa-local-ca" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj "/CN=kube-apiserver" 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt \
      -days 3650 -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n') 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr \
      -subj "/O=system:masters/CN=msa-admin" 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt \
      -days 3650 -extfile <(printf 'extendedKeyUsage=clientAuth\n') 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ca.srl
  ) || die "kube-apiserver: making certificates in $KUBE_PKI failed"
  kube_apiserver_kubeconfig
}

kube_apiserver_kubeconfig() {
  write_kubeconfig "$KUBECONFIG_PATH" "https://127.0.0.1:$MSA_KUBE_PORT" "$KUBE_PKI" admin msa-local msa
}

kube_apiserver_start() {
  kube_apiserver_pki
  kube_apiserver_kubeconfig
  start_daemon kube-apiserver "$MSA_BIN_DIR/kube-apiserver" \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --secure-port="$MSA_KUBE_PORT" \
    --etcd-servers="http://127.0.0.1:$MSA_ETCD_PORT" \
    --tls-cert-file="$KUBE_PKI/apiserver.crt" \
    --tls-private-key-file="$KUBE_PKI/apiserver.key" \
    --client-ca-file="$KUBE_PKI/ca.crt" \
    --authorization-mode=RBAC \
    --service-account-issuer="https://127.0.0.1:$MSA_KUBE_PORT" \
    --service-account-key-file="$KUBE_PKI/sa.pub" \
    --service-account-signing-key-file="$KUBE_PKI/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 \
    --allow-privileged=true \
    --disable-admission-plugins=ServiceAccount \
    --cert-dir="$KUBE_DIR/certs" \
    --v=0
}

kube_apiserver_check() {
  curl -fsS --cacert "$KUBE_PKI/ca.crt" --cert "$KUBE_PKI/admin.crt" --key "$KUBE_PKI/admin.key" \
    "https://127.0.0.1:$MSA_KUBE_PORT/readyz" | grep -qx ok
}

# The Strimzi CRDs from ../shared/strimzi, and the namespace the platform's resources live in.
kube_apiserver_ready() {
  local crd_dir
  crd_dir=$(cd "$MSA_ROOT" && cd "$MSA_STRIMZI_CRD_DIR" 2>/dev/null && pwd) ||
    die "Strimzi CRDs not found at $MSA_STRIMZI_CRD_DIR (relative to the repository root)"
  local kubectl=("$MSA_BIN_DIR/kubectl" --kubeconfig "$KUBECONFIG_PATH")
  "${kubectl[@]}" apply --server-side --force-conflicts -f "$crd_dir" >"$MSA_LOG_DIR/crds.log" 2>&1 ||
    die "installing the Strimzi CRDs failed; read $MSA_LOG_DIR/crds.log"
  # `kubectl wait` fails outright on a CRD whose status has no conditions yet, so poll instead.
  local crd deadline=$((SECONDS + 60))
  for crd in kafkas kafkatopics kafkausers kafkanodepools; do
    until [[ $("${kubectl[@]}" get crd "$crd.kafka.strimzi.io" \
      -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>>"$MSA_LOG_DIR/crds.log") == True ]]; do
      ((SECONDS < deadline)) || die "the Strimzi CRD $crd did not become established; read $MSA_LOG_DIR/crds.log"
      sleep 0.2
    done
  done
  "${kubectl[@]}" get namespace msa >/dev/null 2>&1 ||
    "${kubectl[@]}" create namespace msa >/dev/null
}

kube_apiserver_stop() { stop_daemon kube-apiserver; }
