#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs a whole Bürgerbüro on this machine —
# the broker with the demo county on a fast clock, a kiosk, two counters, a call display and
# the dashboard (as windows when there is a display, else rendered to PNG now and then), with
# simulated printer/readers and simulated visitors. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh

BIN=build/release/bin
OFFICE=goerlitz
DATA=${WM_DEMO_DATA:-$(mktemp -d /tmp/wartemarke-demo-XXXXXX)}
SPEED=${WM_DEMO_SPEED:-60}              # one simulated minute per real second
# A Thursday (today's, else the next): the demo offices' long day (08:00-12:00, 13:00-18:00);
# the broker refuses tickets outside the opening hours, so a Sunday would show a closed office.
DAY=$(if [ "$(date +%u)" = 4 ]; then date +%F; else date -d "next thursday" +%F; fi)
SHOTS="$DATA/screens"
TICKETS="$DATA/tickets"
mkdir -p "$SHOTS" "$TICKETS"
HEADLESS=1
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${WM_DEMO_HEADLESS:-}" ]; then HEADLESS=0; fi

PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo: stopped. Journal, tickets and screens are in $DATA"
}
trap cleanup EXIT INT TERM

echo "demo: Landkreis Görlitz on one machine; clock x$SPEED from $DAY 07:55; files in $DATA"
"$BIN/wartemarke-server" --data "$DATA/journal" --clock-start "${DAY}T07:55" --clock-speed "$SPEED" \
  --log-level warn &
PIDS+=($!)
for _ in $(seq 100); do
  "$BIN/wartemarke" status >/dev/null 2>&1 && break
  sleep 0.1
done
echo "demo: visitor status pages at http://127.0.0.1:8080/t/<token> (the QR code on each ticket)"

# The screens. Counters 1 and 2 are for people; the simulation works the others.
screens() {  # $1 = extra ui options
  [ -x "$BIN/wartemarke-kiosk" ] && echo "kiosk $BIN/wartemarke-kiosk --kiosk $OFFICE-kiosk-1 --ticket-dir $TICKETS $1"
  [ -x "$BIN/wartemarke-counter" ] && echo "counter-1 $BIN/wartemarke-counter --counter $OFFICE-1 --login tweber --pin 1234 $1"
  [ -x "$BIN/wartemarke-counter" ] && echo "counter-2 $BIN/wartemarke-counter --counter $OFFICE-2 --login anowak --pin 1234 $1"
  [ -x "$BIN/wartemarke-display" ] && echo "display $BIN/wartemarke-display --display $OFFICE-display-eg --mute $1"
  [ -x "$BIN/wartemarke-dashboard" ] && echo "dashboard $BIN/wartemarke-dashboard $1"
  true
}

if [ "$HEADLESS" = 0 ]; then
  while read -r name cmd; do
    # shellcheck disable=SC2086
    $cmd >"$DATA/$name.log" 2>&1 &
    PIDS+=($!)
  done < <(screens "")
  echo "demo: windows open: kiosk, counters ($OFFICE-1 as tweber, $OFFICE-2 as anowak, PIN 1234), display, dashboard"
else
  # The same screens, running and connected (so the dashboard sees them online), off-screen;
  # each writes <name>-HHMMSS.png every 30 s.
  echo "demo: no display found: the screens run headless and are rendered to $SHOTS every 30 s"
  while read -r name cmd; do
    # shellcheck disable=SC2086
    SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $cmd --screenshot "$SHOTS/$name.png" \
      --screenshot-every 30 >"$DATA/$name.log" 2>&1 &
    PIDS+=($!)
  done < <(screens "")
fi

"$BIN/wartemarke" simulate --until 18:00 --leave-counter "$OFFICE-1" --leave-counter "$OFFICE-2" "$@" || true
"$BIN/wartemarke" status
