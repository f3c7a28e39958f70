# FerretDB v1, the MongoDB-wire server, built from its Go module and storing its data in the
# project's PostgreSQL (database `ferretdb`).

FERRETDB_DIR="$MSA_STATE_DIR/ferretdb"

ferretdb_port() { echo "$MSA_MONGO_PORT"; }

# FerretDB's main package requires the generated build/version/version.txt that its release tooling
# writes (it panics without it), so the module is built from a copy that is given that file, with its
# own go.mod and go.sum, as its release build does.
ferretdb_write_version() { echo "$FERRETDB_VERSION" >build/version/version.txt; }

ferretdb_install() {
  go_module_build ferretdb "$FERRETDB_VERSION" github.com/FerretDB/FerretDB ./cmd/ferretdb "-s -w" ferretdb_write_version
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
