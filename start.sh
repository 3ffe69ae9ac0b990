#!/usr/bin/env bash
# Set up (first run only) and start the app on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
setup_python requirements.txt
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" "$@"
