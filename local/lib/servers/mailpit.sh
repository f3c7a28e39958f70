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
# embeds), so a plain `go build` serves a page whose scripts and styles are missing. The copy of the
# module that go_module_build makes gets its UI bundled with esbuild as its release build does, from
# the npm packages that local/go/mailpit/ui pins, and then builds with its own go.mod and go.sum.
# No install scripts: esbuild finds its binary in the platform package npm installs beside it.
mailpit_bundle_ui() {
  cp "$MSA_ROOT/local/go/mailpit/ui/package.json" "$MSA_ROOT/local/go/mailpit/ui/package-lock.json" \
    "$MSA_ROOT/local/go/mailpit/ui/.npmrc" . &&
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error &&
    MINIFY=true node esbuild.config.mjs
}

mailpit_install() {
  go_module_build mailpit "$MAILPIT_VERSION" github.com/axllent/mailpit . \
    "-s -w -X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" mailpit_bundle_ui
}

# --allowed-hosts turns on Mailpit's Host header check (loopback names always pass), so a web page
# that rebinds its own name to 127.0.0.1 cannot read the mails. No reverse DNS of the loopback
# client, no update check (it would call out), and room (MAILPIT_MAX_MESSAGES) for a test suite's or
# a long fault run's mails before the oldest are pruned.
mailpit_start() {
  mkdir -p "$MAILPIT_DIR"
  start_daemon mailpit "$MSA_BIN_DIR/mailpit" \
    --smtp="127.0.0.1:$MSA_MAILPIT_SMTP_PORT" \
    --listen="127.0.0.1:$MSA_MAILPIT_HTTP_PORT" \
    --allowed-hosts=127.0.0.1 \
    --database="$MAILPIT_DIR/mailpit.db" \
    --max="$MAILPIT_MAX_MESSAGES" \
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
