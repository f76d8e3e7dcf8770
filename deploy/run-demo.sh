#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs a whole county on this machine —
# the broker with the demo county on a fast clock, and a simulated office day driven through
# the CLI with a live summary. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh

BIN=build/release/bin
DATA=${WM_DEMO_DATA:-$(mktemp -d /tmp/wartemarke-demo-XXXXXX)}
SPEED=${WM_DEMO_SPEED:-60}              # one simulated minute per real second
DAY=$(date +%F)
echo "demo: journal in $DATA, clock x$SPEED from $DAY 07:55"

"$BIN/wartemarke-server" --data "$DATA" --clock-start "${DAY}T07:55" --clock-speed "$SPEED" \
  --log-level warn &
SERVER=$!
cleanup() {
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  echo "demo: stopped (journal kept in $DATA)"
}
trap cleanup EXIT INT TERM

for _ in $(seq 50); do
  "$BIN/wartemarke" status >/dev/null 2>&1 && break
  sleep 0.1
done
"$BIN/wartemarke" simulate --until 18:00 "$@" || true
"$BIN/wartemarke" status
