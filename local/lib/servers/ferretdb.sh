# FerretDB v1, the MongoDB-wire server, built from its Go module and storing its data in the
# project's PostgreSQL (database `ferretdb`).

FERRETDB_DIR="$MSA_STATE_DIR/ferretdb"

ferretdb_port() { echo "$MSA_MONGO_PORT"; }

# FerretDB's main package requires the generated build/version/version.txt that its release tooling
# writes (it panics without it), and a module cache is read-only: so the module, downloaded and
# checked against local/go/ferretdb/go.sum, is copied aside, given that file, and built with its own
# go.mod and go.sum, as its release build does.
ferretdb_install() {
  local binary="$MSA_CACHE_BIN_DIR/ferretdb-$FERRETDB_VERSION"
  if [[ ! -x $binary ]]; then
    command -v go >/dev/null || die "Go is needed to build FerretDB; install Go 1.25 or newer"
    say "building FerretDB $FERRETDB_VERSION from its Go module (first run only)"
    local source work
    source=$(cd "$MSA_ROOT/local/go/ferretdb" &&
      go mod download -json github.com/FerretDB/FerretDB 2>>"$MSA_LOG_DIR/go-build.log" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') ||
      die "downloading FerretDB $FERRETDB_VERSION failed; read $MSA_LOG_DIR/go-build.log"
    [[ -d $source ]] || die "downloading FerretDB $FERRETDB_VERSION gave no source directory"
    work=$(mktemp -d)
    cp -r "$source/." "$work/" && chmod -R u+w "$work"
    echo "$FERRETDB_VERSION" >"$work/build/version/version.txt"
    (cd "$work" && go build -trimpath -ldflags "-s -w" -o "$binary.tmp" ./cmd/ferretdb) \
      >>"$MSA_LOG_DIR/go-build.log" 2>&1 || die "building FerretDB $FERRETDB_VERSION failed; read $MSA_LOG_DIR/go-build.log"
    mv -f "$binary.tmp" "$binary"
    rm -rf "$work"
  fi
  ln -sfn "$binary" "$MSA_BIN_DIR/ferretdb"
}

ferretdb_start() {
  mkdir -p "$FERRETDB_DIR"
  start_daemon ferretdb "$MSA_BIN_DIR/ferretdb" \
    --listen-addr="127.0.0.1:$MSA_MONGO_PORT" \
    --handler=postgresql \
    --postgresql-url="postgres://msa:msa@127.0.0.1:$MSA_POSTGRES_PORT/ferretdb" \
    --state-dir="$FERRETDB_DIR" \
    --debug-addr="127.0.0.1:$MSA_FERRETDB_DEBUG_PORT" \
    --telemetry=disable \
    --log-level=WARN
}

ferretdb_check() { curl -fsS "http://127.0.0.1:$MSA_FERRETDB_DEBUG_PORT/debug/readyz" >/dev/null; }

ferretdb_stop() { stop_daemon ferretdb; }
