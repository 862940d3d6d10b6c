#!/usr/bin/env bash
# The soak (issue 11; minutes long, outside CI): N stacks (default 200) through two worker processes on a private
# RabbitMQ node and Azurite while a worker is killed every 30-60 s, the broker restarts once and storage goes away
# for about 15 s; then every stack is accounted for from the broker and from storage (scripts/soak/soak.py).
#   scripts/soak.sh [--stacks N] [--outage SECONDS] [--seed S] ...   (options of soak.py)
# Prints a JSON report and one summary line; exit code 0 when nothing was lost, mismatched or sent to _error.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

scripts/install-prerequisites.sh
dotnet build LabelFree.sln -c Release -nologo -clp:ErrorsOnly
dll="$repo/src/Worker/bin/Release/net10.0/labelfree.dll"

# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh
trap stop_test_services EXIT
trap 'exit 130' INT TERM
start_test_services
[ -n "${RABBITMQ_URL:-}" ] && [ -n "${AZURE_BLOB_CONNECTION_STRING:-}" ] || { echo "soak: RabbitMQ and Azurite are needed" >&2; exit 1; }

work="$LABELFREE_SERVICES_DIR/soak"
mkdir -p "$work"
# Two small trained structure models (dna, membrane), as the demo makes them.
dotnet "$dll" demo --quick --out "$work/demo" > "$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }

export SOAK_RABBITMQCTL SOAK_RABBIT_NODE="$_rabbit_node" SOAK_RABBIT_HOME="$LABELFREE_SERVICES_DIR/rabbitmq/home" SOAK_AZURITE_PID="$_azurite_pid"
SOAK_RABBITMQCTL="$(ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin | head -n 1)/rabbitmqctl"
status=0
/usr/bin/python3 scripts/soak/soak.py --dll "$dll" --models "$work/demo/models" --work "$work" \
  --ports "$(_free_port)" "$(_free_port)" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  mkdir -p "$repo/soak-logs" && cp "$work"/*.log "$repo/soak-logs/" && echo "soak: worker logs in soak-logs/" >&2
fi
exit "$status"
