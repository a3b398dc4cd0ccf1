#!/usr/bin/env bash
# Installs the pinned reference implementation (PyPI `chio` 1.1.21) into ./.venv, for the
# fixture recording and the differential and reference tests. Needs python3 with its venv
# module (Debian: python3-venv) and access to PyPI. Says on stderr what it does; prints
# nothing on stdout, so it can run before the test command (`... && cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."
CHIO_VERSION="1.1.21"
if ! command -v python3 >/dev/null; then
  echo "reference-env: python3 is needed for the pinned reference (chio $CHIO_VERSION)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "reference-env: creating .venv with $(python3 --version)" >&2
  python3 -m venv .venv >&2
fi
if .venv/bin/python -c "import chio, sys; sys.exit(chio.__version__ != '$CHIO_VERSION')" 2>/dev/null; then
  echo "reference-env: chio $CHIO_VERSION is installed in .venv" >&2
else
  echo "reference-env: installing chio==$CHIO_VERSION from PyPI into .venv" >&2
  .venv/bin/pip install --quiet --disable-pip-version-check "chio==$CHIO_VERSION" >&2
  echo "reference-env: chio $CHIO_VERSION is installed in .venv" >&2
fi
