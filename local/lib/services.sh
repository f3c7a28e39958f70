# The platform's services as local background processes, started after the servers and the
# operator (which provisions their topics). Each runs its built main.js with its configuration in
# environment variables, exactly as a container in the cluster would.

# Services that exist so far, in start order.
SERVICES=(user product inventory payment order notification)

service_port() {
  local variable="MSA_${1^^}_PORT"
  echo "${!variable}"
}

# One Ed25519 token signing key per state dir: the user service signs with it, every service verifies.
SIGNING_KEY_FILE="$MSA_STATE_DIR/secrets/signing-key.json"
services_signing_key() { dev_key_file signing-key "$SIGNING_KEY_FILE"; }

# One VAPID key pair per state dir: the notification service signs its Web Push requests with it,
# and the subscriptions browsers made with its public key stay valid across restarts.
VAPID_KEYS_FILE="$MSA_STATE_DIR/secrets/vapid-keys.json"
services_vapid_keys() { dev_key_file vapid-keys "$VAPID_KEYS_FILE"; }

signing_key_part() { json_field "$SIGNING_KEY_FILE" "$1"; }

# A PostgreSQL database per service: its event store, outbox and inbox.
service_database() {
  PGPASSWORD=msa "$PG_BIN/psql" -h 127.0.0.1 -p "$MSA_POSTGRES_PORT" -U msa -d postgres -tAc \
    "select 1 from pg_database where datname = '$1'" | grep -q 1 ||
    PGPASSWORD=msa "$PG_BIN/createdb" -h 127.0.0.1 -p "$MSA_POSTGRES_PORT" -U msa "$1" ||
    die "$1: creating its database failed"
}

# Variables only some services take.
service_extra_env() {
  case $1 in
    user)
      printf '%s\n' "JWT_PRIVATE_KEY=$(signing_key_part privateJwk)" "ADMIN_EMAILS=${MSA_ADMIN_EMAILS:-admin@msa.local}"
      ;;
    # Mail goes to Mailpit and SMS to the SMS sink (local/lib/servers), with the sink's credentials;
    # +15005550006 is the sender Twilio's test credentials accept. Links in mails point at the user
    # service, the one a browser talks to locally.
    notification)
      printf '%s\n' \
        "SMTP_URL=smtp://127.0.0.1:$MSA_MAILPIT_SMTP_PORT" \
        "SMTP_FROM=MSA Shop <no-reply@msa.local>" \
        "SMS_API_URL=http://127.0.0.1:$MSA_SMS_SINK_PORT" \
        "SMS_ACCOUNT_ID=$(json_field "$SMS_SINK_CREDENTIALS_FILE" accountSid)" \
        "SMS_AUTH_TOKEN=$(json_field "$SMS_SINK_CREDENTIALS_FILE" authToken)" \
        "SMS_FROM=+15005550006" \
        "VAPID_PUBLIC_KEY=$(json_field "$VAPID_KEYS_FILE" publicKey)" \
        "VAPID_PRIVATE_KEY=$(json_field "$VAPID_KEYS_FILE" privateKey)" \
        "VAPID_SUBJECT=mailto:admin@msa.local" \
        "ADMIN_ALERT_EMAILS=${MSA_ADMIN_EMAILS:-admin@msa.local}" \
        "APP_BASE_URL=http://127.0.0.1:$MSA_USER_PORT"
      ;;
  esac
}

service_start() {
  local name=$1 port
  port=$(service_port "$name")
  is_running "$name" && return 0
  port_open "$port" &&
    die "$name: 127.0.0.1:$port is already in use by another process; stop it, or set MSA_${name^^}_PORT to a free port"
  service_database "$name"
  local extra=()
  mapfile -t extra < <(service_extra_env "$name")
  start_daemon "$name" env \
    PORT="$port" \
    DATABASE_URL="postgres://msa:msa@127.0.0.1:$MSA_POSTGRES_PORT/$name" \
    KAFKA_BROKERS="127.0.0.1:$MSA_KAFKA_PORT" \
    MONGO_URL="mongodb://127.0.0.1:$MSA_MONGO_PORT/" \
    MONGO_DATABASE="$name" \
    REDIS_URL="redis://127.0.0.1:$MSA_REDIS_PORT" \
    JWT_PUBLIC_KEYS="$(signing_key_part publicJwks)" \
    JWT_ISSUER=msa-ecommerce \
    JWT_AUDIENCE=msa-ecommerce \
    LOG_LEVEL="${MSA_LOG_LEVEL:-info}" \
    "${extra[@]}" \
    node "$MSA_ROOT/services/$name/dist/src/main.js"
}

service_check() { curl -fsS "http://127.0.0.1:$(service_port "$1")/health/ready" >/dev/null; }

services_start() {
  services_signing_key
  services_vapid_keys
  local name
  for name in "${SERVICES[@]}"; do service_start "$name"; done
  for name in "${SERVICES[@]}"; do
    wait_healthy "$name" "$(service_port "$name")" 60 service_check "$name"
  done
}

services_stop() {
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    if is_running "${SERVICES[i]}"; then
      say "stopping ${SERVICES[i]}"
      stop_daemon "${SERVICES[i]}"
    fi
  done
}
