# kill -9 during an import leaves the database as it was before the protocol in progress; the
# same import run again completes it, to the same database as one clean import.
. "$(dirname "$0")/lib.sh"
N=120
mkdir -p "$T/in"
for i in $(seq 1 $N); do
  sed "0,/sitzung-nr=\"2\"/s//sitzung-nr=\"$((1000 + i))\"/" "$TESTDATA/21002-data.xml" >"$T/in/p$(printf %04d "$i").xml"
done
"$BT" --db "$T/clean.db" import -q "$T/in" >/dev/null
"$BT" --db "$T/clean.db" export sessions --format tsv | cut -f1-8 >"$T/clean.tsv"
expect_eq "clean import has all" "$((N + 1))" "$(wc -l <"$T/clean.tsv")"

for delay in 0.15 0.3 0.6; do
  rm -f "$BT_DB" "$BT_DB-wal" "$BT_DB-shm"
  "$BT" import -q "$T/in" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ ! -e "$BT_DB" ]; then pass "killed before the database existed ($delay s)"; continue; fi
  # every session present is complete: the same counts as in the clean import
  "$BT" export sessions --format tsv 2>/dev/null | cut -f1-8 >"$T/killed.tsv"
  n=$(($(wc -l <"$T/killed.tsv") - 1))
  bad=$(tail -n +2 "$T/killed.tsv" | grep -cv -F -x -f "$T/clean.tsv")
  expect_eq "after kill -9 at $delay s: $n sessions, none in part" "0" "$bad"
  expect_rc "the same import again completes it" 0 "$BT" import -q "$T/in"
  "$BT" export sessions --format tsv | cut -f1-8 >"$T/redone.tsv"
  expect_eq "same database as one clean import ($delay s)" "$(cat "$T/clean.tsv")" "$(cat "$T/redone.tsv")"
  expect_eq "same reactions as one clean import ($delay s)" \
    "$("$BT" --db "$T/clean.db" export reactions --format tsv | md5sum)" "$("$BT" export reactions --format tsv | md5sum)"
done
finish
