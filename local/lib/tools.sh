# What the project needs beside the servers: its Node packages, and the CLIs the tests and
# newcomers use (kubectl comes with the kube-apiserver build).

# npm ci when node_modules is missing or older than the lock file.
node_install() {
  local marker="$MSA_ROOT/node_modules/.package-lock.json"
  if [[ ! -f $marker || $MSA_ROOT/package-lock.json -nt $marker ]]; then
    say "installing Node packages (npm ci)"
    (cd "$MSA_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  fi
}

tools_install() {
  go_build "$HELM_VERSION" helm \
    "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    helm=helm.sh/helm/v4/cmd/helm
}
