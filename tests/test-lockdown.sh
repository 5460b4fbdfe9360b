#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Kiosk lockdown with the real program under a real X11 window manager (openbox, which,
# like cage in production, honours fullscreen and sends close requests): `digithek
# --kiosk` with GTK_DEBUG=interactive in its environment gets more than 30 key
# combinations that quit, close, open, save, print, open the inspector or a menu, or
# reach the window manager, plus a right click and a long press. Afterwards the process
# is alive, its window is fullscreen and mapped, and it has exactly one toplevel window
# (Alt+F4 reaches openbox, which sends the close request the kiosk refuses).
# A control run without --kiosk shows the inspector does open there, so the window count
# would catch it. --kiosk with --preview is checked too.
# Runs on its own Xvfb and session bus (kiosk-x11-env.sh), so that the window manager and
# the kiosk's application id touch no other test. Prints TAP; exit 77 (skip) when a
# program is absent.
set -u

DIGITHEK_BIN=${DIGITHEK_BIN:?DIGITHEK_BIN is not set}
DEMO_DIR=${DEMO_DIR:?DEMO_DIR is not set}
for prog in Xvfb openbox xdotool xprop xwininfo dbus-daemon; do
  if ! command -v "$prog" >/dev/null 2>&1; then
    echo "1..0 # SKIP $prog is not installed (.ci/deps test installs it)"
    exit 77
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/digithek-lockdown.XXXXXX")
KIOSK_PID=
cleanup () {
  if [ -n "$KIOSK_PID" ]; then
    kill "$KIOSK_PID" 2>/dev/null
    wait "$KIOSK_PID" 2>/dev/null
  fi
  x11_env_cleanup
  rm -rf "$T"
}
trap cleanup EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check () { # check DESCRIPTION COMMAND...
  local d=$1; shift
  if "$@"; then ok "$d"; else not_ok "$d"; fi
}
bail () { echo "Bail out! $*"; [ -f "$T/kiosk.log" ] && sed 's/^/# kiosk: /' "$T/kiosk.log" | tail -20; exit 1; }

# ---- a private screen, window manager and session bus ----
. "$(dirname "$0")/kiosk-x11-env.sh"
x11_env_start

# ---- helpers ----
start_kiosk () { # start_kiosk ARGS...: GTK_DEBUG=interactive, as an attacker would set it
  GTK_DEBUG=interactive "$DIGITHEK_BIN" "$@" >"$T/kiosk.log" 2>&1 &
  KIOSK_PID=$!
}
stop_kiosk () {
  [ -n "$KIOSK_PID" ] || return
  kill "$KIOSK_PID" 2>/dev/null
  wait "$KIOSK_PID" 2>/dev/null
  KIOSK_PID=
}
# The windows the window manager manages for the kiosk's process.
kiosk_windows () {
  local w
  for w in $(xprop -root _NET_CLIENT_LIST 2>/dev/null | sed -n 's/.*# //p' | tr -d ','); do
    if xprop -id "$w" _NET_WM_PID 2>/dev/null | grep -q "= $KIOSK_PID\$"; then
      echo "$w"
    fi
  done
}
wait_for_windows () { # wait_for_windows COUNT SECONDS: until the kiosk has COUNT windows
  local i
  for i in $(seq $(($2 * 10))); do
    [ "$(kiosk_windows | wc -l)" -ge "$1" ] && return 0
    sleep 0.1
  done
  return 1
}
wait_for_home () {
  local i
  for i in $(seq 300); do
    "$DIGITHEK_BIN" --status 2>/dev/null | grep -q '"view" : "home"' && return 0
    kill -0 "$KIOSK_PID" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
is_fullscreen () { xprop -id "$1" _NET_WM_STATE | grep -q _NET_WM_STATE_FULLSCREEN; }
is_viewable () { xwininfo -id "$1" | grep -q 'Map State: IsViewable'; }
one_fullscreen_window () {
  local wins
  wins=$(kiosk_windows)
  [ "$(echo "$wins" | grep -c .)" -eq 1 ] && is_fullscreen "$wins" && is_viewable "$wins"
}
describe_windows () {
  local w
  for w in $(kiosk_windows); do
    echo "window $w: $(xprop -id "$w" _NET_WM_NAME _NET_WM_STATE | tr '\n' ' ')"
  done
}

# ---- control: without --kiosk, GTK_DEBUG=interactive opens the inspector ----
start_kiosk --demo
wait_for_home || bail "the kiosk (no --kiosk) did not show home"
if wait_for_windows 2 10; then
  ok "control: without --kiosk the inspector opens (a second toplevel the check below would see)"
else
  not_ok "control: without --kiosk the inspector opens" "$(describe_windows)"
fi
stop_kiosk

# ---- --demo --kiosk under attack ----
start_kiosk --demo --kiosk
wait_for_home || bail "digithek --demo --kiosk did not show home"
wait_for_windows 1 10 || bail "no kiosk window"
sleep 1
check "--demo --kiosk starts fullscreen with one toplevel window, GTK_DEBUG ignored" one_fullscreen_window
WIN=$(kiosk_windows | head -1)

keys=(
  alt+F4 ctrl+q ctrl+w ctrl+n ctrl+o ctrl+p ctrl+s ctrl+shift+i ctrl+shift+d
  F1 F10 F11 Escape super Super_R Menu shift+F10 ctrl+shift+q ctrl+F4 ctrl+Tab alt+Tab
  alt+Left alt+Right Print ctrl+comma ctrl+question ctrl+plus ctrl+minus ctrl+alt+BackSpace
  ctrl+alt+Delete ctrl+alt+t alt+F2 alt+F7 alt+F8 super+Up super+Down ctrl+shift+Escape
  alt+Escape F5 ctrl+r ctrl+l ctrl+f F12 alt+space Escape
)
for k in "${keys[@]}"; do
  xdotool windowfocus "$WIN" 2>/dev/null
  xdotool key --clearmodifiers "$k"
  sleep 0.15
done
echo "# sent ${#keys[@]} key combinations"
[ "${#keys[@]}" -ge 30 ] || not_ok "at least 30 key combinations"

# A right click and a long press (mouse down, 1 s, up) in the middle of the screen.
xdotool mousemove --sync 960 600 click 3
sleep 0.5
xdotool mousedown 1
sleep 1
xdotool mouseup 1
sleep 1.5

check "the kiosk process is alive" kill -0 "$KIOSK_PID"
if one_fullscreen_window; then
  ok "after the keys and clicks: fullscreen, mapped, exactly one toplevel window"
else
  not_ok "after the keys and clicks: fullscreen, mapped, exactly one toplevel window" \
    "$(describe_windows)"
fi
check "the kiosk still answers on the bus" \
  sh -c "\"$DIGITHEK_BIN\" --status | grep -q '\"view\" : \"'"

stop_kiosk

# ---- --preview DIR --kiosk ----
start_kiosk --preview "$DEMO_DIR/e-government" --kiosk
wait_for_home || bail "digithek --preview DIR --kiosk did not show home"
wait_for_windows 1 10 || bail "no preview window"
sleep 1
xdotool key --clearmodifiers ctrl+q alt+F4 ctrl+shift+i F11
sleep 1
check "--preview DIR --kiosk: fullscreen, one toplevel window after Ctrl+Q, Alt+F4, Ctrl+Shift+I, F11" \
  one_fullscreen_window
check "--preview DIR --kiosk: alive" kill -0 "$KIOSK_PID"
stop_kiosk

echo "1..$n"
exit $failed
