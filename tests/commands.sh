# The matrix and top-speeches on real protocols, compared with counts made independently of bt
# (tests/expected/README.md says how); CSV that a CSV reader parses back to the same values.
. "$(dirname "$0")/lib.sh"
E=$TESTS/expected

expect_rc "import protocols with the master data" 0 "$BT" import -q "$TESTDATA/MdB-Stammdaten-subset.zip" \
  "$TESTDATA/20201.xml" "$TESTDATA/21002-data.xml"

for wf in 21:21002 20:20201; do
  wp=${wf%%:*} f=${wf##*:}
  "$BT" export matrix --wp "$wp" --format tsv | awk -F'\t' 'NR > 1 && $5 > 0 { print $2 "," $3 "," $4 "," $5 }' |
    LC_ALL=C sort >"$T/matrix.csv"
  expect_eq "applause matrix of $f equals the independent count" \
    "$(tail -n +2 "$E/applause_matrix_$f.csv" | LC_ALL=C sort)" "$(cat "$T/matrix.csv")"
  "$BT" top-speeches -n 10 --wp "$wp" --format tsv |
    awk -F'\t' 'NR == 1 { for (i = 10; i <= NF; i++) { split($i, a, "_"); g[i] = a[1]; s[i] = a[2] }; next }
                { for (i = 10; i <= NF; i++) if ($i > 0) print $5 "," $9 "," g[i] "," s[i] "," $i }' >"$T/top.csv"
  expect_eq "top-speeches ranking of $f" "$(tail -n +2 "$E/top_speeches_$f.csv" | cut -d, -f1,2 | uniq)" \
    "$(cut -d, -f1,2 "$T/top.csv" | uniq)"
  expect_eq "top-speeches breakdown of $f" "$(tail -n +2 "$E/top_speeches_$f.csv" | LC_ALL=C sort)" \
    "$(LC_ALL=C sort "$T/top.csv")"
done

# the same matrix through the table, markdown and csv views
expect_rc "applause --matrix (table)" 0 "$BT" applause --matrix --wp 21
expect_grep "table names the rows" "^CDU/CSU       full" "$T/out"
width=$(awk '{ n = length($0); if (n > m) m = n } END { print m }' "$T/out")
[ "$width" -le 100 ] && pass "table fits 100 columns ($width)" || fail "table fits 100 columns" "widest line: $width"
expect_rc "applause markdown" 0 "$BT" applause --wp 21 --format markdown
expect_grep "markdown table" "^| giver | scope |" "$T/out"
"$BT" applause --wp 21 --scope full --format csv >"$T/grid.csv"
expect_eq "csv grid: CDU/CSU applauds itself (full) 14 times on 2025-05-06" "14" \
  "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "CDU/CSU") c = i } $1 == "CDU/CSU" { print $c }' "$T/grid.csv")"
expect_eq "scope full from the long form agrees" "14" \
  "$("$BT" export matrix --wp 21 --format tsv | awk -F'\t' '$2 == "CDU/CSU" && $3 == "CDU/CSU" && $4 == "full" { print $5 }')"
expect_rc "normalize row" 0 "$BT" applause --wp 21 --scope full --normalize row --format csv
expect_eq "row shares add up to 1" "1.000000" \
  "$(awk -F, 'NR > 1 && $1 == "SPD" { for (i = 3; i <= NF; i++) s += $i } END { printf "%.6f", s }' "$T/out")"
expect_rc "normalize per speech" 0 "$BT" applause --wp 21 --normalize speech
expect_rc "--no-government" 0 "$BT" applause --wp 21 --no-government --format tsv
expect_rc "reactions --kind zuruf" 0 "$BT" reactions --matrix --kind zuruf --wp 20
expect_grep "zuruf matrix" "^zuruf by faction" "$T/out"
expect_rc "top-speeches table" 0 "$BT" top-speeches -n 3
width=$(awk '{ n = length($0); if (n > m) m = n } END { print m }' "$T/out")
[ "$width" -le 100 ] && pass "top-speeches fits 100 columns ($width)" || fail "top-speeches fits 100 columns" "widest: $width"
expect_rc "top-speeches by faction" 0 "$BT" top-speeches --faction Grüne --format tsv
expect_eq "only GRÜNE speakers" "GRÜNE" "$(tail -n +2 "$T/out" | cut -f7 | sort -u)"

# CSV parses back to the same values as the TSV export
for table in sessions speeches reactions matrix; do
  "$BT" export "$table" --format csv >"$T/$table.csv"
  "$BT" export "$table" --format tsv >"$T/$table.tsv"
  if "$CSVCHECK" <"$T/$table.csv" >"$T/$table.back"; then
    expect_eq "export $table: CSV reads back as the TSV" "$(md5sum <"$T/$table.tsv")" "$(md5sum <"$T/$table.back")"
  else
    fail "export $table: CSV is well-formed"
  fi
done
expect_grep "CSV lines end in CRLF (RFC 4180)" $'\r$' "$T/sessions.csv"
expect_eq "reactions header" "wahlperiode,sitzung,date,rede_id,speaker_id,speaker,speaker_faction,floor,kind,scope,faction,person,kommentar" \
  "$(head -1 "$T/reactions.csv" | tr -d '\r')"
"$BT" export reactions --excel >"$T/excel.csv"
expect_eq "--excel starts with a byte-order mark" "efbbbf" "$(head -c 3 "$T/excel.csv" | od -An -tx1 | tr -d ' \n')"
if "$CSVCHECK" ';' <"$T/excel.csv" >"$T/excel.back"; then
  expect_eq "--excel reads back with ';'" "$(md5sum <"$T/reactions.tsv")" "$(md5sum <"$T/excel.back")"
else
  fail "--excel CSV is well-formed"
fi
"$BT" export matrix --normalize row --excel >"$T/m.csv"
expect_grep "--excel: decimal comma" ';0,[0-9]*' "$T/m.csv"
expect_rc "export -o writes a file" 0 "$BT" export speeches -o "$T/speeches-out.csv"
expect_eq "file equals stdout" "$(md5sum <"$T/speeches.csv")" "$(md5sum <"$T/speeches-out.csv")"
expect_rc "export json" 0 "$BT" export sessions --format json
expect_grep "json records" '"wahlperiode": 20, "sitzung": 201' "$T/out"

# the parser's window
expect_eq "bt kommentar" "line,kind,scope,faction,person
1,beifall,full,CDU/CSU,
1,beifall,partial,SPD,
1,zuruf,partial,AfD," "$("$BT" kommentar --text '(Beifall bei der CDU/CSU sowie bei Abgeordneten der SPD – Zuruf von der AfD: Quatsch!)')"
expect_eq "bt kommentar on stdin: line numbers" "2,zuruf,individual,SPD,Max Muster" \
  "$(printf '(Glocke des Präsidenten)\n(Max Muster [SPD]: Beifall bei der AfD!)\n' | "$BT" kommentar | tail -1)"
expect_rc "stats --unparsed" 0 "$BT" stats --unparsed -n 5
expect_grep "coverage line" "^distinct kommentar texts" "$T/out"
finish
