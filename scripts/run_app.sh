#!/usr/bin/env bash
# Set up (first time only) and run the report at http://localhost:8501
#   REPLICAS=2 scripts/run_app.sh   two server processes behind HAProxy with cookie affinity (one per core), and
#                                   nginx in front on the same port serving the baked edition at /read/ (needs
#                                   Debian's haproxy and nginx), see deploy/haproxy.cfg, deploy/nginx.conf and
#                                   bench/replicas.py
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
# glibc gives each thread that allocates its own malloc arena; with a script thread per rerun the server's memory
# kept growing (10-minute soak at 30 readers: +43%). Two arenas: +3.5% in 5 minutes (README "Capacity").
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
if [ "${REPLICAS:-1}" -gt 1 ]; then
  exec .venv/bin/python -m bench.replicas --replicas "$REPLICAS" --serve --front --port "${PORT:-8501}"
fi
exec .venv/bin/python -m streamlit run streamlit_app.py --server.port "${PORT:-8501}" "$@"
