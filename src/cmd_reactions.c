/* bt reactions: the matrix for any kind of reaction. */
#include "bt/cli.h"
#include "bt/matrix.h"

static const char usage[] =
	"usage: bt reactions [--matrix] --kind K [options]\n"
	"\n"
	"The who-reacts-to-whom matrix for one kind of reaction: rows are the reacting factions,\n"
	"columns the faction holding the floor, each cell split into full / partial / individual.\n"
	"'bt applause' is the same for --kind beifall.\n"
	"\n"
	"options:\n"
	"  --kind K          beifall, zuruf, heiterkeit, lachen, widerspruch, zustimmung, unruhe\n"
	"  --scope S         full, partial, individual, or all (default: all, each cell split)\n"
	"  --normalize N     none (counts), row, col, speech (per speech of the receiving faction)\n"
	"  --no-government   leave out reactions to members of the government\n" FILTER_USAGE
	"  -f, --format F    table (default), csv, tsv, json, markdown\n"
	"  --excel           with --format csv: ';' separator and byte-order mark for spreadsheets\n"
	"  -h, --help        this help\n"
	"\n"
	"examples:\n"
	"  bt reactions --matrix --kind zuruf\n"
	"  bt reactions --kind lachen --wp 20 --scope full\n";

static int run(int argc, char **argv, const char *dbpath)
{
	return matrix_command(&cmd_reactions, argc, argv, dbpath, -1);
}

const struct bt_command cmd_reactions = {
	.name = "reactions",
	.summary = "the matrix for any reaction: zuruf, lachen, heiterkeit, ...",
	.usage = usage,
	.run = run,
};
