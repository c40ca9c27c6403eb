#!/usr/bin/env bash
# Installs Tværs into .venv and prepares the default embedding model.
# Idempotent: a second run only re-checks the model (a second or two).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $PYTHON" >&2
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.tvaers-install-stamp
want=$(cat pyproject.toml scripts/install.sh | sha256sum | cut -c1-64)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  echo "Installing dependencies into .venv (torch first: the CPU build)" >&2
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q torch==2.13.0
  .venv/bin/pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi

.venv/bin/tvaers model prepare
