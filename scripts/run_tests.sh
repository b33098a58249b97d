#!/usr/bin/env bash
# Set up (first time only) and run the whole suite: unit, app and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
bash scripts/audit.sh
if [ "$#" -gt 0 ]; then exec .venv/bin/python -m pytest "$@"; fi
# Unit and app tests on both cores (pytest-xdist); then the browser tests, also on two workers, each with its own
# server and browser, one test file per worker (a file's tests share their fixtures).
.venv/bin/python -m pytest tests/unit tests/app -n 2
exec .venv/bin/python -m pytest tests/browser -n 2 --dist loadfile --durations=12
