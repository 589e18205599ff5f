/* bt stats: what the database holds, per Wahlperiode. */
#include "bt/cli.h"
#include "bt/db.h"
#include "bt/output.h"
#include "bt/util.h"
#include <string.h>

static const char usage[] =
	"usage: bt stats [--format table|csv|json|markdown]\n"
	"\n"
	"One row per Wahlperiode: wahlperiode, sessions, first_date, last_date, speeches,\n"
	"kommentare.\n"
	"\n"
	"options:\n"
	"  -f, --format F   table (default on a terminal), csv, json or markdown\n"
	"  -h, --help       this help\n";

#define FORMATS (OUTF(OUT_TABLE) | OUTF(OUT_CSV) | OUTF(OUT_JSON) | OUTF(OUT_MARKDOWN))

static int run(int argc, char **argv, const char *dbpath)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum out_format fmt = OUT_TABLE;
	int c;
	char choices[80];
	optind = 0;
	opterr = 0;
	while ((c = cli_getopt(argc, argv, "f:h", opts)) != -1) {
		switch (c) {
		case 'f':
			if (out_format_parse(optarg, FORMATS, &fmt) < 0)
				return usage_error(&cmd_stats, "unknown format '%s' (choose from %s)", optarg,
						   out_format_choices(FORMATS, choices, sizeof choices));
			break;
		case 'h':
			return print_usage(&cmd_stats);
		default:
			return usage_error(&cmd_stats, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(&cmd_stats, "unexpected argument '%s'", argv[optind]);
	struct db db;
	if (db_open(&db, db_default_path(dbpath), DB_READ) < 0)
		return BT_FAIL;
	if (db_require_data(&db) < 0) {
		db_close(&db);
		return BT_FAIL;
	}
	sqlite3_stmt *st = db_prepare(&db,
		"SELECT s.wahlperiode, count(*), min(s.date), max(s.date),"
		" (SELECT count(*) FROM speech x JOIN session y ON y.id = x.session_id"
		"   WHERE y.live AND y.wahlperiode = s.wahlperiode),"
		" (SELECT count(*) FROM kommentar x JOIN session y ON y.id = x.session_id"
		"   WHERE y.live AND y.wahlperiode = s.wahlperiode)"
		" FROM session s WHERE s.live GROUP BY s.wahlperiode ORDER BY s.wahlperiode");
	if (!st) {
		db_close(&db);
		return BT_FAIL;
	}
	static const char *const cols[] = { "wahlperiode", "sessions", "first_date", "last_date", "speeches",
					    "kommentare" };
	struct out *o = out_new(fmt, stdout, cols, 6, 0);
	out_numeric(o, 0);
	out_numeric(o, 1);
	out_numeric(o, 4);
	out_numeric(o, 5);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out_int(o, sqlite3_column_int64(st, 0));
		out_int(o, sqlite3_column_int64(st, 1));
		out_str(o, (const char *)sqlite3_column_text(st, 2));
		out_str(o, (const char *)sqlite3_column_text(st, 3));
		out_int(o, sqlite3_column_int64(st, 4));
		out_int(o, sqlite3_column_int64(st, 5));
		out_row_end(o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		error("cannot read database '%s': %s", db.path, db_errmsg(&db));
		db_close(&db);
		return BT_FAIL; /* nothing printed: table output is buffered, the CSV head is harmless */
	}
	db_close(&db);
	return out_finish(o) < 0 ? BT_FAIL : BT_OK;
}

const struct bt_command cmd_stats = {
	.name = "stats",
	.summary = "sessions, speeches and kommentare per Wahlperiode",
	.usage = usage,
	.run = run,
};
