#!/usr/bin/env bash
# Installs everything, builds the index if it is missing or stale, and starts
# the service on http://127.0.0.1:8000 (pass --host/--port to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/tvaers ingest --if-stale
exec .venv/bin/tvaers serve "$@"
