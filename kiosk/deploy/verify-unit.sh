#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs `systemd-analyze verify` on the built kiosk unit and fails on any complaint.
# verify checks that ExecStart's program exists; where cage is not installed (a CI
# machine) a copy with /bin/sh in its place is checked, so that every other line still is.
#   verify-unit.sh SYSTEMD-ANALYZE UNIT
set -eu

analyze=$1
unit=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

name=$(basename "$unit")
if [ -x /usr/bin/cage ]; then
  cp "$unit" "$dir/$name"
else
  echo "# cage is not installed: checking with /bin/sh as ExecStart's program"
  sed 's|^ExecStart=/usr/bin/cage |ExecStart=/bin/sh |' "$unit" > "$dir/$name"
fi

# verify prints nothing for a clean unit; any line is a problem (an unknown option, a
# typo in a value, a missing program).
out=$("$analyze" verify --man=no "$dir/$name" 2>&1) || status=$?
if [ -n "$out" ] || [ "${status:-0}" -ne 0 ]; then
  printf '%s\n' "$out" >&2
  echo "systemd-analyze verify failed (exit ${status:-0})" >&2
  exit 1
fi
echo "systemd-analyze verify: $name is clean"
