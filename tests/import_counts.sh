# Real protocols in, exact numbers out. The expected numbers were counted independently from
# the XML with Python's ElementTree: <rede> elements, non-empty <kommentar> elements outside
# the table of contents and the speaker list, and paragraphs (<p> with text, speaker lines,
# chair <name> lines) in <sitzungsverlauf> and <anlagen>.
. "$(dirname "$0")/lib.sh"

expect_rc "import three protocols" 0 "$BT" import -q "$TESTDATA/19003-data.xml" "$TESTDATA/20201.xml" "$TESTDATA/21002-data.xml"
expect_grep "summary: 3 new" "^new        3" "$T/out"
expect_grep "summary: speeches" "^speeches   99" "$T/out"
expect_grep "summary: kommentare" "^kommentare 1010" "$T/out"

"$BT" stats --format csv >"$T/stats.csv"
expect_eq "stats csv" "wahlperiode,sessions,first_date,last_date,speeches,kommentare
19,1,2017-11-22,2017-11-22,54,478
20,1,2024-11-15,2024-11-15,21,420
21,1,2025-05-06,2025-05-06,24,112" "$(cat "$T/stats.csv")"

"$BT" stats --format json >"$T/stats.json"
expect_grep "stats json" '"wahlperiode": 19, "sessions": 1, "first_date": "2017-11-22"' "$T/stats.json"

"$BT" export sessions --format tsv >"$T/sessions.tsv"
expect_eq "sessions: wp 19 (BOM, CRLF file) read" "19	3	2017-11-22	12:30	17:31	54	478" "$(grep '^19' "$T/sessions.tsv" | cut -f1-7)"
expect_eq "sessions: wp 21" "21	2	2025-05-06	09:00	19:12	24	112" "$(grep '^21' "$T/sessions.tsv" | cut -f1-7)"

expect_eq "paragraphs per session" "19	3	1072
20	201	695
21	2	1529" "$("$BT" export sessions --format tsv | tail -n +2 | cut -f1,2,8)"

# floor holders in speech ID19303600 (Daniela Kolbe, SPD; a Zwischenfrage by Kay Gottschalk, AfD;
# Vizepräsident Kubicki in the chair), read off the XML by hand
"$BT" export reactions --wp 19 --format tsv >"$T/r19.tsv"
row() { grep -F "$1" "$T/r19.tsv" | cut -f4-12 | head -1; }
expect_eq "main speaker holds the floor" \
  "ID19303600	11004079	Daniela Kolbe	SPD	main	zuruf	partial	SPD	" \
  "$(row '(Zuruf von der SPD: Das stimmt!)')"
expect_eq "the chair's joke: Heiterkeit goes to the chair, not to the resuming speaker" \
  "ID19303600		Vizepräsident Wolfgang Kubicki		chair	heiterkeit	full	SPD	" \
  "$(grep -F '(Heiterkeit bei der SPD)' "$T/r19.tsv" | grep ID19303600 | cut -f4-12)"
expect_eq "after the debate, the chair" \
  "ID19303600		Vizepräsident Wolfgang Kubicki		chair	zuruf	partial	AfD	" \
  "$(row '(Zurufe von der AfD: Abstimmen!)')"
# speech ID19304300 (Stephan Mayer, CDU/CSU): Zwischenfrage by Norbert Kleinwächter (AfD)
expect_eq "a Zwischenfrage holds the floor" \
  "ID19304300	11004781	Norbert Kleinwächter	AfD	zwischenfrage	beifall	full	AfD	" \
  "$(row '(Beifall bei der AfD – Luise Amtsberg [BÜNDNIS 90/DIE GRÜNEN]: Ja!)')"
expect_eq "the named heckle in the same kommentar" \
  "ID19304300	11004781	Norbert Kleinwächter	AfD	zwischenfrage	zuruf	individual	GRÜNE	Luise Amtsberg" \
  "$(grep -F '(Beifall bei der AfD – Luise Amtsberg [BÜNDNIS 90/DIE GRÜNEN]: Ja!)' "$T/r19.tsv" | sed -n 2p | cut -f4-12)"
expect_eq "a second Zwischenfrage (Jens Maier, AfD)" \
  "ID19304300	11004811	Jens Maier	AfD	zwischenfrage	zuruf	individual	SPD	Dr. Eva Högl" \
  "$(grep -F '(Dr. Eva Högl [SPD]: Ja, alle hier!' "$T/r19.tsv" | cut -f4-12 | head -1)"
expect_eq "the speaker takes the floor back" \
  "ID19304300	11003589	Stephan Mayer	CDU/CSU	main	zuruf	individual	GRÜNE	Luise Amtsberg" \
  "$(row '(Luise Amtsberg [BÜNDNIS 90/DIE GRÜNEN]: Rechtslage!)')"
finish
