#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sync benchmarks against a real nginx on loopback (not part of `meson test`; run by
# tests/bench/run, which sets DIGITHEK_BIN and DIGITHEK_PACK_BIN):
#   sync-redownload  one changed 10 KB file in a ~100 MB channel: bytes re-downloaded
#                    against the channel's size (bar: ≤ 1 %)
#   sync-throughput  download throughput of a sync of a ~200 MB channel against curl
#                    fetching the same object files in the same run (bar: ≥ 70 %)
# Both download windows are taken from nginx's access log ($msec, $request_time), so the
# sync and curl are timed the same way; the sync's whole run (with validation and import)
# is printed for information.
# Options: --small-mb N (default 100), --large-mb N (default 200), --repeat N (default 2,
# the best run of each side counts).
set -u

DIGITHEK_BIN=${DIGITHEK_BIN:?DIGITHEK_BIN is not set (tests/bench/run sets it)}
DIGITHEK_PACK_BIN=${DIGITHEK_PACK_BIN:?DIGITHEK_PACK_BIN is not set}
small_mb=100
large_mb=200
repeat=2
while [ $# -gt 0 ]; do
  case $1 in
    --small-mb) small_mb=$2; shift 2 ;;
    --large-mb) large_mb=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "usage: $0 [--small-mb N] [--large-mb N] [--repeat N]" >&2; exit 2 ;;
  esac
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for prog in "$NGINX" curl; do
  command -v "$prog" >/dev/null 2>&1 || { echo "bench-sync: $prog is not installed" >&2; exit 1; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/digithek-bench-sync.XXXXXX")
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
die () { echo "bench-sync: $*" >&2; exit 1; }

start_nginx () {
  local try i
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
  log_format sync '\$request_uri \$status \$bytes_sent \$msec \$request_time';
  access_log $T/access.log sync;
  client_body_temp_path $T/nginx-tmp/body;
  proxy_temp_path $T/nginx-tmp/proxy;
  fastcgi_temp_path $T/nginx-tmp/fastcgi;
  uwsgi_temp_path $T/nginx-tmp/uwsgi;
  scgi_temp_path $T/nginx-tmp/scgi;
  default_type application/octet-stream;
  sendfile on;
  server {
    listen 127.0.0.1:$PORT;
    root $T/served;
  }
}
EOF
    : > "$T/error.log"
    "$NGINX" -e "$T/error.log" -c "$T/nginx.conf" -p "$T" 2>> "$T/error.log" &
    NGINX_PID=$!
    for i in $(seq 50); do
      kill -0 "$NGINX_PID" 2>/dev/null || break
      curl -sf -o /dev/null "http://127.0.0.1:$PORT/index.json" && return 0
      sleep 0.1
    done
    kill "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
    NGINX_PID=
    grep -q "Address already in use" "$T/error.log" || break
  done
  die "nginx did not start: $(tail -3 "$T/error.log")"
}

# make_pack DIR ID BULK-MB [ROWS]: explainers whose Markdown carries the bulk (files of at
# most 40 MB, incompressible text), a 10 KB explainer (small.md), and a dataset of ROWS rows.
make_pack () {
  local dir=$1 id=$2 mb=$3 rows=${4:-1000} items="" i=0 left=$3 chunk
  mkdir -p "$dir"
  while [ "$left" -gt 0 ]; do
    i=$((i + 1))
    chunk=$(( left > 40 ? 40 : left ))
    left=$((left - chunk))
    # base64 of random bytes: 4/3 as long, so read 3/4 of the wanted size.
    { echo "# Teil $i"; echo; head -c $((chunk * 1024 * 1024 * 3 / 4)) /dev/urandom | base64 -w 76; } > "$dir/bulk-$i.md"
    items="$items{\"id\": \"bulk-$i\", \"kind\": \"explainer\", \"title\": {\"de\": \"Teil $i\"}, \"body\": {\"de\": \"bulk-$i.md\"}},"
  done
  { echo "# Klein"; echo; head -c 7680 /dev/urandom | base64 -w 76; } > "$dir/small.md"
  { echo "Jahr;Wert"; seq 1 "$rows" | awk '{ printf "%d;%d.5\n", 1000 + $1, $1 }'; } > "$dir/data.csv"
  cat > "$dir/pack.json" <<EOF
{ "format": 1, "id": "$id", "version": 1, "title": {"de": "Paket $id"}, "languages": ["de"],
  "items": [ $items
    {"id": "klein", "kind": "explainer", "title": {"de": "Klein"}, "body": {"de": "small.md"}},
    {"id": "daten", "kind": "dataset", "title": {"de": "Daten"}, "data": "data.csv",
     "csv": {"delimiter": ";", "decimal": ".", "encoding": "UTF-8"},
     "chart": {"type": "line", "x": "Jahr", "y": ["Wert"]},
     "source": {"name": "Test", "license": "CC0-1.0"}} ] }
EOF
}

publish () { # publish CHANNEL DIR...
  local chan=$1; shift
  "$DIGITHEK_PACK_BIN" publish "$@" --key "$T/key" --out "$chan" > "$T/publish.log" 2>&1 \
    || die "publish failed: $(cat "$T/publish.log")"
}
sync_once () { # sync_once STORE
  "$DIGITHEK_BIN" --sync-once --store "$1" --channel "http://127.0.0.1:$PORT/" \
    --trust "$T/key.pub" > "$T/out" 2> "$T/err" || die "sync failed: $(cat "$T/err")"
}
channel_bytes () { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }'; }
log_bytes () { awk '{ s += $3 } END { printf "%d\n", s }' "$T/access.log"; }
# The download window of the object requests: first request start to last response end.
log_window () {
  awk '$1 ~ /^\/objects\// { start = $4 - $5; if (first == "" || start < first) first = start;
       if ($4 > last) last = $4; bytes += $3 }
       END { printf "%d %.3f\n", bytes, last - first }' "$T/access.log"
}

"$DIGITHEK_PACK_BIN" keygen --out "$T/key" > /dev/null || die "keygen failed"

# ---- (a) one changed 10 KB file in a ~100 MB channel ----
packs=4
per_pack=$(( small_mb / packs ))
for p in $(seq "$packs"); do
  make_pack "$T/src/pack-$p" "pack-$p" "$per_pack" 50000
done
publish "$T/channel-a" "$T"/src/pack-*
ln -sfn "$T/channel-a" "$T/served"
start_nginx
sync_once "$T/store-a.db"
{ echo "# Klein, geändert"; echo; head -c 7680 /dev/urandom | base64 -w 76; } > "$T/src/pack-2/small.md"
sed -i 's/"version": 1/"version": 2/' "$T/src/pack-2/pack.json"
publish "$T/channel-a" "$T"/src/pack-*
total=$(channel_bytes "$T/channel-a")
: > "$T/access.log"
sync_once "$T/store-a.db"
grep -q "pack-2: 1 → 2" "$T/out" || die "the update was not installed: $(cat "$T/out")"
again=$(log_bytes)
awk -v a="$again" -v t="$total" -v f="$(stat -c %s "$T/src/pack-2/small.md")" 'BEGIN {
  pct = 100 * a / t
  printf "sync-redownload: %.4f %% (%d bytes for a %d-byte file; reference: %d-byte channel, bar: <= 1 %%) %s\n",
    pct, a, f, t, (pct <= 1 ? "PASS" : "FAIL") }'

# ---- (b) throughput of a ~200 MB channel against curl ----
rm -rf "$T/src" "$T/channel-a" "$T"/store-a.db*
make_pack "$T/src/bulk" bulk "$large_mb" 1000
publish "$T/channel-b" "$T/src/bulk"
ln -sfn "$T/channel-b" "$T/served"
best_sync=0 best_curl=0 whole=
for r in $(seq "$repeat"); do
  rm -rf "$T"/store-b.db* "$T"/curl-out
  sync -f "$T" 2>/dev/null
  : > "$T/access.log"
  start=$(date +%s%N)
  sync_once "$T/store-b.db"
  end=$(date +%s%N)
  read -r bytes secs < <(log_window)
  rate=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / s / 1048576 }')
  whole="$whole $(awk -v b="$bytes" -v ns=$((end - start)) 'BEGIN { printf "%.1f", b / (ns / 1e9) / 1048576 }')"
  best_sync=$(awk -v a="$best_sync" -v b="$rate" 'BEGIN { print (b > a ? b : a) }')

  # curl fetches the same object files, one connection, to files as the sync does.
  mkdir -p "$T/curl-out"
  args=()
  while read -r rel; do
    args+=(-o "$T/curl-out/$(basename "$rel")" "http://127.0.0.1:$PORT/$rel")
  done < <(cd "$T/channel-b" && find objects -type f)
  : > "$T/access.log"
  curl -sf "${args[@]}" || die "curl failed"
  read -r cbytes csecs < <(log_window)
  crate=$(awk -v b="$cbytes" -v s="$csecs" 'BEGIN { printf "%.1f", b / s / 1048576 }')
  best_curl=$(awk -v a="$best_curl" -v b="$crate" 'BEGIN { print (b > a ? b : a) }')
  echo "# run $r: sync downloads $bytes bytes at $rate MiB/s, curl $cbytes bytes at $crate MiB/s"
done
echo "# whole sync runs (download, validation, import), MiB/s:$whole"
awk -v s="$best_sync" -v c="$best_curl" 'BEGIN {
  pct = 100 * s / c
  printf "sync-throughput: %.0f %% of curl (%.1f MiB/s; reference: curl %.1f MiB/s, bar: >= 70 %%) %s\n",
    pct, s, c, (pct >= 70 ? "PASS" : "FAIL") }'
