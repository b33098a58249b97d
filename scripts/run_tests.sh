#!/usr/bin/env bash
# Set up (first time only) and run the whole suite: unit, app and browser tests. Each stage (setup, audit, unit+app,
# browser) prints its wall time and test counts as it ends, and again in a summary with the tests' wall time (setup
# apart; the audit overlaps the unit tests). A failing stage does not stop the later ones; the command then exits
# non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_S=600                          # the test stages' target on a fresh 2-core machine (setup not included)
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

STARTED=$(now)
bash scripts/setup.sh requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
# nginx serves the baked edition in its tests (deploy/nginx.conf); npm fetches its chart scripts once
for tool in nginx npm; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "Installing Debian's $tool for the baked edition's tests..."
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$tool" >/dev/null
  fi
done
if [ "$#" -gt 0 ]; then bash scripts/audit.sh; exec .venv/bin/python -m pytest "$@"; fi

REPORT=$(mktemp -d)
trap 'rm -rf "$REPORT"' EXIT
STATUS=0
stage() {    # stage NAME SECONDS EXIT_CODE [JUNIT_XML]: print the stage's line and keep it for the summary
  .venv/bin/python scripts/stage_report.py line "$@" | tee -a "$REPORT/stages.tsv" | sed 's/^/== stage: /'
  [ "$3" -eq 0 ] || STATUS=$3
}
stage setup "$(since "$STARTED")" 0

TESTS_STARTED=$(now)
# The dependency audit waits on the network, not the CPU (minutes when its vulnerability service is unreachable): it
# runs beside the unit and app tests and its output follows theirs.
( T=$(now); RC=0; bash scripts/audit.sh > "$REPORT/audit.log" 2>&1 || RC=$?
  echo "$RC $(since "$T")" > "$REPORT/audit.rc" ) &
AUDIT=$!

# Unit and app tests on both cores (pytest-xdist); then the browser tests, also on two workers, each with its own
# server and browser, one test file at a time per worker (a file's tests share their fixtures), longest files first
# (tests/browser/conftest.py LONGEST_FIRST). Three workers were tried: the stage took as long (6m36s vs 6m22s).
T=$(now); RC=0
.venv/bin/python -m pytest tests/unit tests/app -n 2 --junitxml="$REPORT/unit_app.xml" || RC=$?
stage unit+app "$(since "$T")" "$RC" "$REPORT/unit_app.xml"

wait "$AUDIT" || true
cat "$REPORT/audit.log"
read -r RC SECS < "$REPORT/audit.rc" || { RC=1; SECS=0; }
stage audit "$SECS" "$RC"

T=$(now); RC=0
.venv/bin/python -m pytest tests/browser -n 2 --dist loadfile --no-loadscope-reorder --durations=12 \
  --junitxml="$REPORT/browser.xml" || RC=$?
stage browser "$(since "$T")" "$RC" "$REPORT/browser.xml"

.venv/bin/python scripts/stage_report.py total "$REPORT/stages.tsv" "$BUDGET_S" "$(since "$TESTS_STARTED")"
exit "$STATUS"
