# Prometheus and promtool, built from Prometheus's Go module (github.com/prometheus/prometheus
# v0.3xx.y is Prometheus 3.xx.y) through the wrapper module local/go/prometheus, whose go.sum pins
# every dependency. Sourced by local/lib/tools.sh; the observability specs start their own
# Prometheus, the Kubernetes node's image packs the same binary.

# The module's tag; Prometheus itself calls this release 3.16.0.
PROMETHEUS_MODULE_VERSION=${PROMETHEUS_MODULE_VERSION:-v0.316.0}

# Only the service discovery the platform uses: Kubernetes pods in the cluster, static and file
# targets locally (remove_all_sd keeps file and http discovery, which are always built in). This
# leaves out the cloud providers' SDKs, about half of a full build's size and time.
PROMETHEUS_BUILD_TAGS=remove_all_sd,enable_kubernetes_sd

# The release number, as `prometheus --version` prints it.
prometheus_release() {
  local minor=${PROMETHEUS_MODULE_VERSION#v0.}
  printf '3.%s.%s' "$((10#${minor%%.*} - 300))" "${minor#*.}"
}

# The tags go on top of whatever GOFLAGS the machine's go sets (its environment or `go env -w`).
prometheus_install() {
  local version_package=github.com/prometheus/common/version flags=""
  command -v go >/dev/null && flags=$(go env GOFLAGS)
  GOFLAGS="${flags:+$flags }-tags=$PROMETHEUS_BUILD_TAGS" go_build "$PROMETHEUS_MODULE_VERSION" prometheus \
    "-s -w -X $version_package.Version=$(prometheus_release) -X $version_package.Revision=$PROMETHEUS_MODULE_VERSION -X $version_package.Branch=HEAD -X $version_package.BuildUser=msa-ecommerce" \
    prometheus=github.com/prometheus/prometheus/cmd/prometheus \
    promtool=github.com/prometheus/prometheus/cmd/promtool
}
