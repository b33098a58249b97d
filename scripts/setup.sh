#!/usr/bin/env bash
# Create .venv and install the pinned requirements. Usage: scripts/setup.sh [requirements file]
set -euo pipefail
cd "$(dirname "$0")/.."
REQ="${1:-requirements.txt}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
STAMP=".venv/.installed-$(basename "$REQ")"
if [ ! -f "$STAMP" ] || [ "$REQ" -nt "$STAMP" ] || [ requirements.txt -nt "$STAMP" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$REQ"
  touch "$STAMP"
fi
# Compile the app's own modules once (a server start then reads bytecode, not source, even where
# PYTHONDONTWRITEBYTECODE is set): about 0.1 s off the first page after a start (README "Capacity", cold start).
.venv/bin/python -m compileall -q -j 0 openclosed ui pages streamlit_app.py >/dev/null
# Compute the pages' default views once (ui/prebuilt.py): the first reader after a server start then does not wait
# for them. Skipped when the stored views match the data and code; a failure only means pages compute live.
.venv/bin/python -m ui.prebuilt || echo "prebuilt views not built; pages will compute them live" >&2
# Bake the static edition of the default views (ui/bake.py -> baked/, served under /read/ by deploy/nginx.conf):
# skipped when current; the chart scripts come from npm once (deploy/vega). The live app does not need it.
.venv/bin/python -m ui.bake || echo "baked edition not built; the live app is unaffected" >&2
