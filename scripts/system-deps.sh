#!/usr/bin/env bash
# Debian packages the test suite drives for real: chromium (browser tests), postgresql (store tests) and nginx
# (`pamong serve --workers N` and its tests).
# Installs what is missing when run as root; otherwise says what to install and carries on.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing for the browser/PostgreSQL/serving tests: ${missing[*]} — run: sudo apt-get install ${missing[*]}" >&2
fi
