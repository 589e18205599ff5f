/* bt import PATH... */
#include "bt/cli.h"
#include "bt/db.h"
#include "bt/importer.h"
#include "bt/util.h"
#include <stdio.h>
#include <unistd.h>

static const char usage[] =
	"usage: bt import [-q] PATH...\n"
	"\n"
	"Reads plenary protocols into the database: protocol XML files, directories holding\n"
	"them, and ZIP archives of them (such as pp19.zip, read in place, nothing extracted).\n"
	"The members' master data (MdB-Stammdaten.zip or MDB_STAMMDATEN.XML) is recognised\n"
	"and imported too; it gives members of the government their faction.\n"
	"\n"
	"A protocol is identified by Wahlperiode and Sitzung from its content: the same content\n"
	"again is reported as unchanged and costs no write; changed content replaces the stored\n"
	"version. Each protocol is stored in one transaction: a bad file, or an interrupted\n"
	"import, leaves the database as it was before that protocol.\n"
	"\n"
	"options:\n"
	"  -q, --quiet   no progress line\n"
	"  -h, --help    this help\n"
	"\n"
	"exit status: 0 all inputs imported, 1 an input failed, 2 usage error\n";

void print_import_summary(const struct import_stats *st, double seconds);

void print_import_summary(const struct import_stats *st, double seconds)
{
	printf("documents  %lld (%.1f MB in %.1f s, %.1f MB/s)\n", (long long)st->documents, st->bytes / 1e6,
	       seconds, seconds > 0 ? st->bytes / 1e6 / seconds : 0.0);
	printf("new        %lld\n", (long long)st->new_);
	printf("updated    %lld\n", (long long)st->updated);
	printf("unchanged  %lld\n", (long long)st->unchanged);
	printf("failed     %lld\n", (long long)st->failed);
	printf("speeches   %lld\n", (long long)st->speeches);
	printf("kommentare %lld\n", (long long)st->kommentare);
	printf("unmapped factions %lld%s\n", (long long)st->unmapped,
	       st->unmapped ? " (stored as printed in turn.faction_raw; those speakers get their faction"
			      " from the master data)"
			    : "");
	if (st->members)
		printf("members    %lld (master data)\n", (long long)st->members);
}

static int run(int argc, char **argv, const char *dbpath)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int quiet = 0, c;
	optind = 0;
	opterr = 0;
	while ((c = cli_getopt(argc, argv, "qh", opts)) != -1) {
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			return print_usage(&cmd_import);
		default:
			return option_error(&cmd_import, argv);
		}
	}
	if (optind >= argc)
		return usage_error(&cmd_import, "no PATH given");
	struct db db;
	if (db_open(&db, db_default_path(dbpath), DB_WRITE) < 0)
		return BT_FAIL;
	struct store *s = store_new(&db, 1);
	if (!s) {
		db_close(&db);
		return BT_FAIL;
	}
	struct import_stats st = { 0 };
	double t0 = now_seconds();
	import_paths(s, argv + optind, argc - optind, &st, !quiet && is_tty(2));
	char why[512];
	if (store_free(s, why, sizeof why) < 0) {
		error("%s", why);
		st.failed++;
	}
	db_close(&db);
	print_import_summary(&st, now_seconds() - t0);
	if (finish_stdout() < 0)
		return BT_FAIL;
	return st.failed ? BT_FAIL : BT_OK;
}

const struct bt_command cmd_import = {
	.name = "import",
	.summary = "import protocols from XML files, directories or ZIP archives",
	.usage = usage,
	.run = run,
};
