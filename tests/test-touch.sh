#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Real touch in the real binary: `digithek --demo --kiosk` on GNOME's compositor mutter
# (headless, one 1920x1080 virtual monitor), and touches sent through mutter's
# RemoteDesktop D-Bus API, whose virtual touchscreen reaches the kiosk as wl_touch
# events and so as genuine GdkTouchEvents, unlike anything Xvfb can send.
# tests/touch-driver.py holds the remote-desktop session, finds widgets through the
# kiosk's accessibility tree and takes screenshots from mutter's screen cast (PipeWire).
# Checks: a tap opens a home tile; a swipe turns a guide's step and back; a pinch zooms a
# chart and a drag pans it (the chart's accessible description names its visible
# years); a long press in a text field opens no menu in kiosk mode; a touch hides the
# mouse pointer and a mouse move shows it again.
# Prints TAP; exit 77 (skip) when a program is absent outside CI.
set -u

DIGITHEK_BIN=${DIGITHEK_BIN:?DIGITHEK_BIN is not set}
DRIVER=$(dirname "$0")/touch-driver.py

for prog in mutter pipewire wireplumber gst-launch-1.0 dbus-daemon compare /usr/bin/python3; do
  if ! command -v "$prog" >/dev/null 2>&1; then
    missing=$prog
  fi
done
if [ -z "${missing:-}" ] &&
   ! /usr/bin/python3 -c 'import gi; gi.require_version("Atspi", "2.0")' 2>/dev/null; then
  missing="python3-gi with gir1.2-atspi-2.0"
fi
if [ -n "${missing:-}" ]; then
  if [ -n "${CI:-}" ]; then
    echo "Bail out! $missing is not installed (.ci/deps test installs it)"
    exit 1
  fi
  echo "1..0 # SKIP $missing is not installed (.ci/deps test installs it)"
  exit 77
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/digithek-touch.XXXXXX")
PIDS=()
KIOSK_PID=
cleanup () {
  [ -n "${DRIVER_PID:-}" ] && stop "$DRIVER_PID"
  [ -n "$KIOSK_PID" ] && stop "$KIOSK_PID"
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop "${PIDS[$i]}"
  done
  rm -rf "$T"
}
stop () { # stop PID: SIGTERM, and SIGKILL for one that is still busy 5 s later
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
trap cleanup EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
bail () {
  echo "Bail out! $*"
  for f in mutter kiosk driver; do
    [ -f "$T/$f.log" ] && tail -8 "$T/$f.log" | sed "s/^/# $f: /"
  done
  exit 1
}

# ---- a private session: bus, PipeWire (for the screen cast), mutter ----
export XDG_RUNTIME_DIR=$T/run
mkdir -m 0700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY
dbus-daemon --session --fork --print-address=1 --print-pid=4 4>"$T/bus.pid" >"$T/bus.address" \
  || bail "no session bus"
PIDS+=("$(cat "$T/bus.pid")")
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$T/bus.address")
export GSETTINGS_BACKEND=memory LANG=de_DE.UTF-8
# The suite makes GLib warnings fatal for our code; the session's own programs warn
# about services a bare session lacks (locale1, colord) and would abort.
session_env=(env -u G_DEBUG)

"${session_env[@]}" pipewire >"$T/pipewire.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/pipewire-0" ] && break; sleep 0.1; done
"${session_env[@]}" wireplumber >"$T/wireplumber.log" 2>&1 &
PIDS+=($!)
"${session_env[@]}" mutter --headless --virtual-monitor 1920x1080 --wayland --no-x11 \
  --wayland-display=digithek-touch >"$T/mutter.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  [ -S "$XDG_RUNTIME_DIR/digithek-touch" ] &&
    gdbus introspect --session --dest org.gnome.Mutter.RemoteDesktop \
      --object-path /org/gnome/Mutter/RemoteDesktop >/dev/null 2>&1 && break
  sleep 0.1
done
[ -S "$XDG_RUNTIME_DIR/digithek-touch" ] || bail "mutter did not start"

# ---- the kiosk ----
WAYLAND_DISPLAY=digithek-touch GDK_BACKEND=wayland \
  "$DIGITHEK_BIN" --demo --kiosk --idle-timeout 3600 >"$T/kiosk.log" 2>&1 &
KIOSK_PID=$!
status_view () {
  "$DIGITHEK_BIN" --status 2>/dev/null | sed -n 's/.*"view" *: *"\([^"]*\)".*/\1/p'
}
wait_for_view () { # wait_for_view VIEW: until the running kiosk reports it (10 s)
  local i
  for i in $(seq 100); do
    [ "$(status_view)" = "$1" ] && return 0
    sleep 0.1
  done
  return 1
}
action () { gdbus call --session --dest org.digithek.Kiosk --object-path /org/digithek/Kiosk \
              --method org.gtk.Actions.Activate "$@" "{}" >/dev/null; }
wait_for_view home || bail "the kiosk did not show home (view: $(status_view))"

# ---- the driver: one remote-desktop session for the whole test ----
coproc DRIVE { exec "${session_env[@]}" /usr/bin/python3 "$DRIVER" 2>"$T/driver.log"; }
DRIVER_PID=$DRIVE_PID
drive () { # drive COMMAND...: sets $reply to the driver's answer; fails on "error"
  echo "$*" >&"${DRIVE[1]}"
  reply=
  read -r -t 60 reply <&"${DRIVE[0]}" || { reply="error no answer"; return 1; }
  [ "${reply%% *}" = ok ]
}
read -r -t 30 reply <&"${DRIVE[0]}"
[ "$reply" = "ok ready" ] || bail "touch driver: $reply"

centre () { # centre REGEX-AND-OPTIONS...: sets $x $y to the middle of that widget
  drive find "$@" || return 1
  local bx by bw bh
  read -r _ bx by bw bh <<<"$reply"
  x=$((bx + bw / 2)) y=$((by + bh / 2)) w=$bw h=$bh
}
# Helpers that talk to the driver set variables: a command substitution runs in a
# subshell, which has no access to the coprocess.
describe () { # describe [--role R] REGEX: sets $text to "NAME|DESCRIPTION"
  text=
  drive text "$@" && text=${reply#ok }
}
chart_range () { # sets $range to the years the chart's description names: "1973 bis 2024"
  describe --role image '^(Linien|Balken)diagramm'
  range=$(grep -o '[0-9]\{4\} bis [0-9]\{4\}' <<<"$text" | head -1)
}
shot () { drive shot "$T/$1.png"; }
differ () { # differ A B [CROP]: pixels that differ between two screenshots
  local a=$T/$1.png b=$T/$2.png
  if [ -n "${3:-}" ]; then
    convert "$a" -crop "$3" +repage "$T/crop-a.png"
    convert "$b" -crop "$3" +repage "$T/crop-b.png"
    a=$T/crop-a.png b=$T/crop-b.png
  fi
  local d
  d=$(compare -metric AE -fuzz 2% "$a" "$b" null: 2>&1)
  echo "${d%% *}"
}

echo "1..7"

# mutter announces its touchscreen to clients with the first touch, which they miss: the
# first one lands on a heading, where nothing reacts.
for _ in $(seq 100); do
  centre --role label '^Offene Daten$' && break
  sleep 0.1
done
[ "${reply%% *}" = ok ] || bail "no heading on home: $reply"
drive warmup "$x" "$y" || bail "touch driver: $reply"

# ---- tap ----
if centre --role push-button '^Luftqualität' && drive tap "$x" "$y" &&
   wait_for_view item:offene-daten-konstanz/luftqualitaet-konstanz; then
  ok "a tap on a home tile opens it"
else
  not_ok "a tap on a home tile opens it" "driver: $reply" "view: $(status_view)"
fi

# ---- swipe: a guide's steps ----
action open-item "[<'e-government/online-ausweis'>]"
wait_for_view item:e-government/online-ausweis
sleep 1
describe --role label '^Schritt [0-9]+ von'
before=$text
shot guide-before
# Across the step's text, left of the phone card.
drive swipe 1000 540 150 540 300
sleep 1
describe --role label '^Schritt [0-9]+ von'
after=$text
shot guide-after
if [[ "$before" == "Schritt 1 von"* && "$after" == "Schritt 2 von"* ]]; then
  ok "a swipe to the left turns the guide to the next step ($before → $after)"
else
  not_ok "a swipe to the left turns the guide to the next step" "before: $before" "after: $after"
fi
drive swipe 150 540 1000 540 300
sleep 1
describe --role label '^Schritt [0-9]+ von'
back=$text
if [[ "$after" == "Schritt 2 von"* && "$back" == "Schritt 1 von"* ]]; then
  ok "a swipe to the right turns it back ($after → $back)"
else
  not_ok "a swipe to the right turns it back" "after: $back"
fi

# ---- pinch and drag: a chart ----
action open-item "[<'offene-daten-konstanz/temperatur-konstanz'>]"
wait_for_view item:offene-daten-konstanz/temperatur-konstanz
sleep 1
chart_range
whole=$range
if centre --role image '^(Linien|Balken)diagramm' &&
   drive pinch "$x" "$y" $((w / 6)) $((w * 2 / 3)) 400; then
  sleep 0.5
  chart_range
  zoomed=$range
fi
if [ -n "$whole" ] && [ -n "${zoomed:-}" ] && [ "$zoomed" != "$whole" ] &&
   [ $(( ${zoomed##* } - ${zoomed%% *} )) -lt $(( ${whole##* } - ${whole%% *} )) ]; then
  ok "a pinch zooms the chart ($whole → $zoomed)"
else
  not_ok "a pinch zooms the chart" "before: $whole" "after: ${zoomed:-} ($reply)"
fi
drive swipe $((x - w / 5)) "$y" $((x + w / 5)) "$y" 400
sleep 0.5
chart_range
panned=$range
if [ -n "${zoomed:-}" ] && [ -n "$panned" ] && [ "$panned" != "$zoomed" ] &&
   [ "${panned%% *}" -lt "${zoomed%% *}" ]; then
  ok "a drag to the right pans the zoomed chart to earlier years ($zoomed → $panned)"
else
  not_ok "a drag to the right pans the zoomed chart to earlier years" \
    "before: ${zoomed:-}" "after: $panned"
fi

# ---- long press: no menu in kiosk mode ----
action search "[<''>]"
wait_for_view search
sleep 1
if centre --role entry '^Suchen$'; then
  shot before-press
  drive longpress "$x" "$y" 1200
  sleep 1
  shot after-press
  # The press reaches the text (it draws a selection handle); a menu would cover
  # tens of thousands of pixels.
  d=$(differ before-press after-press)
  if [ "$d" -ge 20 ] && [ "$d" -lt 10000 ]; then
    ok "a long press in the search field opens no menu ($d pixels changed)"
  else
    not_ok "a long press in the search field opens no menu" "$d pixels changed"
  fi
else
  not_ok "a long press in the search field opens no menu" "no search field: $reply"
fi

# ---- the pointer: hidden by a touch, shown by the mouse ----
px=$((x - 200)) py=$((y + 150))
crop=120x120+$((px - 40))+$((py - 40))
mouse_to () { # a mouse moving in to X Y, a few events on the way
  local i
  for i in 4 3 2 1 0; do
    drive pointer $(($1 + i * 6)) $(($2 + i * 6))
    sleep 0.05
  done
  sleep 1
}
mouse_to "$px" "$py"
shot pointer-shown
centre --role label '^Alles auf diesem Gerät' && drive tap "$x" "$y"
sleep 1
shot pointer-hidden
hidden=$(differ pointer-shown pointer-hidden "$crop")
# mutter takes the pointer away at a touch: a mouse's first motion only enters the
# window again, the next ones move it.
mouse_to "$px" "$py"
shot pointer-back
back=$(differ pointer-hidden pointer-back "$crop")
if [ "$hidden" -ge 50 ] && [ "$back" -ge 50 ]; then
  ok "a touch hides the mouse pointer and a mouse move shows it again ($hidden, $back pixels)"
else
  not_ok "a touch hides the mouse pointer and a mouse move shows it again" \
    "pixels changed by the touch: $hidden, by the mouse: $back"
fi

if [ -n "${TOUCH_SHOTS_DIR:-}" ]; then
  mkdir -p "$TOUCH_SHOTS_DIR"
  cp "$T"/*.png "$TOUCH_SHOTS_DIR/"
fi
exit $failed
