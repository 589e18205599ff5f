# bt sync against a loopback mirror: both listing markups, pagination, conditional requests,
# and every fault the service can throw at it.
. "$(dirname "$0")/sync_lib.sh"
start_server
copies 11 "$T/more"
FILES=("$TESTDATA/19003-data.xml" "$TESTDATA/20201.xml" "$TESTDATA/21002-data.xml" "$T"/more/*.xml)
mirror "${FILES[@]}"

# the reference: the same files imported locally
"$BT" --db "$T/ref.db" import -q "$TESTDATA/MdB-Stammdaten-subset.zip" "${FILES[@]}" >/dev/null
ref_sessions=$("$BT" --db "$T/ref.db" export sessions --format tsv | cut -f1-8)
ref_reactions=$("$BT" --db "$T/ref.db" export reactions --format tsv | md5sum)

expect_rc "dry run" 0 sync_ --dry-run
expect_grep "dry run lists a protocol" "^new     $BASE/resource/blob/" "$T/out"
expect_grep "dry run count" "^14 protocols listed" "$T/out"
expect_eq "dry run downloads no protocol" "0" "$(bodies)"
[ ! -e "$BT_DB" ] && pass "dry run creates no database" || fail "dry run creates no database"

clear_log
expect_rc "first sync" 0 sync_
expect_grep "14 listed (two pages of WP 21)" "^listed     14 protocols" "$T/out"
expect_grep "14 new" "^new        14" "$T/out"
expect_grep "master data" "^master data updated" "$T/out"
expect_eq "listing pages paged on (WP 21 has 12)" "1" "$(grep -c '1058442-1058442?limit=10&noFilterSet=true&offset=10 ' "$LOG")"
expect_eq "the new markup's double links fetched once" "1" "$(grep -c '/20201.xml 200' "$LOG")"
expect_eq "same sessions as a local import" "$ref_sessions" "$("$BT" export sessions --format tsv | cut -f1-8)"
expect_eq "same reactions as a local import" "$ref_reactions" "$("$BT" export reactions --format tsv | md5sum)"

clear_log
expect_rc "second sync" 0 sync_
expect_grep "all unchanged" "^unchanged  14 (14 not modified on the server)" "$T/out"
expect_eq "second sync downloads no protocol body" "0" "$(bodies)"
expect_eq "conditional requests sent" "14" "$(grep -c '\.xml 304 0 - y' "$LOG")"

# faults, one protocol each, on a fresh database
P1=$(blob 19003) P2=$(blob 20201) P3=$(blob 21002-data)
run_fault() { # NAME FAULTLINE EXPECTED_RC
  rm -f "$BT_DB"*; faults "$2"; clear_log
  expect_rc "$1: exit $3" "$3" sync_ "${@:4}"
}
run_fault "404 for one protocol" "$P1 404" 1
expect_grep "404 reported" "^bt: sync: '$BASE$P1': HTTP 404" "$T/err"
expect_grep "the others are stored" "^new        13" "$T/out"
expect_grep "one failed" "^failed     1" "$T/out"
faults ""; clear_log
expect_rc "after the 404 is fixed" 0 sync_
expect_grep "only it is fetched" "^new        1$" "$T/out"
expect_eq "one body" "1" "$(bodies)"

run_fault "500 twice, then success" "$P2 500 2" 0
expect_grep "stored after retries" "^new        14" "$T/out"
expect_eq "three requests for it" "3" "$(grep -c "$P2 " "$LOG")"

run_fault "429 with Retry-After" "$P3 429 1 1" 0
expect_eq "429 then 200" "429
200" "$(grep "$P3 " "$LOG" | cut -d' ' -f3)"

run_fault "connection reset mid-body" "$P1 once reset 20000" 0
expect_grep "stored after the reset" "^new        14" "$T/out"

run_fault "body shorter than its Content-Length" "$P1 short 20000" 1 --retries 1
expect_grep "cut short reported" "'$BASE$P1': transfer cut short: 20000 of 410507 bytes" "$T/err"
expect_eq "nothing of it stored" "0" "$("$BT" export sessions --wp 19 --format tsv | tail -n +2 | wc -l)"

run_fault "gzip-encoded bodies" "* gzip" 0
expect_grep "gzip served" ' gzip ' "$LOG"
expect_eq "same reactions from gzip" "$ref_reactions" "$("$BT" export reactions --format tsv | md5sum)"

run_fault "an HTML page served as .xml" "$P2 html" 1
expect_grep "HTML reported" "'$BASE$P2': the server sent an HTML page, not a protocol" "$T/err"

run_fault "a stalled server trips the timeout" "$P3 stall 1000" 1 --timeout 1 --retries 0
expect_grep "stall reported" "'$BASE$P3': stalled: no data for 1 s" "$T/err"
expect_grep "the others still stored" "^new        13" "$T/out"

# the listing changes between two syncs: a new protocol, and a re-published one
rm -f "$BT_DB"*; faults ""
expect_rc "sync before the change" 0 sync_
cp "$TESTDATA/21002-data.xml" "$T/21002-data.xml"
sed -i '0,/(Beifall bei der AfD)/s//(Beifall bei der SPD)/' "$T/21002-data.xml"
sed "0,/sitzung-nr=\"2\"/s//sitzung-nr=\"950\"/" "$TESTDATA/21002-data.xml" >"$T/21950-data.xml"
sleep 1 # a new mtime, so a new ETag
mirror "$TESTDATA/19003-data.xml" "$TESTDATA/20201.xml" "$T/21002-data.xml" "$T"/more/*.xml "$T/21950-data.xml"
clear_log
expect_rc "sync after the change" 0 sync_
expect_grep "the new protocol" "^new        1$" "$T/out"
expect_grep "the re-published one" "^updated    1$" "$T/out"
expect_eq "two bodies" "2" "$(bodies)"
clear_log
expect_rc "and once more" 0 sync_
expect_eq "nothing downloaded" "0" "$(bodies)"

# no network: nothing listens
expect_rc "no network" 1 "$BT" sync --base-url http://127.0.0.1:9 -q
expect_grep "names the host and the offline way" "^bt: sync: cannot reach 127.0.0.1 (.*bt import pp19.zip" "$T/err"
expect_rc "bad base URL" 2 "$BT" sync --base-url ftp://example.org
expect_rc "bad --wp" 2 "$BT" sync --wp 18
kill "$TESTD"
finish
