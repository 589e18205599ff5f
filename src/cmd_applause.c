/* bt applause: who applauds whom. */
#include "bt/cli.h"
#include "bt/matrix.h"

#define MATRIX_OPTIONS_USAGE                                                                        \
	"  --scope S         full, partial, individual, or all (default: all, each cell split)\n"     \
	"  --normalize N     none (counts), row (share of the row), col (share of the column),\n"     \
	"                    speech (per speech of the receiving faction)\n"                         \
	"  --no-government   leave out reactions to members of the government\n"                     \
	FILTER_USAGE                                                                                \
	"  -f, --format F    table (default), csv, tsv, json, markdown\n"                             \
	"  --excel           with --format csv: ';' separator and byte-order mark for spreadsheets\n" \
	"  -h, --help        this help\n"

static const char usage[] =
	"usage: bt applause [--matrix] [options]\n"
	"\n"
	"Who applauds whom: rows are the applauding factions, columns the faction of the member\n"
	"holding the floor, each cell split into applause by the whole faction (full), by some of\n"
	"its members (partial) and by one named member (individual). A kommentar counts once per\n"
	"applauding faction; 'im ganzen Hause' counts for every faction seated that day. Members of\n"
	"the government count for their faction; the chair's floor is left out.\n"
	"\n"
	"options:\n" MATRIX_OPTIONS_USAGE
	"\n"
	"examples:\n"
	"  bt applause --matrix\n"
	"  bt applause --wp 20 --scope full --normalize row\n"
	"  bt applause --from 2024-01-01 --format csv --excel > applaus.csv\n";

static int run(int argc, char **argv, const char *dbpath)
{
	return matrix_command(&cmd_applause, argc, argv, dbpath, RK_BEIFALL);
}

const struct bt_command cmd_applause = {
	.name = "applause",
	.summary = "who applauds whom: the applause matrix",
	.usage = usage,
	.run = run,
};
