#!/usr/bin/env bash
# Set up (first run only: packages, Chromium and nginx) and run every test.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
setup_python requirements-dev.txt
setup_chromium
setup_nginx
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" = 5 ]; then
  echo "No tests ran: that counts as a failure." >&2
  exit 1
fi
exit "$status"
