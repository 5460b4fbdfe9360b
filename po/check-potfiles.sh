#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a source file with translatable strings is missing from POTFILES.in,
# when POTFILES.in names a file that does not exist, or when it is not sorted.
set -eu
top=${1:?usage: check-potfiles.sh SOURCE-ROOT}
cd "$top"
status=0

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')

if [ "$listed" != "$(printf '%s\n' "$listed" | LC_ALL=C sort)" ]; then
  echo "po/POTFILES.in is not sorted"
  status=1
fi

for f in $listed; do
  [ -f "$f" ] || { echo "po/POTFILES.in names $f, which does not exist"; status=1; }
done

for f in $(grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext) ?\(' \
             --include='*.c' app ui kiosk content) \
         $(grep -rl 'translatable="yes"' --include='*.ui' ui app); do
  if ! printf '%s\n' "$listed" | grep -qx "$f"; then
    echo "$f has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

exit $status
