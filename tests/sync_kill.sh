# kill -9 in the middle of a sync, then a second sync: the same database as one clean sync.
. "$(dirname "$0")/sync_lib.sh"
start_server
copies 11 "$T/more"
mirror "$TESTDATA/19003-data.xml" "$TESTDATA/20201.xml" "$TESTDATA/21002-data.xml" "$T"/more/*.xml
"$BT" --db "$T/clean.db" sync --base-url "$BASE" -q >/dev/null
clean=$("$BT" --db "$T/clean.db" export sessions --format tsv | cut -f1-8)
clean_r=$("$BT" --db "$T/clean.db" export reactions --format tsv | md5sum)
# slow bodies, so the kill lands while several protocols are half parsed
faults "* slow 300000"
for delay in 0.5 1.5; do
  rm -f "$BT_DB"*
  "$BT" sync --base-url "$BASE" -q --jobs 4 >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  faults ""
  if [ -e "$BT_DB" ]; then
    n=$("$BT" export sessions --format tsv 2>/dev/null | tail -n +2 | wc -l)
    bad=$("$BT" export sessions --format tsv 2>/dev/null | tail -n +2 | cut -f1-8 | grep -cvxF "$clean")
    expect_eq "killed after $delay s: $n sessions, none in part" "0" "$bad"
  fi
  expect_rc "second sync ($delay s)" 0 "$BT" sync --base-url "$BASE" -q
  expect_eq "same sessions as one clean sync ($delay s)" "$clean" "$("$BT" export sessions --format tsv | cut -f1-8)"
  expect_eq "same reactions as one clean sync ($delay s)" "$clean_r" "$("$BT" export reactions --format tsv | md5sum)"
  faults "* slow 300000"
done
kill "$TESTD"
finish
