#!/usr/bin/env bash
# Installs what the tests need and is missing: Debian packages (RabbitMQ, OpenCV's GTK runtime, tcmalloc
# (labelfree starts on it when present),
# python3-tifffile + numpy as an independent TIFF reader, python3-zarr + numcodecs as an independent OME-Zarr
# reader, python3-torch to run exported bioimage.io packages, python3-jsonschema to validate their description,
# python3-pika for the example Python client, prometheus for promtool's checks of our metrics and alert rules)
# and Azurite from npm, pinned by
# tools/azurite/package-lock.json. Safe to run again: it only installs what is absent.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

needed=()
command -v /usr/lib/rabbitmq/bin/rabbitmq-server >/dev/null 2>&1 || ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin >/dev/null 2>&1 || needed+=(rabbitmq-server)
for pkg in libgtk-3-0 libtcmalloc-minimal4 python3-tifffile python3-numpy python3-zarr python3-numcodecs python3-torch python3-jsonschema python3-yaml python3-pika prometheus; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || needed+=("$pkg")
done

if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "install-prerequisites: missing Debian packages: ${needed[*]} (not root and no sudo: install them, or tests that need them skip outside CI)" >&2
  else
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    echo "install-prerequisites: installing ${needed[*]}"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
  fi
fi

# Azurite: npm ci only when node_modules is absent or older than the lock file.
azurite_dir="$repo/tools/azurite"
if [ ! -x "$azurite_dir/node_modules/.bin/azurite-blob" ] || [ "$azurite_dir/package-lock.json" -nt "$azurite_dir/node_modules/.package-lock.json" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "install-prerequisites: npm ci (Azurite, pinned)"
    (cd "$azurite_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  else
    echo "install-prerequisites: npm not found: Azurite cannot be installed (blob tests skip outside CI)" >&2
  fi
fi
