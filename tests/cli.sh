# The command line: help for every command, usage errors exit 2, failures exit 1.
. "$(dirname "$0")/lib.sh"

expect_rc "bt --help exits 0" 0 "$BT" --help
expect_grep "bt --help lists commands" "applause" "$T/out"
expect_rc "bt help exits 0" 0 "$BT" help
expect_rc "bt --version" 0 "$BT" --version
expect_grep "version printed" "^bt [0-9]" "$T/out"
for c in sync import applause reactions top-speeches export stats kommentar help; do
  expect_rc "bt $c --help exits 0" 0 "$BT" "$c" --help
  expect_grep "bt $c --help prints usage" "usage: bt $c" "$T/out"
done
expect_rc "no command is a usage error" 2 "$BT"
expect_rc "unknown command exits 2" 2 "$BT" frobnicate
expect_grep "unknown command message" "not a bt command" "$T/err"
expect_rc "unknown option exits 2" 2 "$BT" stats --frobnicate
expect_grep "error names the command" "^bt: stats: unknown option" "$T/err"
expect_rc "import without paths exits 2" 2 "$BT" import
expect_rc "bad format exits 2" 2 "$BT" stats --format xml
expect_grep "bad format lists choices" "choose from table, csv, json, markdown" "$T/err"

# an empty or missing database: exit 1 with what to run first
expect_rc "stats without a database exits 1" 1 "$BT" --db "$T/none.db" stats
expect_grep "says what to run first" "run 'bt sync' or 'bt import'" "$T/err"
expect_rc "applause on a missing database exits 1" 1 "$BT" --db "$T/none.db" applause
: >"$T/empty.db"
expect_rc "applause on an empty database exits 1" 1 "$BT" --db "$T/empty.db" applause --matrix
expect_grep "empty database message" "holds no protocols yet" "$T/err"
expect_rc "not a database" 1 sh -c "echo hello >'$T/text.db'; '$BT' --db '$T/text.db' stats"
expect_grep "not a database message" "^bt: stats: cannot open database" "$T/err"

# argument validation happens before the database is touched
for args in "--scope most" "--normalize log" "--wp x" "--from 2024-13-01" "--from 2024-02-30" \
            "--from 2024-05-01 --to 2024-01-01" "--format xml" "--excel"; do
  # shellcheck disable=SC2086
  expect_rc "applause $args exits 2" 2 "$BT" --db "$T/none.db" applause $args
done
expect_grep "--from after --to is explained" "is after --to" <(printf '%s' "$("$BT" --db "$T/none.db" applause --from 2024-05-01 --to 2024-01-01 2>&1)")
expect_rc "reactions needs --kind" 2 "$BT" --db "$T/none.db" reactions --matrix
expect_rc "reactions bad kind" 2 "$BT" --db "$T/none.db" reactions --kind applaudieren
expect_grep "kinds listed" "beifall, zuruf, heiterkeit" "$T/err"
expect_rc "top-speeches bad faction" 2 "$BT" --db "$T/none.db" top-speeches --faction Piraten
expect_grep "factions listed" "CDU/CSU, SPD, AfD, FDP, GRÜNE, LINKE, BSW, fraktionslos" "$T/err"
expect_rc "top-speeches -n 0" 2 "$BT" --db "$T/none.db" top-speeches -n 0
expect_rc "export unknown table" 2 "$BT" --db "$T/none.db" export votes
expect_rc "export --kind only for matrix" 2 "$BT" --db "$T/none.db" export reactions --kind zuruf

# faction spellings users type are accepted (then the missing database is the error)
for f in Grüne GRÜNE B90/Grüne "Bündnis 90/Die Grünen" Linke "Die Linke" Union cdu/csu spd afd fraktionslos BSW; do
  expect_rc "faction '$f' accepted" 1 "$BT" --db "$T/none.db" top-speeches --faction "$f"
done

# stdout write errors are reported
if [ -w /dev/full ]; then
  expect_rc "full disk on stdout exits 1" 1 sh -c "'$BT' --help >/dev/full"
fi
finish
