# The servers local/up manages, in start order: a server starts once those before it in its
# wave's dependency list are healthy. Each has NAME_install/_start/_check/_stop/_port in
# local/lib/servers/NAME.sh, and optionally NAME_ready (run once it is healthy).

for file in "$MSA_ROOT"/local/lib/servers/*.sh; do
  # shellcheck source=/dev/null
  source "$file"
done

# Waves: the servers of one wave start together; the next wave needs them healthy.
SERVER_WAVES=("postgres redis kafka etcd mailpit sms-sink" "ferretdb kube-apiserver")
ALL_SERVERS=(postgres redis kafka etcd mailpit sms-sink ferretdb kube-apiserver)

fn() { printf '%s_%s' "${1//-/_}" "$2"; }

# The config.env variable that sets each server's port, for messages.
declare -A PORT_VARIABLES=(
  [postgres]=MSA_POSTGRES_PORT [redis]=MSA_REDIS_PORT [kafka]=MSA_KAFKA_PORT
  [etcd]=MSA_ETCD_PORT [ferretdb]=MSA_MONGO_PORT [kube-apiserver]=MSA_KUBE_PORT
  [mailpit]=MSA_MAILPIT_SMTP_PORT [sms-sink]=MSA_SMS_SINK_PORT
)

# Seconds a server gets to become healthy after it starts.
start_timeout() {
  case $1 in
    kafka | kube-apiserver) echo 120 ;;
    *) echo 60 ;;
  esac
}

# Starts server $1 unless it already runs healthy; a port held by someone else stops the run.
launch_server() {
  local name=$1 port
  port=$("$(fn "$name" port)")
  if is_running "$name"; then
    return 0
  fi
  if port_open "$port"; then
    die "$name: 127.0.0.1:$port is already in use by another process; stop it, or set ${PORT_VARIABLES[$name]} to a free port"
  fi
  "$(fn "$name" start)"
}

await_server() {
  local name=$1 port
  port=$("$(fn "$name" port)")
  wait_healthy "$name" "$port" "$(start_timeout "$name")" "$(fn "$name" check)"
  if declare -F "$(fn "$name" ready)" >/dev/null; then "$(fn "$name" ready)"; fi
}
