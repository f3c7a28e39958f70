# Mailpit, the SMTP server that catches every mail sent locally, with an HTTP API and a web UI to read
# them; built from its Go module, its web UI bundled from the module's own sources.

MAILPIT_DIR="$MSA_STATE_DIR/mailpit"

# Every recipient is accepted except those in the reserved top-level domain .invalid (RFC 2606),
# which get a permanent `550 5.1.0` at RCPT TO: how specs make a mail server refuse for good. Go's
# regular expressions have no lookahead, so "last label is not `invalid`" is spelled out: any label
# of another length, or of seven characters that differ from `invalid` at some position.
MAILPIT_ACCEPTED_RECIPIENTS='(?i)^[^@]+@(?:[^@]*\.)?(?:[^.@]{1,6}|[^.@]{8,}|[^i.@][^.@]{6}|i[^n.@][^.@]{5}|in[^v.@][^.@]{4}|inv[^a.@][^.@]{3}|inva[^l.@][^.@]{2}|inval[^i.@][^.@]|invali[^d.@])$'

mailpit_port() { echo "$MSA_MAILPIT_SMTP_PORT"; }

# The module ships the web UI's sources but not their bundle (server/ui/dist, which the binary
# embeds), so a plain `go build` serves a page whose scripts and styles are missing. The module,
# downloaded and checked against local/go/mailpit/go.sum, is copied aside (the module cache is
# read-only), its UI bundled with esbuild as its release build does, from the npm packages that
# local/go/mailpit/ui pins, and then built with its own go.mod and go.sum.
mailpit_install() {
  local binary="$MSA_CACHE_BIN_DIR/mailpit-$MAILPIT_VERSION"
  if [[ ! -x $binary ]]; then
    command -v go >/dev/null || die "Go is needed to build Mailpit; install Go 1.26 or newer (its go.mod asks for 1.26)"
    say "building Mailpit $MAILPIT_VERSION and its web UI from its Go module (first run only)"
    local source work log="$MSA_LOG_DIR/go-build.log"
    source=$(cd "$MSA_ROOT/local/go/mailpit" &&
      go mod download -json github.com/axllent/mailpit 2>>"$log" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') ||
      die "downloading Mailpit $MAILPIT_VERSION failed; read $log"
    [[ -d $source ]] || die "downloading Mailpit $MAILPIT_VERSION gave no source directory"
    work=$(mktemp -d)
    cp -r "$source/." "$work/" && chmod -R u+w "$work"
    cp "$MSA_ROOT/local/go/mailpit/ui/package.json" "$MSA_ROOT/local/go/mailpit/ui/package-lock.json" \
      "$MSA_ROOT/local/go/mailpit/ui/.npmrc" "$work/"
    # No install scripts: esbuild finds its binary in the platform package npm installs beside it.
    if ! (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error &&
      MINIFY=true node esbuild.config.mjs) >>"$log" 2>&1; then
      rm -rf "$work"
      die "bundling Mailpit's web UI failed; read $log"
    fi
    if ! (cd "$work" && go build -trimpath \
      -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" -o "$binary.$$.tmp" .) \
      >>"$log" 2>&1; then
      rm -rf "$work" "$binary.$$.tmp"
      die "building Mailpit $MAILPIT_VERSION failed; read $log"
    fi
    mv -f "$binary.$$.tmp" "$binary"
    rm -rf "$work"
  fi
  ln -sfn "$binary" "$MSA_BIN_DIR/mailpit"
}

# --allowed-hosts turns on Mailpit's Host header check (loopback names always pass), so a web page
# that rebinds its own name to 127.0.0.1 cannot read the mails. No reverse DNS of the loopback
# client, no update check (it would call out), and room for a test suite's worth of mails before the
# oldest are pruned.
mailpit_start() {
  mkdir -p "$MAILPIT_DIR"
  start_daemon mailpit "$MSA_BIN_DIR/mailpit" \
    --smtp="127.0.0.1:$MSA_MAILPIT_SMTP_PORT" \
    --listen="127.0.0.1:$MSA_MAILPIT_HTTP_PORT" \
    --allowed-hosts=127.0.0.1 \
    --database="$MAILPIT_DIR/mailpit.db" \
    --max=5000 \
    --smtp-allowed-recipients="$MAILPIT_ACCEPTED_RECIPIENTS" \
    --smtp-disable-rdns \
    --disable-version-check
}

# Healthy when the SMTP port accepts connections and the API answers with the pinned version.
mailpit_check() {
  port_open "$MSA_MAILPIT_SMTP_PORT" &&
    curl -fsS --max-time 2 "http://127.0.0.1:$MSA_MAILPIT_HTTP_PORT/api/v1/info" |
    grep -q "\"Version\": *\"$MAILPIT_VERSION\""
}

mailpit_stop() { stop_daemon mailpit; }
