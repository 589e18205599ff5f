# Bad input is the normal case: each gets a clear message naming the file (and line), the other
# inputs go on, and nothing already stored is lost.
. "$(dirname "$0")/lib.sh"
P=$TESTDATA/21002-data.xml

# truncated: a download cut off mid-way
head -c 100000 "$P" >"$T/truncated.xml"
expect_rc "truncated XML fails" 1 "$BT" import -q "$T/truncated.xml"
expect_grep "names file, line and column" "^bt: import: '$T/truncated.xml' line [0-9]*, column [0-9]*: " "$T/err"
expect_rc "nothing stored from it" 1 "$BT" stats
expect_grep "database still empty" "holds no protocols yet" "$T/err"

# malformed: a closing tag that does not match
sed '501s#</p>#</q>#' "$P" >"$T/malformed.xml"
expect_rc "malformed XML fails" 1 "$BT" import -q "$T/malformed.xml"
expect_grep "mismatched tag at line 501" "'$T/malformed.xml' line 501, column [0-9]*: mismatched tag" "$T/err"

: >"$T/empty.xml"
expect_rc "empty file fails" 1 "$BT" import -q "$T/empty.xml"
expect_grep "empty document" "'$T/empty.xml': empty document" "$T/err"

printf '<!DOCTYPE html>\n<html><head><title>Wartungsarbeiten</title></head><body>Bitte später</body></html>\n' >"$T/page.xml"
expect_rc "an HTML page is not a protocol" 1 "$BT" import -q "$T/page.xml"
expect_grep "not a protocol" "not a plenary protocol (root element <html>)" "$T/err"

printf 'hello\n' >"$T/text.xml"
expect_rc "plain text fails" 1 "$BT" import -q "$T/text.xml"
expect_grep "syntax error named" "'$T/text.xml' line 1, column 0: syntax error" "$T/err"

expect_rc "missing path fails" 1 "$BT" import -q "$T/nowhere.xml"
expect_grep "missing path message" "^bt: import: cannot open '$T/nowhere.xml': No such file or directory" "$T/err"

# a bad file among good ones: the good ones are imported, exit 1
expect_rc "mixed inputs exit 1" 1 "$BT" import -q "$T/truncated.xml" "$P" "$TESTDATA/20201.xml"
expect_grep "the good ones are stored" "^new        2" "$T/out"
expect_grep "failed counted" "^failed     1" "$T/out"
"$BT" export sessions --format tsv | cut -f1-7 >"$T/before.tsv"

# the same content again: unchanged, no write
expect_rc "re-import" 0 "$BT" import -q "$P" "$TESTDATA/20201.xml"
expect_grep "unchanged" "^unchanged  2" "$T/out"
expect_grep "nothing new" "^new        0" "$T/out"
# the same session with other line ends (as 20101-data.xml and 20101.xml in pp20.zip): unchanged
sed 's/$/\r/' "$P" >"$T/21002-crlf.xml"
expect_rc "CRLF variant" 0 "$BT" import -q "$T/21002-crlf.xml"
expect_grep "CRLF variant is the same content" "^unchanged  1" "$T/out"
# given twice in one run
expect_rc "duplicate inputs in one run" 0 "$BT" import -q "$P" "$P"
expect_grep "both unchanged" "^unchanged  2" "$T/out"
"$BT" export sessions --format tsv | cut -f1-7 >"$T/after.tsv"
expect_eq "database as before" "$(cat "$T/before.tsv")" "$(cat "$T/after.tsv")"

# changed content replaces the stored version
sed '0,/(Beifall bei der AfD)/s//(Beifall bei der BSW)/' "$P" >"$T/21002-changed.xml"
before=$("$BT" export reactions --wp 21 --format tsv | grep -c 'beifall	full	AfD')
expect_rc "changed content" 0 "$BT" import -q "$T/21002-changed.xml"
expect_grep "updated" "^updated    1" "$T/out"
after=$("$BT" export reactions --wp 21 --format tsv | grep -c 'beifall	full	AfD')
expect_eq "the replaced protocol's reactions" "$((before - 1))" "$after"
expect_eq "still one session of WP 21" "1" "$("$BT" stats --format csv | grep -c '^21,1,')"

# ZIP archives: truncated and corrupt ones
Z=$TESTDATA/MdB-Stammdaten-subset.zip
head -c 20000 "$Z" >"$T/cut.zip"
expect_rc "truncated ZIP fails" 1 "$BT" import -q "$T/cut.zip"
expect_grep "truncated ZIP message" "cannot read archive '$T/cut.zip': not a ZIP archive or truncated" "$T/err"
cp "$Z" "$T/bad.zip"
printf 'XXXXXXXX' | dd of="$T/bad.zip" bs=1 seek=20000 conv=notrunc 2>/dev/null
expect_rc "corrupt ZIP entry fails" 1 "$BT" import -q "$T/bad.zip"
expect_grep "corrupt entry named" "'$T/bad.zip:MDB_STAMMDATEN.XML'" "$T/err"
expect_rc "the intact archive imports" 0 "$BT" import -q "$Z"
expect_grep "members" "^members    81" "$T/out"

# a directory of inputs
mkdir -p "$T/dir"
cp "$P" "$TESTDATA/20201.xml" "$T/dir/"
echo "not xml" >"$T/dir/notes.txt"
expect_rc "a directory imports its XML files" 0 "$BT" --db "$T/dir.db" import -q "$T/dir"
expect_grep "both from the directory" "^new        2" "$T/out"

# another writer holds the database
if command -v flock >/dev/null; then
  flock "$BT_DB" sleep 3 &
  sleep 0.3
  expect_rc "a second writer is refused" 1 "$BT" import -q "$P"
  expect_grep "in use message" "is in use by another 'bt import' or 'bt sync'" "$T/err"
  wait
fi

# a database that cannot be written (root can write anything: only checked as a user)
if [ "$(id -u)" != 0 ]; then
  cp "$BT_DB" "$T/ro.db"; chmod 444 "$T/ro.db"
  expect_rc "read-only database" 1 "$BT" --db "$T/ro.db" import -q "$P"
  expect_grep "read-only message" "cannot write database '$T/ro.db'" "$T/err"
else
  echo "skipped: read-only database check (running as root)"
fi
finish
