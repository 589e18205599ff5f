# The whole real corpus (../shared/corpus): what the numbers are, and that the quirks of the
# data come out right. Skipped where ../shared is not there.
. "$(dirname "$0")/lib.sh"
need_shared
C=$SHARED/corpus

expect_rc "import the whole corpus" 0 "$BT" import -q "$C/MdB-Stammdaten.zip" "$C/pp19.zip" "$C/pp20.zip" "$C/pp21.zip"
expect_grep "523 protocols and the master data" "^documents  524 " "$T/out"
# pp20.zip holds 20101-data.xml and 20101.xml (the same session, other line ends), and
# 20015-data.xml, which is really session 28 (like 20028-data.xml): two come out unchanged
expect_grep "521 sessions stored" "^new        521" "$T/out"
expect_grep "two duplicates recognised by content" "^unchanged  2" "$T/out"
expect_grep "unmapped factions flagged, not guessed" "^unmapped factions 24 " "$T/out"

"$BT" stats --format csv >"$T/stats.csv"
expect_eq "sessions per Wahlperiode" "wahlperiode,sessions,first_date,last_date
19,239,2017-10-24,2021-09-07
20,213,2021-10-26,2025-03-18
21,69,2025-03-25,2026-03-27" "$(cut -d, -f1-4 "$T/stats.csv")"
expect_eq "WP 20 has no session 15 (20015-data.xml is session 28)" "" \
  "$("$BT" export sessions --wp 20 --format tsv | awk -F'\t' '$2 == 15')"
expect_eq "20036 carries 2022-05-08 (out of order, as published)" "2022-05-08" \
  "$("$BT" export sessions --wp 20 --format tsv | awk -F'\t' '$2 == 36 { print $3 }')"

expect_rc "parser coverage" 0 "$BT" stats --unparsed -n 5
cov=$(awk '/^distinct kommentar texts/ { gsub(/[()%]/, "", $NF); print $NF }' "$T/out")
awk -v c="$cov" 'BEGIN { exit !(c >= 99.5) }' && pass "coverage of distinct texts $cov% >= 99.5%" || fail "coverage" "$cov"
expect_grep "no reaction word left unparsed" "texts naming a reaction word without any reaction: 0" "$T/out"

# the same content again: nothing written
expect_rc "re-import" 0 "$BT" import -q "$C/pp21.zip"
expect_grep "all unchanged" "^unchanged  69" "$T/out"

# members of the government count for their faction: Olaf Scholz's speeches are SPD's
expect_eq "chancellor Scholz counts for the SPD" "SPD" \
  "$("$BT" top-speeches -n 1 --wp 20 --format tsv | tail -1 | cut -f6,7 | grep -o 'SPD$')"
expect_rc "matrix on the whole corpus" 0 "$BT" applause --matrix
expect_rc "every kind" 0 sh -c "for k in zuruf heiterkeit lachen widerspruch zustimmung unruhe; do '$BT' reactions --kind \$k --format csv >/dev/null || exit 1; done"
finish
