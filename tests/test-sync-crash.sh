#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kill -9 at random moments of a large sync (version 1 → 2 of two packs, a few MB, from a
# local-folder channel), many rounds: after each kill the store passes integrity_check and
# holds each pack at the old or the new version, never a mix (version, items and rows all
# of one version), and a normal sync then completes and installs version 2.
# Prints TAP; exit 77 (skip) only when a needed program is absent.
# CRASH_ROUNDS (default 20) sets the number of rounds.
set -u

DIGITHEK_BIN=${DIGITHEK_BIN:?DIGITHEK_BIN is not set}
DIGITHEK_PACK_BIN=${DIGITHEK_PACK_BIN:?DIGITHEK_PACK_BIN is not set}
ROUNDS=${CRASH_ROUNDS:-20}
for prog in jq sqlite3; do
  if ! command -v "$prog" >/dev/null 2>&1; then
    echo "1..0 # SKIP $prog is not installed (.ci/deps test installs it)"
    exit 77
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/digithek-sync-crash.XXXXXX")
SYNC_PID=
cleanup () {
  if [ -n "$SYNC_PID" ]; then
    kill -9 "$SYNC_PID" 2>/dev/null
    wait "$SYNC_PID" 2>/dev/null
  fi
  rm -rf "$T"
}
trap cleanup EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
bail () { echo "Bail out! $*"; exit 1; }
now_ms () { date +%s%3N; }

# make_pack DIR ID VERSION ROWS EXPLAINERS: one dataset of ROWS rows and EXPLAINERS texts.
make_pack () {
  local dir=$1 id=$2 version=$3 rows=$4 explainers=$5 i items
  rm -rf "$dir"
  mkdir -p "$dir/texts"
  items='{"id": "daten", "kind": "dataset", "title": {"de": "Daten"}, "data": "data.csv",
     "csv": {"delimiter": ";", "decimal": ".", "encoding": "UTF-8"},
     "chart": {"type": "line", "x": "Zeit", "y": ["Wert", "Menge"]},
     "source": {"name": "Test", "license": "CC0-1.0"}}'
  for i in $(seq "$explainers"); do
    items="$items,
    {\"id\": \"text-$i\", \"kind\": \"explainer\", \"title\": {\"de\": \"Text $i\"},
     \"body\": {\"de\": \"texts/$i.md\"}}"
    { echo "# Text $i, Fassung $version"; echo; seq 1 200 | sed "s/^/Zeile $version /"; } > "$dir/texts/$i.md"
  done
  cat > "$dir/pack.json" <<EOF
{ "format": 1, "id": "$id", "version": $version, "title": {"de": "Paket $id"},
  "languages": ["de"], "items": [ $items ] }
EOF
  { echo "Zeit;Wert;Menge"
    seq 1 "$rows" | awk -v v="$version" '{ printf "%d;%d.%d;%d\n", 100000 + $1, $1 % 977, v, ($1 * 7) % 1000 }'
  } > "$dir/data.csv"
}

# Expected states: id version items rows.
V1_BIG='{"id":"big","version":1,"items":4,"rows":200000}'
V2_BIG='{"id":"big","version":2,"items":6,"rows":240000}'
V1_SMALL='{"id":"small","version":1,"items":2,"rows":1000}'
V2_SMALL='{"id":"small","version":2,"items":3,"rows":1500}'

"$DIGITHEK_PACK_BIN" keygen --out "$T/key" > /dev/null || bail "keygen failed"
CHAN=$T/channel
publish () {
  "$DIGITHEK_PACK_BIN" publish "$T/src/big" "$T/src/small" --key "$T/key" --out "$CHAN" \
    > "$T/publish.log" 2>&1 || { sed 's/^/# /' "$T/publish.log"; bail "publish failed"; }
}
make_pack "$T/src/big" big 1 200000 3
make_pack "$T/src/small" small 1 1000 1
publish
make_pack "$T/src/big" big 2 240000 5
make_pack "$T/src/small" small 2 1500 2
mkdir -p "$T/v1"
# Keep the version 1 index to build the starting store from.
cp -a "$CHAN" "$T/channel-v1"
publish

sync_once () { # sync_once STORE-DIR CHANNEL
  "$DIGITHEK_BIN" --sync-once --store "$1/store.db" --channel "$2" --trust "$T/key.pub" \
    > "$T/out" 2> "$T/err"
}
state () { # state STORE-DIR: the packs, one compact JSON object a line
  "$DIGITHEK_BIN" --status --store "$1/store.db" | jq -c '.packs[] | {id, version, items, rows}'
}

echo "1..$((ROUNDS * 3 + 2))"

# The starting store: version 1 installed.
mkdir -p "$T/base"
if sync_once "$T/base" "$T/channel-v1" \
   && [ "$(state "$T/base" | tr -d '\n')" = "$V1_BIG$V1_SMALL" ]; then
  ok "the starting store holds version 1 of both packs"
else
  not_ok "the starting store holds version 1" "$(cat "$T/err")" "$(state "$T/base")"
  exit 1
fi

# How long an undisturbed update takes, to spread the kills over it.
rm -rf "$T/probe"
cp -a "$T/base" "$T/probe"
start=$(now_ms)
sync_once "$T/probe" "$CHAN"
rc=$?
full_ms=$(( $(now_ms) - start ))
if [ "$rc" -eq 0 ] && [ "$(state "$T/probe" | tr -d '\n')" = "$V2_BIG$V2_SMALL" ]; then
  ok "an undisturbed update installs version 2 (${full_ms} ms, $(du -sb "$CHAN" | cut -f1) bytes channel)"
else
  not_ok "an undisturbed update installs version 2" "exit $rc: $(cat "$T/err")"
  exit 1
fi

old=0 new=0 mixed=0
for round in $(seq "$ROUNDS"); do
  store=$T/round
  rm -rf "$store"
  cp -a "$T/base" "$store"
  # Spread the kills over the whole sync, and a little beyond it, in even slices with a
  # random point inside each, so that every phase (index, download, import, commit) gets
  # its share.
  slice=$(( full_ms * 11 / 10 / ROUNDS + 1 ))
  delay=$(( (round - 1) * slice + RANDOM % slice ))
  "$DIGITHEK_BIN" --sync-once --store "$store/store.db" --channel "$CHAN" \
    --trust "$T/key.pub" > /dev/null 2>&1 &
  SYNC_PID=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$SYNC_PID" 2>/dev/null
  wait "$SYNC_PID" 2>/dev/null
  SYNC_PID=

  integrity=$(sqlite3 "$store/store.db" 'PRAGMA integrity_check' 2>&1)
  if [ "$integrity" = ok ]; then
    ok "round $round (kill after $delay ms): integrity_check ok"
  else
    not_ok "round $round (kill after $delay ms): integrity_check ok" "$integrity"
  fi

  got=$(state "$store")
  big=$(echo "$got" | grep '"id":"big"')
  small=$(echo "$got" | grep '"id":"small"')
  verdict=
  case "$big" in
    "$V1_BIG") verdict="big: old" ;;
    "$V2_BIG") verdict="big: new" ;;
  esac
  case "$small" in
    "$V1_SMALL") verdict="$verdict, small: old" ;;
    "$V2_SMALL") verdict="$verdict, small: new" ;;
    *) verdict= ;;
  esac
  if [ -n "$verdict" ] && [ "$(echo "$got" | wc -l)" -eq 2 ]; then
    ok "round $round: each pack whole at one version ($verdict)"
    case "$verdict" in
      *big:\ old*) old=$((old + 1)) ;;
      *) new=$((new + 1)) ;;
    esac
  else
    mixed=$((mixed + 1))
    not_ok "round $round: each pack whole at one version" "$(echo $got)"
  fi

  if sync_once "$store" "$CHAN" && [ "$(state "$store" | tr -d '\n')" = "$V2_BIG$V2_SMALL" ]; then
    ok "round $round: the next sync completes and installs version 2"
  else
    not_ok "round $round: the next sync completes and installs version 2" \
      "$(cat "$T/err")" "$(state "$store" | tr '\n' ' ')"
  fi
done
echo "# $ROUNDS rounds: $old killed before big's commit, $new after, $mixed mixed"

exit $failed
