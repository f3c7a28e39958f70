# What the project needs beside the servers: its Node packages, and the CLIs the tests and
# newcomers use (kubectl comes with the kube-apiserver build).

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

tools_install() {
  go_build "$HELM_VERSION" helm \
    "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    helm=helm.sh/helm/v4/cmd/helm
}
