#!/usr/bin/env bash
# Starts and stops the real services the integration tests use, each private to this run and bound
# to loopback: a RabbitMQ node (Debian's rabbitmq-server, started through its real sbin script, not
# the su-wrapping /usr/sbin one) and Azurite's blob service (npm, pinned in tools/azurite).
# Source this file, then call start_test_services / stop_test_services. Addresses are exported as
# RABBITMQ_URL, RABBITMQ_MANAGEMENT_URL and AZURE_BLOB_CONNECTION_STRING.

_services_dir=""
_rabbit_pid_file=""
_rabbit_node=""
_azurite_pid=""
_epmd_was_running=""

# A TCP port nobody listens on (the kernel picks it; we release it straight away).
_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

_wait_for_http() {
  local url=$1 seconds=$2 i
  for ((i = 0; i < seconds * 10; i++)); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.1
  done
  return 1
}

start_rabbitmq() {
  local sbin
  sbin=$(ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin 2>/dev/null | head -n 1)
  if [ -z "$sbin" ]; then
    echo "test-services: rabbitmq-server is not installed; RabbitMQ tests skip (or fail under CI)" >&2
    return 0
  fi
  local base="$_services_dir/rabbitmq" port mgmt_port
  # The Erlang distribution port is AMQP port + 20000, so keep the AMQP port below 45000.
  while :; do
    port=$(_free_port); [ "$port" -lt 45000 ] || continue
    ss -ltn 2>/dev/null | grep -q ":$((port + 20000)) " || break
  done
  mgmt_port=$(_free_port)
  _rabbit_node="labelfree-$$@localhost"
  pgrep -x epmd >/dev/null 2>&1 && _epmd_was_running=yes
  mkdir -p "$base"/{mnesia,log,home}
  cat > "$base/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$port
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt_port
loopback_users = none
log.console = false
log.file.level = warning
CONF
  echo '[rabbitmq_management].' > "$base/enabled_plugins"
  _rabbit_pid_file="$base/rabbit.pid"
  (
    export HOME="$base/home" RABBITMQ_NODENAME="$_rabbit_node" RABBITMQ_MNESIA_BASE="$base/mnesia" \
      RABBITMQ_LOG_BASE="$base/log" RABBITMQ_CONFIG_FILE="$base/rabbitmq.conf" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins" RABBITMQ_PID_FILE="$_rabbit_pid_file" \
      RABBITMQ_DIST_PORT=$((port + 20000)) ERL_EPMD_ADDRESS=127.0.0.1 \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    nohup "$sbin/rabbitmq-server" > "$base/log/stdout.log" 2>&1 &
    # 'wait PIDFILE' first: await_startup alone exits 69 before the node registers with epmd.
    "$sbin/rabbitmqctl" -n "$_rabbit_node" wait --timeout 90 "$_rabbit_pid_file" >/dev/null
    "$sbin/rabbitmqctl" -n "$_rabbit_node" await_startup --timeout 90 >/dev/null
  ) || { echo "test-services: RabbitMQ did not start; log: $base/log" >&2; tail -n 20 "$base/log/stdout.log" >&2; return 1; }
  export RABBITMQ_URL="amqp://guest:guest@127.0.0.1:$port/"
  export RABBITMQ_MANAGEMENT_URL="http://guest:guest@127.0.0.1:$mgmt_port/"
  echo "test-services: RabbitMQ $_rabbit_node on 127.0.0.1:$port (management $mgmt_port)"
}

start_azurite() {
  local azurite="$_repo/tools/azurite/node_modules/.bin/azurite-blob"
  if [ ! -x "$azurite" ] || ! command -v node >/dev/null 2>&1; then
    echo "test-services: Azurite is not installed; blob tests skip (or fail under CI)" >&2
    return 0
  fi
  local port
  port=$(_free_port)
  mkdir -p "$_services_dir/azurite"
  # --skipApiVersionCheck: Azure.Storage.Blobs 12.30 speaks a newer API version than Azurite 3.37 knows.
  # env --default-signal=INT: bash may start background jobs with SIGINT ignored, and SIGINT is
  # the signal that closes Azurite cleanly.
  env --default-signal=INT nohup "$azurite" --blobHost 127.0.0.1 --blobPort "$port" --location "$_services_dir/azurite" \
    --skipApiVersionCheck --loose --silent > "$_services_dir/azurite.log" 2>&1 &
  _azurite_pid=$!
  if ! _wait_for_http "http://127.0.0.1:$port/devstoreaccount1?comp=list" 60; then
    echo "test-services: Azurite did not answer on port $port; log:" >&2; cat "$_services_dir/azurite.log" >&2
    return 1
  fi
  # The well-known Azurite development account key (public, documented by Microsoft), not a secret.
  export AZURE_BLOB_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
  echo "test-services: Azurite blob on 127.0.0.1:$port"
}

start_test_services() {
  _repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  _services_dir=$(mktemp -d "${TMPDIR:-/tmp}/labelfree-services.XXXXXX")
  export LABELFREE_SERVICES_DIR="$_services_dir"
  start_rabbitmq
  start_azurite
}

# Stops a process: the given signal first, then SIGTERM once a second, SIGKILL after 20 s.
_stop_pid() {
  local pid=$1 signal=$2 i
  kill "-$signal" "$pid" 2>/dev/null || return 0
  for ((i = 1; i <= 200; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
    if ((i % 10 == 0)); then kill -TERM "$pid" 2>/dev/null || return 0; fi
  done
  echo "test-services: pid $pid did not stop; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

stop_test_services() {
  # Azurite closes its listener on SIGINT but its node process may linger until a SIGTERM follows.
  [ -n "$_azurite_pid" ] && _stop_pid "$_azurite_pid" INT
  if [ -n "$_rabbit_pid_file" ] && [ -f "$_rabbit_pid_file" ]; then
    _stop_pid "$(cat "$_rabbit_pid_file")" TERM
    # epmd outlives the node; stop it only when this run started it.
    if [ -z "$_epmd_was_running" ]; then pkill -x epmd 2>/dev/null || true; fi
  fi
  _azurite_pid=""; _rabbit_pid_file=""
  [ -n "$_services_dir" ] && rm -rf "$_services_dir"
  _services_dir=""
}
