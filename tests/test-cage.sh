#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk as deployed: Debian's cage runs the ExecStart line of the built systemd unit
# (kiosk/deploy/digithek-kiosk.service) as an unprivileged user, on a store synced from a
# signed channel of the demo packs, and grim takes the screenshots through cage's
# screencopy, as IT would. Checks that the kiosk fills the output at 1024x768 (cage's
# nested output), 1280x720, 1024x600 and a 1080x1920 portrait pillar, shows the home view
# with its pictures (not grey boxes), that keys reach it through cage and that those meant
# to close it, to leave fullscreen or to open the inspector or a menu change nothing;
# without --kiosk, cage's maximized window fills the output too.
#
# Why cage's X11 backend (a window on a private Xvfb) and not its headless one: cage
# 0.1.4 scans a fullscreen client's buffer out directly, and its test for "only one
# surface" never counts (count_surface_iterator increments the pointer, not the count);
# it does not repaint the whole frame when it stops scanning out. On the headless
# backend, which takes any buffer for scan-out, screencopy therefore returns cage's last
# composited frame (black, or the window's very first frame) whatever the client shows:
# a bare GTK window shows the same. The DRM backend of a real kiosk, like the X11 one,
# refuses to scan out a shared-memory buffer and composites every frame, which is what
# a citizen sees. The X11 backend also lets this test resize the output.
#
# Prints TAP; exit 77 (skip) when a program is absent outside CI.
set -u

DIGITHEK_BIN=${DIGITHEK_BIN:?DIGITHEK_BIN is not set}
DIGITHEK_PACK_BIN=${DIGITHEK_PACK_BIN:?DIGITHEK_PACK_BIN is not set}
DEMO_DIR=${DEMO_DIR:?DEMO_DIR is not set}
UNIT=${1:?usage: test-cage.sh BUILT-UNIT-FILE}

for prog in cage grim Xvfb xdotool xwininfo dbus-daemon convert setpriv; do
  if ! command -v "$prog" >/dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then
      echo "Bail out! $prog is not installed (.ci/deps test installs it)"
      exit 1
    fi
    echo "1..0 # SKIP $prog is not installed (.ci/deps test installs it)"
    exit 77
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/digithek-cage.XXXXXX")
chmod 0755 "$T"
XVFB_PID= BUS_PID= CAGE_PID=
cleanup () {
  stop_cage
  for p in $BUS_PID $XVFB_PID; do
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  rm -rf "$T"
}
trap cleanup EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
bail () {
  echo "Bail out! $*"
  [ -f "$T/cage.log" ] && grep -v '^dbus-daemon\|SpiRegistry' "$T/cage.log" | tail -20 | sed 's/^/# cage: /'
  exit 1
}

# ---- who runs it: cage refuses root, and the unit runs it as `digithek` ----
if [ "$(id -u)" -eq 0 ]; then
  run_as () { setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env -- \
                env PATH=/usr/bin:/bin HOME="$T/home" "$@"; }
  user=nobody
else
  run_as () { "$@"; }
  user=$(id -un)
fi
mkdir -p "$T/home" "$T/run" "$T/bin"
# The build tree may sit below a folder only root may enter: the user gets its own copy
# of the program (the store, not the source tree, holds the content).
cp "$DIGITHEK_BIN" "$T/bin/digithek"
chmod 0755 "$T/bin/digithek"
chmod 0700 "$T/run"
[ "$user" = nobody ] && chown nobody:nogroup "$T/home" "$T/run"

# ---- the store a deployed kiosk has: synced from a signed channel ----
"$DIGITHEK_PACK_BIN" keygen --out "$T/key" >"$T/keygen.log" 2>&1 || bail "keygen failed"
"$DIGITHEK_PACK_BIN" publish "$DEMO_DIR"/*/ --key "$T/key" --out "$T/channel" \
  >"$T/publish.log" 2>&1 || bail "publish failed: $(tail -1 "$T/publish.log")"
mkdir -p "$T/state"
"$T/bin/digithek" --sync-once --store "$T/state/store.db" --channel "$T/channel" \
  --trust "$T/key.pub" >"$T/sync.log" 2>&1 || bail "sync failed: $(tail -1 "$T/sync.log")"
[ "$user" = nobody ] && chown -R nobody:nogroup "$T/state"

# ---- the unit's command line, with this build's program and store ----
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
case "$exec_start" in
  "/usr/bin/cage -d -- "*/digithek\ --kiosk\ --store\ /var/lib/digithek/store.db) ;;
  *) bail "unexpected ExecStart in $UNIT: $exec_start" ;;
esac
read -r -a kiosk_cmd <<<"$exec_start"
for i in "${!kiosk_cmd[@]}"; do
  case "${kiosk_cmd[$i]}" in
    */digithek) kiosk_cmd[$i]=$T/bin/digithek ;;
    /var/lib/digithek/store.db) kiosk_cmd[$i]=$T/state/store.db ;;
  esac
done
# ...and its environment (Environment= lines hold one NAME=VALUE each, unquoted).
mapfile -t unit_env < <(sed -n 's/^Environment=//p' "$UNIT")
echo "# as $user, with ${unit_env[*]}: ${kiosk_cmd[*]}"

# ---- a private X screen for cage's output window, and a session bus ----
exec 3>"$T/display"
run_as Xvfb -displayfd 3 -screen 0 1920x1920x24 -nolisten tcp >"$T/xvfb.log" 2>&1 &
XVFB_PID=$!
exec 3>&-
for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
[ -s "$T/display" ] || bail "Xvfb did not start"
display=:$(head -1 "$T/display")
run_as dbus-daemon --session --fork --print-address=1 --print-pid=4 \
  4>"$T/bus.pid" >"$T/bus.address" || bail "no session bus"
BUS_PID=$(cat "$T/bus.pid")
bus=$(head -1 "$T/bus.address")

in_session () { # the environment the unit's session gives cage and the kiosk
  run_as env DISPLAY="$display" XDG_RUNTIME_DIR="$T/run" DBUS_SESSION_BUS_ADDRESS="$bus" \
    LANG=de_DE.UTF-8 "$@"
}
in_wayland () { in_session env WAYLAND_DISPLAY="$wayland" "$@"; }

start_cage () { # start_cage ARGS...: cage and its one client
  rm -f "$T/run"/wayland-*
  in_session env "${unit_env[@]}" WLR_BACKENDS=x11 WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
    "$@" >"$T/cage.log" 2>&1 &
  CAGE_PID=$!
  local i s
  wayland=
  for i in $(seq 100); do
    for s in "$T/run"/wayland-*; do
      case $s in *.lock|*'*') ;; *) wayland=$(basename "$s") ;; esac
    done
    [ -n "$wayland" ] && break
    sleep 0.1
  done
  [ -n "$wayland" ] || bail "cage made no Wayland socket"
  output_window=
  for i in $(seq 100); do
    output_window=$(xwininfo -display "$display" -root -children 2>/dev/null |
                    sed -n 's/^ *\(0x[0-9a-f]*\) .*: ()  *[0-9]*x[0-9]*+.*/\1/p' | head -1)
    [ -n "$output_window" ] && break
    sleep 0.1
  done
  [ -n "$output_window" ] || bail "cage opened no output window"
}
stop_cage () {
  [ -n "$CAGE_PID" ] || return 0
  kill "$CAGE_PID" 2>/dev/null
  pkill -u "$user" -x cage 2>/dev/null
  wait "$CAGE_PID" 2>/dev/null
  CAGE_PID=
}
kiosk_alive () { pgrep -u "$user" -f "$T/bin/digithek" >/dev/null; }

shot () { in_wayland grim - >"$T/$1.png" 2>>"$T/grim.log" && [ -s "$T/$1.png" ]; }
# The box of everything that is not cage's black background.
content_box () { convert "$T/$1.png" -fuzz 1% -trim -format '%wx%h%O' info: 2>/dev/null; }
size_of () { identify -format '%wx%h' "$T/$1.png"; }
# Pixels of the demo pictures' yellow: a grey placeholder box has none.
yellow_pixels () {
  convert "$T/$1.png" -fx '(r>0.85 && g>0.55 && g<0.8 && b<0.35) ? 1 : 0' \
    -format '%[fx:round(mean*w*h)]' info:
}
status_view () { in_session "$T/bin/digithek" --status 2>/dev/null | sed -n 's/.*"view" *: *"\([^"]*\)".*/\1/p'; }
wait_for_home () { # until the running kiosk reports home and its pictures are drawn
  local i
  for i in $(seq 200); do
    if [ "$(status_view)" = home ] && shot home && [ "$(yellow_pixels home)" -ge 1000 ]; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}
resize_output () { # resize_output W H: cage's X11 output follows its window
  xdotool --display "$display" windowsize "$output_window" "$1" "$2" 2>>"$T/xdotool.log" ||
    DISPLAY=$display xdotool windowsize "$output_window" "$1" "$2"
  local i
  for i in $(seq 50); do
    sleep 0.2
    shot resized && [ "$(size_of resized)" = "$1x$2" ] && break
  done
  settle resized
}
settle () { # settle NAME: shoot until two screenshots in a row agree (the frame is drawn)
  local i d
  shot "$1"
  for i in $(seq 30); do
    sleep 0.3
    cp "$T/$1.png" "$T/$1.prev.png"
    shot "$1"
    d=$(compare -metric AE "$T/$1.prev.png" "$T/$1.png" null: 2>&1)
    [ "${d%% *}" = 0 ] && return 0
  done
  return 1
}
fills () { # fills NAME W H: the screenshot is the whole output, and all of it the kiosk's
  local box
  box=$(content_box "$1")
  [ "$(size_of "$1")" = "$2x$3" ] && [ "$box" = "$2x$3+0+0" ]
}

echo "1..11"

# ---- the unit's command line ----
# GTK_DEBUG=interactive: as an attacker would set it, to open GTK's inspector.
start_cage env GTK_DEBUG=interactive "${kiosk_cmd[@]}"
if wait_for_home; then
  ok "cage runs the unit's command line and the kiosk shows home with its pictures"
else
  not_ok "cage runs the unit's command line and the kiosk shows home with its pictures" \
    "view: $(status_view)" "yellow pixels: $(yellow_pixels home 2>/dev/null)"
fi
size=$(size_of home)
if fills home "${size%x*}" "${size#*x}"; then
  ok "the kiosk fills cage's $size output"
else
  not_ok "the kiosk fills cage's $size output" "content box: $(content_box home)"
fi

for geometry in 1280x720 1024x600 1080x1920; do
  w=${geometry%x*} h=${geometry#*x}
  resize_output "$w" "$h"
  cp "$T/resized.png" "$T/output-$geometry.png"
  if fills "output-$geometry" "$w" "$h" && [ "$(yellow_pixels "output-$geometry")" -ge 500 ]; then
    ok "at $geometry the kiosk fills the output and shows its pictures"
  else
    not_ok "at $geometry the kiosk fills the output and shows its pictures" \
      "size: $(size_of "output-$geometry")" "content box: $(content_box "output-$geometry")" \
      "yellow pixels: $(yellow_pixels "output-$geometry")"
    cp "$T/output-$geometry.png" "${CAGE_SHOTS_DIR:-$T}/" 2>/dev/null
  fi
done
resize_output 1280 720
settle before-keys

# Keys reach the kiosk through cage: Tab draws a focus ring.
DISPLAY=$display xdotool windowfocus --sync "$output_window" 2>/dev/null
DISPLAY=$display xdotool key --clearmodifiers Tab
settle after-tab
difference=$(compare -metric AE -fuzz 2% "$T/before-keys.png" "$T/after-tab.png" null: 2>&1)
if [ "${difference%% *}" -ge 200 ] 2>/dev/null; then
  ok "keys reach the kiosk through cage (Tab moved the focus: $difference pixels differ)"
else
  not_ok "keys reach the kiosk through cage (Tab moved the focus)" "$difference pixels differ"
fi

# Keys that close, leave fullscreen, quit, switch away or open the inspector or a menu.
for key in alt+F4 F11 Escape ctrl+q ctrl+w ctrl+shift+d ctrl+shift+i super alt+Tab F10 shift+F10 Menu; do
  DISPLAY=$display xdotool key --clearmodifiers "$key"
  sleep 0.2
done
settle after-keys
if kiosk_alive; then
  ok "the kiosk is still running after the keys"
else
  not_ok "the kiosk is still running after the keys"
fi
if fills after-keys 1280 720 && [ "$(status_view)" = home ]; then
  ok "after the keys the kiosk still fills the output on home"
else
  not_ok "after the keys the kiosk still fills the output on home" \
    "content box: $(content_box after-keys)" "view: $(status_view)"
fi
# A menu, the inspector or another window would cover far more than a focus ring.
difference=$(compare -metric AE -fuzz 2% "$T/after-tab.png" "$T/after-keys.png" null: 2>&1)
if [ "${difference%% *}" -lt 10000 ] 2>/dev/null; then
  ok "no key opened anything over the kiosk ($difference pixels differ)"
else
  not_ok "no key opened anything over the kiosk" "$difference pixels differ"
fi
stop_cage

# ---- without --kiosk (a staff preview under cage): cage maximizes the window ----
unlocked=()
for arg in "${kiosk_cmd[@]}"; do
  [ "$arg" = --kiosk ] || unlocked+=("$arg")
done
start_cage "${unlocked[@]}"
if wait_for_home; then
  ok "without --kiosk the kiosk shows home under cage too"
else
  not_ok "without --kiosk the kiosk shows home under cage too" "view: $(status_view)"
fi
size=$(size_of home)
if fills home "${size%x*}" "${size#*x}"; then
  ok "without --kiosk cage's maximized window fills the output (not offset, not cut off)"
else
  not_ok "without --kiosk cage's maximized window fills the output" "content box: $(content_box home)"
fi
stop_cage

if [ -n "${CAGE_SHOTS_DIR:-}" ]; then
  mkdir -p "$CAGE_SHOTS_DIR"
  cp "$T"/*.png "$CAGE_SHOTS_DIR/"
  rm -f "$CAGE_SHOTS_DIR"/*.prev.png
fi
exit $failed
