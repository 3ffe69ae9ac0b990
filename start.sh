#!/usr/bin/env bash
# Set up (first run only) and start the app on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
setup_python requirements.txt
# Chromium draws the pictures in handouts and figure downloads; without it they are text only.
setup_chromium || echo "Chromium could not be installed: handouts will have words only." >&2
# deploy/serve.py is `streamlit run` with the libraries imported before the first visitor and
# TCP_NODELAY on connections (see its docstring)
exec .venv/bin/python deploy/serve.py app.py --server.port "${PORT:-8501}" "$@"
