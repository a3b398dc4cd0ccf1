#!/usr/bin/env bash
# Installs the pinned reference implementation (the PyPI package `chio`) into ./.venv and
# prints the interpreter to use. Fixture recording and differential tests run through it.
set -euo pipefail
cd "$(dirname "$0")/.."
CHIO_VERSION="1.1.21"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv >&2
fi
if ! .venv/bin/python -c "import chio, sys; sys.exit(chio.__version__ != '$CHIO_VERSION')" 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check "chio==$CHIO_VERSION" >&2
fi
echo "$PWD/.venv/bin/python"
