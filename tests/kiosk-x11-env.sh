# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the shell tests that run the real kiosk on a screen of their own: a private
# Xvfb, an openbox window manager (which, like cage in production, honours fullscreen
# and sends close requests) and a private session bus, so that nothing they do touches
# another test. Expects $T (a temp folder the test removes) and a `bail` function; sets
# DISPLAY and DBUS_SESSION_BUS_ADDRESS and x11_env_cleanup stops it all.

XVFB_PID= WM_PID= BUS_PID=

x11_env_start () {
  exec 3>"$T/display"
  Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp >"$T/xvfb.log" 2>&1 &
  XVFB_PID=$!
  exec 3>&-
  for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
  [ -s "$T/display" ] || bail "Xvfb did not start"
  export DISPLAY=:$(head -1 "$T/display")
  unset WAYLAND_DISPLAY

  dbus-daemon --session --fork --print-address=1 --print-pid=4 4>"$T/bus.pid" >"$T/bus.address" \
    || bail "no session bus"
  BUS_PID=$(cat "$T/bus.pid")
  export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$T/bus.address")

  openbox --sm-disable >"$T/openbox.log" 2>&1 &
  WM_PID=$!
  for _ in $(seq 100); do
    xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && break
    sleep 0.1
  done
  xprop -root _NET_SUPPORTING_WM_CHECK | grep -q 'window id' || bail "openbox did not start"
}

x11_env_cleanup () {
  for p in $WM_PID $BUS_PID $XVFB_PID; do
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
}
