# Shared by local/up, local/down, local/status and local/test: configuration, logging, and the
# life cycle of one background server (pid file, health wait, stop). Sourced, never run.

MSA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export MSA_ROOT

# Values from local/config.env, unless the environment already sets them.
while IFS='=' read -r key value; do
  [[ $key =~ ^[A-Z0-9_]+$ ]] || continue
  if [[ -z ${!key:-} ]]; then
    value=${value//'${HOME}'/$HOME}
    printf -v "$key" '%s' "$value"
  fi
  export "${key?}"
done <"$MSA_ROOT/local/config.env"

for key in $(compgen -v MSA_ | grep '_PORT$'); do
  value=${!key}
  if ! [[ $value =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
    printf 'error: %s must be a TCP port (1-65535), got "%s"\n' "$key" "$value" >&2
    exit 1
  fi
done

case $MSA_STATE_DIR in /*) ;; *) MSA_STATE_DIR="$MSA_ROOT/$MSA_STATE_DIR" ;; esac
export MSA_STATE_DIR
# Built binaries and jars are cached per version for every checkout on the machine; .local/bin holds
# this checkout's links to the versions it pins, under their plain names (kubectl, helm, ...).
export MSA_CACHE_BIN_DIR="$MSA_CACHE_DIR/bin"
export MSA_BIN_DIR="$MSA_STATE_DIR/bin"
export MSA_RUN_DIR="$MSA_STATE_DIR/run"
export MSA_LOG_DIR="$MSA_STATE_DIR/logs"
export KUBECONFIG_PATH="$MSA_STATE_DIR/kubeconfig"
mkdir -p "$MSA_CACHE_BIN_DIR" "$MSA_BIN_DIR" "$MSA_RUN_DIR" "$MSA_LOG_DIR"

# The pinned Node.js, once installed (local/lib/tools.sh), goes first on PATH: every node, npm, npx
# and node_modules/.bin program these scripts start then runs on it, since npm, npx and those
# programs are `#!/usr/bin/env node` scripts. A machine whose own node is that version needs none.
export MSA_NODE_DIR="$MSA_CACHE_DIR/node/$NODEJS_VERSION"
use_pinned_node() {
  [[ -x $MSA_NODE_DIR/bin/node ]] || return 0
  [[ :$PATH: == *":$MSA_NODE_DIR/bin:"* ]] || PATH="$MSA_NODE_DIR/bin:$PATH"
  # npm run hands its own node to scripts in these; keep them on the one runtime too.
  [[ -z ${NODE:-} ]] || NODE="$MSA_NODE_DIR/bin/node"
  [[ -z ${npm_node_execpath:-} ]] || npm_node_execpath="$MSA_NODE_DIR/bin/node"
  export PATH
}
use_pinned_node

say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# PostgreSQL refuses to run as root: as root we run it (and initdb) as the `postgres` account that
# Debian's package creates, otherwise as ourselves.
SERVICE_USER_PREFIX=()
[[ $EUID -ne 0 ]] || SERVICE_USER_PREFIX=(runuser -u postgres --)
as_service_user() { "${SERVICE_USER_PREFIX[@]}" "$@"; }

# apt-get install with the package index refreshed once per run; needs root (or sudo).
apt_install() {
  local sudo=()
  [[ $EUID -eq 0 ]] || sudo=(sudo)
  if [[ -z ${MSA_APT_UPDATED:-} ]]; then
    "${sudo[@]}" apt-get update -qq >>"$MSA_LOG_DIR/apt.log" 2>&1 || die "apt-get update failed"
    MSA_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" \
    >>"$MSA_LOG_DIR/apt.log" 2>&1 \
    || die "apt-get install $* failed"
}

pid_file() { printf '%s/%s.pid' "$MSA_RUN_DIR" "$1"; }
log_file() { printf '%s/%s.log' "$MSA_LOG_DIR" "$1"; }

# True when the pid file of server $1 names a live process.
is_running() {
  local pid
  pid=$(cat "$(pid_file "$1")" 2>/dev/null) || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}

# start_daemon NAME COMMAND...: runs COMMAND detached, output to the server's log, pid recorded.
start_daemon() {
  local name=$1
  shift
  : >"$(log_file "$name")"
  setsid nohup "$@" >>"$(log_file "$name")" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
}

# wait_healthy NAME PORT SECONDS CHECK...: polls CHECK until it succeeds; stops the run with the
# server's name, port and log when the process dies or the time runs out.
wait_healthy() {
  local name=$1 port=$2 seconds=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 20 "$(log_file "$name")" >&2 || true
      die "$name exited while starting on 127.0.0.1:$port; read $(log_file "$name")"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$(log_file "$name")" >&2 || true
      die "$name did not become healthy on 127.0.0.1:$port within ${seconds}s; read $(log_file "$name")"
    fi
    sleep 0.2
  done
}

# stop_daemon NAME [SECONDS] [SIGNAL]: SIGNAL (default TERM) to the server's process group, then
# KILL after the grace period.
stop_daemon() {
  local name=$1 grace=${2:-30} signal=${3:-TERM} pid
  pid=$(cat "$(pid_file "$name")" 2>/dev/null) || return 0
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pid_file "$name")"
}

# Memory of server $1 in MiB: the proportional set size (shared pages split among their users) of
# the process and all its descendants (PostgreSQL's backends start sessions of their own).
memory_mib() {
  local pid
  pid=$(cat "$(pid_file "$1")" 2>/dev/null) || return 0
  ps -eo pid=,ppid= | awk -v root="$pid" '
    { parent[$1] = $2 }
    END {
      for (p in parent) { q = p; while (q != "" && q != root && q in parent && q != 1) q = parent[q]; if (q == root) print p }
    }' | while read -r p; do
    awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null
  done | awk '{ kb += $1 } END { printf "%d", kb / 1024 }'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# require_go WRAPPER NAME: stops the run unless a go command is on PATH, naming the Go release that
# the wrapper module local/go/WRAPPER asks for (its go line is at least that of what it builds).
require_go() {
  command -v go >/dev/null && return 0
  local release
  release=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$MSA_ROOT/local/go/$1/go.mod")
  die "Go is needed to build $2; install Go${release:+ $release or newer}"
}

# go_build VERSION MODULE LDFLAGS NAME=PACKAGE...: builds each command of the wrapper module
# local/go/MODULE into the cache once per version (file names carry it), then links each into
# .local/bin under its plain NAME.
go_build() {
  local version=$1 module=$2 ldflags=$3
  shift 3
  local target name package
  for target in "$@"; do
    name=${target%%=*} package=${target#*=}
    if [[ ! -x $MSA_CACHE_BIN_DIR/$name-$version ]]; then
      require_go "$module" "$name"
      say "building $name $version from its Go module (first run only; this takes a while)"
      (cd "$MSA_ROOT/local/go/$module" &&
        go build -trimpath -ldflags "$ldflags" -o "$MSA_CACHE_BIN_DIR/.$name-$version.tmp" "$package") \
        >>"$MSA_LOG_DIR/go-build.log" 2>&1 || die "building $name $version failed; read $MSA_LOG_DIR/go-build.log"
      mv -f "$MSA_CACHE_BIN_DIR/.$name-$version.tmp" "$MSA_CACHE_BIN_DIR/$name-$version"
    fi
    ln -sfn "$MSA_CACHE_BIN_DIR/$name-$version" "$MSA_BIN_DIR/$name"
  done
}

# go_module_build NAME VERSION MODULE PACKAGE LDFLAGS [PREPARE] [BINARY]: builds PACKAGE of the Go
# module MODULE as its own release build does, for a module whose build needs files written into its
# sources first: the module, downloaded through the wrapper module local/go/NAME and so checked against
# that go.sum, is copied aside (the module cache is read-only), the function PREPARE (if given) runs in
# the copy, and the copy builds with its own go.mod and go.sum into the cache once per version; the
# binary is then linked into .local/bin as BINARY (default NAME). A failed step stops the run naming
# the build log.
go_module_build() {
  local wrapper=$1 version=$2 module=$3 package=$4 ldflags=$5 prepare=${6:-} name=${7:-$1}
  local binary="$MSA_CACHE_BIN_DIR/$name-$version" log="$MSA_LOG_DIR/go-build.log"
  if [[ ! -x $binary ]]; then
    require_go "$wrapper" "$name"
    say "building $name $version from its Go module (first run only)"
    local source work
    source=$(cd "$MSA_ROOT/local/go/$wrapper" &&
      go mod download -json "$module" 2>>"$log" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') ||
      die "downloading $name $version failed; read $log"
    [[ -d $source ]] || die "downloading $name $version gave no source directory"
    work=$(mktemp -d)
    cp -r "$source/." "$work/" && chmod -R u+w "$work"
    if [[ -n $prepare ]] && ! (cd "$work" && "$prepare") >>"$log" 2>&1; then
      rm -rf "$work"
      die "preparing the sources of $name $version failed ($prepare); read $log"
    fi
    if ! (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$binary.$$.tmp" "$package") >>"$log" 2>&1; then
      rm -rf "$work" "$binary.$$.tmp"
      die "building $name $version failed; read $log"
    fi
    mv -f "$binary.$$.tmp" "$binary"
    rm -rf "$work"
  fi
  ln -sfn "$binary" "$MSA_BIN_DIR/$name"
}

# write_kubeconfig FILE SERVER PKI_DIR USER CLUSTER [NAMESPACE]: a kubeconfig for USER's certificate
# (PKI_DIR/USER.crt and .key, trusting PKI_DIR/ca.crt), everything embedded, readable by root only.
write_kubeconfig() {
  local file=$1 server=$2 pki=$3 user=$4 cluster=$5 namespace=${6:-} b64="base64 -w0"
  mkdir -p "$(dirname "$file")"
  cat >"$file" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: $cluster
    cluster:
      server: $server
      certificate-authority-data: $($b64 <"$pki/ca.crt")
users:
  - name: $user
    user:
      client-certificate-data: $($b64 <"$pki/$user.crt")
      client-key-data: $($b64 <"$pki/$user.key")
contexts:
  - name: $cluster
    context:
      cluster: $cluster
      user: $user${namespace:+
      namespace: $namespace}
current-context: $cluster
YAML
  chmod 600 "$file"
}

# dev_key_file NAME FILE: FILE made once, readable by its owner only, by local/'s `dev-NAME` CLI
# (signing-key, vapid-keys); the native platform and the local node each keep their own.
dev_key_file() {
  local name=$1 file=$2 cli="$MSA_ROOT/local/dist/src/cli/dev-$1.js"
  [[ -s $file ]] && return 0
  mkdir -p "$(dirname "$file")"
  [[ -f $cli ]] || (cd "$MSA_ROOT" && npx tsc -b local) || die "building local/ failed"
  (umask 077 && node "$cli" >"$file") || die "making $name in ${file#"$MSA_ROOT"/} failed"
}

# json_field FILE KEY: the value at KEY of the JSON object in FILE, a string as it is, else as JSON.
json_field() {
  node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]];
process.stdout.write(typeof v === "string" ? v : JSON.stringify(v))' "$1" "$2"
}
