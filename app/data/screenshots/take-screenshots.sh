#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Retakes the AppStream screenshots from the demo: the home view at 1920x1080 and at
# 1080x1920, in English, under Xvfb and openbox, with Cairo rendering so that any
# machine gives the same pixels.
#   app/data/screenshots/take-screenshots.sh BUILDDIR
# Needs xvfb, openbox, imagemagick and dbus.
set -euo pipefail

build=$(realpath "${1:?usage: $0 BUILDDIR}")
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '[kiosk]\nlanguage = en\n' > "$work/kiosk.ini"

shoot () {
  local display=$1 size=$2 out=$3

  Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp &
  local xvfb=$!
  sleep 1.5
  DISPLAY=$display openbox &
  local openbox=$!
  sleep 1
  # The app, its session bus and the capture in one dbus-run-session, so that the bus
  # goes when the app does; no accessibility bus, which would outlive both.
  DISPLAY=$display GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none LANG=C.UTF-8 \
    dbus-run-session -- bash -c '
      "$1" --demo --kiosk --config "$2" &
      app=$!
      # Long enough for the demo store to be imported and the first frame drawn.
      sleep 7
      import -window root "$3"
      kill "$app"
      wait "$app" || true' bash "$build/app/digithek" "$work/kiosk.ini" "$work/shot.png"
  kill "$openbox" "$xvfb"
  wait "$openbox" "$xvfb" 2>/dev/null || true
  # No metadata (import stamps the time), and AppStream wants it small.
  convert "$work/shot.png" -strip "$here/$out"
}

shoot :57 1920x1080 home-landscape.png
shoot :58 1080x1920 home-portrait.png
ls -l "$here"/*.png
