# etcd, built from its Go module, as the storage of the local kube-apiserver.

ETCD_DIR="$MSA_STATE_DIR/etcd"

etcd_port() { echo "$MSA_ETCD_PORT"; }

etcd_install() {
  go_build "$ETCD_VERSION" etcd "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" \
    etcd=go.etcd.io/etcd/server/v3
}

etcd_start() {
  mkdir -p "$ETCD_DIR"
  # As envtest runs it: a throwaway single member, no fsync (test data, faster on slow disks).
  start_daemon etcd "$MSA_BIN_DIR/etcd" \
    --name=msa-local \
    --data-dir="$ETCD_DIR/data" \
    --listen-client-urls="http://127.0.0.1:$MSA_ETCD_PORT" \
    --advertise-client-urls="http://127.0.0.1:$MSA_ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$MSA_ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$MSA_ETCD_PEER_PORT" \
    --initial-cluster="msa-local=http://127.0.0.1:$MSA_ETCD_PEER_PORT" \
    --unsafe-no-fsync \
    --log-level=warn
}

etcd_check() { curl -fsS "http://127.0.0.1:$MSA_ETCD_PORT/health" | grep -q '"health":"true"'; }

etcd_stop() { stop_daemon etcd; }
