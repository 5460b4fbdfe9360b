#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Nothing in the product ever launches another program or a browser, and no file chooser
# or print dialog exists in it: a kiosk that can open one is a way out of the kiosk.
# Greps the product's sources (app/, ui/, kiosk/, content/: C, headers and .ui
# templates) for the APIs that would do it and fails on any hit, naming file and line.
# Usage: test-no-launch.sh [SOURCE-ROOT] (default: the checkout this script is in).
# Prints TAP.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}

pattern='gtk_show_uri|g_app_info_launch|g_app_info_launch_default|gtk_uri_launcher|gtk_file_launcher'
pattern+='|g_spawn|posix_spawn|\bsystem *\(|\bpopen *\(|\bexecv|\bexecl'
pattern+='|GtkFileChooser|gtk_file_chooser|GtkFileDialog|gtk_file_dialog'
pattern+='|GtkPrintOperation|gtk_print_|GtkPrintDialog|GtkPrintUnixDialog'
pattern+='|GtkAppChooser|gtk_app_chooser|GtkMountOperation'

n=0
failed=0
for dir in app ui kiosk content; do
  n=$((n + 1))
  if [ ! -d "$root/$dir" ]; then
    echo "not ok $n - $dir/ exists"
    failed=1
    continue
  fi
  hits=$(grep -rnE --include='*.c' --include='*.h' --include='*.ui' "$pattern" "$root/$dir" 2>/dev/null)
  if [ -z "$hits" ]; then
    echo "ok $n - $dir/ launches nothing and has no file chooser or print dialog"
  else
    echo "not ok $n - $dir/ launches a program or has a file chooser or print dialog"
    echo "$hits" | sed "s|^$root/|#   |"
    failed=1
  fi
done

# The check itself must be able to fail: a planted hit in a copy of a source is found.
n=$((n + 1))
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digithek-no-launch.XXXXXX")
mkdir -p "$tmp/app" "$tmp/ui" "$tmp/kiosk" "$tmp/content"
printf 'static void f (void) { g_spawn_command_line_async ("xterm", NULL); }\n' > "$tmp/ui/planted.c"
if grep -rqE --include='*.c' "$pattern" "$tmp/ui"; then
  echo "ok $n - a planted g_spawn call is caught"
else
  echo "not ok $n - a planted g_spawn call is caught"
  failed=1
fi
rm -rf "$tmp"

echo "1..$n"
exit $failed
