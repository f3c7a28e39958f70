# The SMS sink (local/src/sms-sink): Twilio's Messages API for one local account, keeping what it
# receives in the state dir; the notification service sends its SMS there.

SMS_SINK_CREDENTIALS_FILE="$MSA_STATE_DIR/secrets/sms-sink.json"

sms_sink_port() { echo "$MSA_SMS_SINK_PORT"; }

# It runs from @msa/local's build, which `tsc -b local` brings up to date in a few seconds.
sms_sink_install() {
  (cd "$MSA_ROOT" && npx tsc -b local) || die "building @msa/local for the SMS sink failed; run: npx tsc -b local"
}

# One account sid and auth token per state dir: the sink accepts them, the notification service
# sends with them, specs read them from the file.
sms_sink_credentials() {
  [[ -s $SMS_SINK_CREDENTIALS_FILE ]] && return 0
  mkdir -p "$(dirname "$SMS_SINK_CREDENTIALS_FILE")"
  (umask 077 && printf '{"accountSid":"AC%s","authToken":"%s"}\n' "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" \
    >"$SMS_SINK_CREDENTIALS_FILE") || die "making the SMS sink's credentials failed"
}

sms_sink_start() {
  sms_sink_credentials
  start_daemon sms-sink node "$MSA_ROOT/local/dist/src/cli/sms-sink.js"
}

sms_sink_check() { curl -fsS --max-time 2 "http://127.0.0.1:$MSA_SMS_SINK_PORT/health" | grep -q '"status":"ok"'; }

sms_sink_stop() { stop_daemon sms-sink; }
