#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End-to-end sync against a real nginx (Debian nginx-light) serving a published channel:
# a full sync, a one-file change that downloads only what changed, and the attack table
# (tampered object, foreign key, older serial, expired index), each refused with a
# one-line reason, leaving the installed content intact, and followed by a genuine update
# that is accepted; and two publishes within one second, which nginx's ETag (mtime seconds
# and size) must still tell apart. Prints TAP; exit 77 (skip) only when a needed program is absent.
set -u

DIGITHEK_BIN=${DIGITHEK_BIN:?DIGITHEK_BIN is not set}
DIGITHEK_PACK_BIN=${DIGITHEK_PACK_BIN:?DIGITHEK_PACK_BIN is not set}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for prog in "$NGINX" faketime curl jq sqlite3; do
  if ! command -v "$prog" >/dev/null 2>&1; then
    echo "1..0 # SKIP $prog is not installed (.ci/deps test installs it)"
    exit 77
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/digithek-sync-nginx.XXXXXX")
# nginx's workers run as an unprivileged user when started as root: they must reach the
# channel through this folder.
chmod 0755 "$T"
NGINX_PID=
cleanup () {
  if [ -n "$NGINX_PID" ]; then
    kill "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
  fi
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
bail () { echo "Bail out! $*"; [ -f "$T/error.log" ] && sed 's/^/# nginx: /' "$T/error.log" | tail -5; exit 1; }

# ---- packs ----
# make_pack DIR ID VERSION ROWS TEXT: a dataset with ROWS rows and two explainers, one
# of which (a.md) carries TEXT.
make_pack () {
  local dir=$1 id=$2 version=$3 rows=$4 text=$5
  mkdir -p "$dir/texts"
  cat > "$dir/pack.json" <<EOF
{ "format": 1, "id": "$id", "version": $version, "title": {"de": "Paket $id"},
  "languages": ["de"],
  "items": [
    {"id": "daten", "kind": "dataset", "title": {"de": "Daten"}, "data": "data.csv",
     "csv": {"delimiter": ";", "decimal": ".", "encoding": "UTF-8"},
     "chart": {"type": "line", "x": "Jahr", "y": ["Wert"]},
     "source": {"name": "Test", "license": "CC0-1.0"}},
    {"id": "a", "kind": "explainer", "title": {"de": "A"}, "body": {"de": "texts/a.md"}},
    {"id": "b", "kind": "explainer", "title": {"de": "B"}, "body": {"de": "texts/b.md"}}
  ] }
EOF
  { echo "Jahr;Wert"; seq 1 "$rows" | awk '{ printf "%d;%d.5\n", 1000 + $1, $1 }'; } > "$dir/data.csv"
  printf '# A\n\n%s\n' "$text" > "$dir/texts/a.md"
  printf '# B\n\nUnverändert.\n' > "$dir/texts/b.md"
}

set_version () { # set_version DIR VERSION
  sed -i "s/\"version\": [0-9]*/\"version\": $2/" "$1/pack.json"
}

publish () { # publish CHANNEL KEY [EXTRA ARGS]: both packs
  local chan=$1 key=$2; shift 2
  "$DIGITHEK_PACK_BIN" publish "$T/src/alpha" "$T/src/beta" --key "$key" --out "$chan" "$@" \
    > "$T/publish.log" 2>&1 || { sed 's/^/# /' "$T/publish.log"; bail "publish failed"; }
}

STORE=$T/store.db
sync_once () { # runs a sync against nginx; output in $T/out, $T/err, status in $rc
  "$@" "$DIGITHEK_BIN" --sync-once --store "$STORE" --channel "http://127.0.0.1:$PORT/" \
    --trust "$T/key.pub" > "$T/out" 2> "$T/err"
  rc=$?
}
packs () { "$DIGITHEK_BIN" --status --store "$STORE" | jq -c '[.packs[] | {id, version, previous_version, items, rows}]'; }
requested () { awk '$2 == 200 || $2 == 206 { print $1 }' "$T/access.log" | sort; }
downloaded_bytes () { awk '{ s += $3 } END { print s + 0 }' "$T/access.log"; }

# ---- nginx ----
start_nginx () {
  local try
  mkdir -p "$T/nginx-tmp"
  for try in 1 2 3 4 5 6 7 8 9 10; do
    PORT=$((20000 + RANDOM % 40000))
    cat > "$T/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/error.log;
events { worker_connections 64; }
http {
  log_format sync '\$request_uri \$status \$bytes_sent';
  access_log $T/access.log sync;
  client_body_temp_path $T/nginx-tmp/body;
  proxy_temp_path $T/nginx-tmp/proxy;
  fastcgi_temp_path $T/nginx-tmp/fastcgi;
  uwsgi_temp_path $T/nginx-tmp/uwsgi;
  scgi_temp_path $T/nginx-tmp/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$PORT;
    root $T/served;
  }
}
EOF
    : > "$T/error.log"
    "$NGINX" -e "$T/error.log" -c "$T/nginx.conf" -p "$T" 2>> "$T/error.log" &
    NGINX_PID=$!
    local i
    for i in $(seq 50); do
      if ! kill -0 "$NGINX_PID" 2>/dev/null; then
        break
      fi
      if curl -sf -o /dev/null "http://127.0.0.1:$PORT/index.json"; then
        return 0
      fi
      sleep 0.1
    done
    kill "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
    NGINX_PID=
    # Another port, unless nginx failed for another reason than the address.
    grep -q "Address already in use" "$T/error.log" || break
  done
  bail "nginx did not start (or cannot read the channel in $T/served)"
}

# refused NAME WORD: the last sync failed with one line naming WORD; packs unchanged.
refused () {
  local name=$1 word=$2 lines
  lines=$(grep -c . "$T/err")
  if [ "$rc" -ne 0 ] && [ "$lines" -eq 1 ] && grep -qi -- "$word" "$T/err"; then
    ok "$name: refused ($(cat "$T/err"))"
  else
    not_ok "$name: refused with one line naming \"$word\"" "exit $rc" \
      "stderr: $(tr '\n' '|' < "$T/err")" "stdout: $(tr '\n' '|' < "$T/out")"
  fi
  local now
  now=$(packs)
  if [ "$now" = "$before" ]; then
    ok "$name: installed content intact"
  else
    not_ok "$name: installed content intact" "before: $before" "after:  $now"
  fi
}
accepted () { # accepted NAME EXPECTED-ALPHA-VERSION
  local v
  v=$(packs | jq '.[] | select(.id == "alpha") | .version')
  if [ "$rc" -eq 0 ] && [ "$v" = "$2" ]; then
    ok "$1: accepted (alpha at version $v)"
  else
    not_ok "$1: accepted" "exit $rc, alpha at version $v, expected $2" \
      "stderr: $(tr '\n' '|' < "$T/err")"
  fi
  before=$(packs)
}

echo "1..22"

"$DIGITHEK_PACK_BIN" keygen --out "$T/key" > /dev/null || bail "keygen failed"
"$DIGITHEK_PACK_BIN" keygen --out "$T/other" > /dev/null || bail "keygen failed"
make_pack "$T/src/alpha" alpha 1 500 "Erste Fassung."
make_pack "$T/src/beta" beta 1 300 "Beta."
CHAN=$T/channel
publish "$CHAN" "$T/key"
# Copies keep their mtimes (cp -p), so each index file keeps the ETag nginx gave it.
cp -p "$CHAN/index.json" "$T/index-serial1.json"
cp -p "$CHAN/index.json.sig" "$T/index-serial1.json.sig"
ln -s "$CHAN" "$T/served"
start_nginx

# 1. Full sync.
: > "$T/access.log"
sync_once
expected='[{"id":"alpha","version":1,"previous_version":null,"items":3,"rows":500},{"id":"beta","version":1,"previous_version":null,"items":3,"rows":300}]'
got=$(packs)
if [ "$rc" -eq 0 ] && [ "$got" = "$expected" ]; then
  ok "full sync: status shows both packs at version 1 ($(tr '\n' ' ' < "$T/out"))"
else
  not_ok "full sync" "exit $rc: $(cat "$T/err")" "packs: $got"
fi
total=$(du -sb --apparent-size "$CHAN" | cut -f1)
echo "# full sync downloaded $(downloaded_bytes) bytes of a $total-byte channel"
"$DIGITHEK_BIN" --sync-once --store "$STORE" --channel "http://127.0.0.1:$PORT/" \
  --trust "$T/key.pub" > "$T/out" 2> "$T/err"
rc=$?
check "a second sync is up to date" test "$rc" -eq 0 -a "$(cat "$T/out")" = "up to date"

# 2. One changed Markdown file: only the index, its signature, the manifest and the file.
printf '# A\n\n%s\n' "Zweite Fassung." > "$T/src/alpha/texts/a.md"
set_version "$T/src/alpha" 2
publish "$CHAN" "$T/key"
: > "$T/access.log"
sync_once
manifest=$(jq -r '.packs[] | select(.id == "alpha") | .manifest.sha256' "$CHAN/index.json")
changed=$(sha256sum "$T/src/alpha/texts/a.md" | cut -d' ' -f1)
want=$(printf '%s\n' /index.json /index.json.sig "/objects/${manifest:0:2}/$manifest" \
  "/objects/${changed:0:2}/$changed" | sort)
got=$(requested)
if [ "$rc" -eq 0 ] && [ "$got" = "$want" ] && grep -q "alpha: 1 → 2" "$T/out"; then
  ok "one-file change: downloaded only index, signature, manifest and the file ($(downloaded_bytes) bytes)"
else
  not_ok "one-file change downloads only what changed" "exit $rc: $(cat "$T/err")" \
    "stdout: $(tr '\n' '|' < "$T/out")" "requested: $(echo $got)" "expected:  $(echo $want)"
fi
before=$(packs)
check "one-file change: beta untouched, alpha at 2 with 1 as previous" \
  test "$(echo "$before" | jq -c '[.[] | [.id, .version, .previous_version]]')" = '[["alpha",2,1],["beta",1,null]]'

# 3. Tampered object: a byte flipped in the new object on disk.
printf '# A\n\n%s\n' "Dritte Fassung." > "$T/src/alpha/texts/a.md"
set_version "$T/src/alpha" 3
publish "$CHAN" "$T/key"
sha=$(sha256sum "$T/src/alpha/texts/a.md" | cut -d' ' -f1)
obj=$CHAN/objects/${sha:0:2}/$sha
cp "$obj" "$T/saved-object"
printf 'X' | dd of="$obj" bs=1 seek=5 conv=notrunc status=none
sync_once
refused "tampered object" "SHA-256"
cp "$T/saved-object" "$obj"
sync_once
accepted "after the tampered object, the genuine update" 3

# 4. Foreign key: a copy of the channel published with another key.
cp -a "$CHAN" "$T/foreign"
printf '# A\n\n%s\n' "Fremde Fassung." > "$T/src/alpha/texts/a.md"
set_version "$T/src/alpha" 4
publish "$T/foreign" "$T/other"
ln -sfn "$T/foreign" "$T/served"
sync_once
refused "foreign key" "signature"
ln -sfn "$CHAN" "$T/served"
printf '# A\n\n%s\n' "Vierte Fassung." > "$T/src/alpha/texts/a.md"
publish "$CHAN" "$T/key"
sync_once
accepted "after the foreign key, the genuine update" 4

# 5. Older serial: the first index and its signature restored, as they were.
cp -p "$CHAN/index.json" "$T/index-current.json"
cp -p "$CHAN/index.json.sig" "$T/index-current.json.sig"
cp -p "$T/index-serial1.json" "$CHAN/index.json"
cp -p "$T/index-serial1.json.sig" "$CHAN/index.json.sig"
sync_once
refused "older serial" "older"
cp -p "$T/index-current.json" "$CHAN/index.json"
cp -p "$T/index-current.json.sig" "$CHAN/index.json.sig"
printf '# A\n\n%s\n' "Fünfte Fassung." > "$T/src/alpha/texts/a.md"
set_version "$T/src/alpha" 5
publish "$CHAN" "$T/key"
sync_once
accepted "after the older serial, the genuine update" 5

# 6. Expired index: a 30-day index, the kiosk's clock 40 days ahead.
printf '# A\n\n%s\n' "Sechste Fassung." > "$T/src/alpha/texts/a.md"
set_version "$T/src/alpha" 6
publish "$CHAN" "$T/key" --expires 30
FAKETIME_DONT_FAKE_MONOTONIC=1 sync_once faketime '+40 days'
refused "expired index" "expired"
sync_once
accepted "after the expired index, the same index with the right clock" 6

# 7. Publishes within one second. nginx's ETag is the index's mtime in whole seconds and
# its size, the size of an index rarely changes, and the kiosk asks with If-None-Match:
# the publisher makes each new index's mtime later than the old one's, so the kiosk is not
# told "not modified". Started just after a second begins, so that publish, sync and
# publish fall within one second (the time is printed).
sleep "$(awk -v ns="$(date +%N)" 'BEGIN { printf "%.3f", 1 - ns / 1e9 }')"
t0=$(date +%s.%N)
printf '# A\n\n%s\n' "Siebte Fassung." > "$T/src/alpha/texts/a.md"
set_version "$T/src/alpha" 7
publish "$CHAN" "$T/key"
size1=$(stat -c %s "$CHAN/index.json")
etag1=$(curl -sI "http://127.0.0.1:$PORT/index.json" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')
sync_once
accepted "two publishes in one second: the first is installed" 7
printf '# A\n\n%s\n' "Achte Fassung." > "$T/src/alpha/texts/a.md"
set_version "$T/src/alpha" 8
publish "$CHAN" "$T/key"
t1=$(date +%s.%N)
size2=$(stat -c %s "$CHAN/index.json")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag1" "http://127.0.0.1:$PORT/index.json")
echo "# publish, sync, publish from $t0 to $t1; index sizes $size1 and $size2; old ETag $etag1 now answers $code"
check "two publishes in one second: the new index, of the same size, has a new ETag" \
  test -n "$etag1" -a "$size1" = "$size2" -a "$code" = 200
sync_once
accepted "two publishes in one second: the second is installed, not 304" 8

# The store stayed sound through all of it.
check "store passes integrity_check" test "$(sqlite3 "$STORE" 'PRAGMA integrity_check')" = ok
check "last_sync recorded ok" test "$("$DIGITHEK_BIN" --status --store "$STORE" | jq -c '.last_sync | [.ok, .error]')" = '[true,null]'
check "nginx served everything it was asked for without errors" \
  test "$(grep -c '\[\(error\|crit\|alert\|emerg\)\]' "$T/error.log")" -eq 0

exit $failed
