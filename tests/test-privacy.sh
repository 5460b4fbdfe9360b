#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Nothing a citizen types or opens outlives the session. The real kiosk runs with HOME,
# the XDG folders and TMPDIR inside a temp tree; a canary string (random, never written
# to a file by this test) is typed on the keyboard, searched for when the kiosk has a
# search action, and used as an item id and action argument, while items with their QR
# codes open. After the idle reset (--idle-timeout 3) the canary must be found nowhere:
# not under HOME or the XDG folders, not in TMPDIR or in any file written to /tmp during
# the test, not in the store or its WAL and SHM, not in what the kiosk printed.
# Runs on its own Xvfb and session bus (kiosk-x11-env.sh). Prints TAP; exit 77 (skip)
# when a program is absent.
set -u

DIGITHEK_BIN=${DIGITHEK_BIN:?DIGITHEK_BIN is not set}
for prog in Xvfb openbox xdotool xprop dbus-daemon gapplication; do
  if ! command -v "$prog" >/dev/null 2>&1; then
    echo "1..0 # SKIP $prog is not installed (.ci/deps test installs it)"
    exit 77
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/digithek-privacy.XXXXXX")
REAL_TMP=${TMPDIR:-/tmp}
KIOSK_PID=
cleanup () {
  if [ -n "$KIOSK_PID" ]; then
    kill "$KIOSK_PID" 2>/dev/null
    wait "$KIOSK_PID" 2>/dev/null
  fi
  x11_env_cleanup
  [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
bail () { echo "Bail out! $*"; [ -f "$T/kiosk.log" ] && sed 's/^/# kiosk: /' "$T/kiosk.log" | tail -20; exit 1; }

. "$(dirname "$0")/kiosk-x11-env.sh"
x11_env_start

# A marker: files written after it were written during the test.
touch "$T/start"
sleep 1

# The citizen's world, all inside the temp tree.
export HOME=$T/home
export XDG_DATA_HOME=$T/home/.local/share XDG_CONFIG_HOME=$T/home/.config
export XDG_CACHE_HOME=$T/home/.cache XDG_STATE_HOME=$T/home/.local/state
export XDG_RUNTIME_DIR=$T/run TMPDIR=$T/tmp
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$TMPDIR"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
printf '[kiosk]\nlanguage = de\n' > "$T/kiosk.ini"

# The canary lives only in this shell's memory; lower case, so xdotool types it as is.
CANARY=kanarienvogel$RANDOM$RANDOM$$

# ---- the grep itself can find a canary ----
mkdir -p "$T/control"
printf 'x%sx\n' "$CANARY" > "$T/control/planted"
if grep -rqF "$CANARY" "$T/control"; then
  ok "control: a planted canary is found"
else
  not_ok "control: a planted canary is found"
fi
rm -rf "$T/control"

# ---- a citizen's session ----
"$DIGITHEK_BIN" --demo --kiosk --idle-timeout 3 --config "$T/kiosk.ini" >"$T/kiosk.log" 2>&1 &
KIOSK_PID=$!

status () { "$DIGITHEK_BIN" --status 2>/dev/null; }
view_is () { status | grep -q "\"view\" : \"$1\""; }
wait_view () { # wait_view VIEW SECONDS
  local i
  for i in $(seq $(($2 * 10))); do
    view_is "$1" && return 0
    kill -0 "$KIOSK_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
act () { gapplication action org.digithek.Kiosk "$@" >/dev/null 2>&1; }

wait_view home 60 || wait_view attract 5 || bail "the kiosk did not start"
# The running kiosk's store: the demo's, inside TMPDIR.
STORE=
for _ in $(seq 50); do
  STORE=$(status | sed -n 's/.*"store" : "\(.*\)",*$/\1/p' | head -1)
  case "$STORE" in "$TMPDIR"/*) break ;; esac
  sleep 0.2
done
case "$STORE" in "$TMPDIR"/*) ;; *) bail "the running kiosk's store is not in TMPDIR: $STORE" ;; esac
echo "# store: $STORE"

# Every 2 s, something: the 3 s idle timeout must not strike in the middle.
act open-item "'e-government/online-ausweis'"
sleep 1
# The canary as an item id and as a malformed action argument.
act open-item "'$CANARY/$CANARY'"
act open-item "'$CANARY'"
act start-tour "'$CANARY'"
act set-language "'$CANARY'"
sleep 1
act open-item "'offene-daten-konstanz/temperatur-konstanz'"
wait_view "item:offene-daten-konstanz/temperatur-konstanz" 5 ||
  not_ok "an item with its QR code opens" "$(status | tr '\n' ' ')"
# Typed on the keyboard, into whatever has the focus (the search field once there is one).
WIN=$(xdotool search --pid "$KIOSK_PID" --onlyvisible 2>/dev/null | head -1)
[ -n "$WIN" ] && xdotool windowfocus "$WIN" 2>/dev/null
xdotool type --delay 20 "$CANARY"
# And searched for, when the kiosk has a search action.
if gdbus call --session --dest org.digithek.Kiosk --object-path /org/digithek/Kiosk \
     --method org.gtk.Actions.List 2>/dev/null | grep -q "'search'"; then
  act search "'$CANARY'"
  echo "# searched for the canary"
fi
act open-item "'smart-city-konstanz/rundgang-smarte-stadt'"

# ---- the idle reset ----
if wait_view attract 15; then
  ok "the idle reset ends the session (attract loop)"
else
  not_ok "the idle reset ends the session (attract loop)" "$(status | tr '\n' ' ')"
fi
sleep 1

# ---- nowhere ----
found_in () { # found_in DESCRIPTION FILES-OR-DIRS...: not ok when the canary is in any
  local d=$1 hits; shift
  hits=$(grep -rlaF "$CANARY" "$@" 2>/dev/null)
  if [ -z "$hits" ]; then
    ok "no canary $d"
  else
    not_ok "no canary $d" $hits
  fi
}
found_in "under HOME and the XDG folders" "$HOME" "$XDG_RUNTIME_DIR"
found_in "in TMPDIR" "$TMPDIR"
found_in "in the store, its WAL and SHM" "$STORE" "$STORE-wal" "$STORE-shm" "$STORE-journal"
found_in "in the kiosk's output" "$T/kiosk.log"
# Everything written to the real /tmp during the test (other tests' files included).
recent=$(find "$REAL_TMP" -xdev -type f -newer "$T/start" -size -64M 2>/dev/null | grep -v "^$T/")
if [ -n "$recent" ]; then
  # shellcheck disable=SC2086
  found_in "in files written to $REAL_TMP during the test" $recent
else
  ok "no canary in files written to $REAL_TMP during the test (none)"
fi

# The kiosk ends cleanly; its temporary store goes with it, and still no canary.
kill "$KIOSK_PID"
wait "$KIOSK_PID" 2>/dev/null
KIOSK_PID=
found_in "anywhere in the temp tree after the kiosk ended" "$T"

echo "1..$n"
exit $failed
