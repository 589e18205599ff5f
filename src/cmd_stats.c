/* bt stats: what the database holds, per Wahlperiode. */
#include "bt/cli.h"
#include "bt/db.h"
#include "bt/filter.h"
#include "bt/output.h"
#include "bt/util.h"
#include <string.h>

static const char usage[] =
	"usage: bt stats [--format table|csv|json|markdown]\n"
	"       bt stats --unparsed [-n N] [--format ...]\n"
	"\n"
	"One row per Wahlperiode: wahlperiode, sessions, first_date, last_date, speeches,\n"
	"kommentare.\n"
	"\n"
	"With --unparsed: how well the reaction parser covers the stored kommentare (the share of\n"
	"distinct kommentar texts that yield at least one reaction), and the most frequent texts\n"
	"that mention a reaction word (Beifall, Zuruf, Lachen, ...) but yield none.\n"
	"\n"
	"options:\n"
	"  -f, --format F   table (default), csv, json or markdown\n"
	"  --unparsed       parser coverage and the texts it leaves out\n"
	"  -n N             how many texts with --unparsed (default 20)\n"
	"  -h, --help       this help\n";

/* Coverage of the reaction parser over the distinct kommentar texts in the database. */
static int unparsed(struct db *db, enum out_format fmt, int n)
{
	static const char *const words =
		"(k.text LIKE '%Beifall%' OR k.text LIKE '%Zuruf%' OR k.text LIKE '%Lachen%' OR k.text LIKE "
		"'%Heiterkeit%' OR k.text LIKE '%Widerspruch%' OR k.text LIKE '%Zustimmung%' OR k.text LIKE "
		"'%Unruhe%' OR k.text LIKE '%Gegenruf%')";
	char sql[1400];
	snprintf(sql, sizeof sql,
		 "WITH hit AS (SELECT DISTINCT kommentar_id AS id FROM reaction),"
		 " k AS (SELECT k.text, h.id IS NOT NULL AS parsed FROM kommentar k JOIN session s ON s.id = k.session_id"
		 "  LEFT JOIN hit h ON h.id = k.id WHERE s.live)"
		 " SELECT count(DISTINCT text), count(DISTINCT CASE WHEN parsed THEN text END), count(*),"
		 " sum(parsed), count(DISTINCT CASE WHEN NOT parsed AND %s THEN text END) FROM k",
		 words);
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return error("cannot read database '%s': %s", db->path, db_errmsg(db));
	}
	int64_t distinct = sqlite3_column_int64(st, 0), dparsed = sqlite3_column_int64(st, 1),
		total = sqlite3_column_int64(st, 2), parsed = sqlite3_column_int64(st, 3),
		missed = sqlite3_column_int64(st, 4);
	sqlite3_finalize(st);
	snprintf(sql, sizeof sql,
		 "WITH hit AS (SELECT DISTINCT kommentar_id AS id FROM reaction)"
		 " SELECT count(*), k.text FROM kommentar k JOIN session s ON s.id = k.session_id"
		 " LEFT JOIN hit h ON h.id = k.id WHERE s.live AND h.id IS NULL AND %s"
		 " GROUP BY k.text ORDER BY count(*) DESC, k.text LIMIT %d",
		 words, n);
	if (!(st = db_prepare(db, sql)))
		return -1;
	if (fmt == OUT_TABLE) {
		printf("distinct kommentar texts   %lld, with reactions %lld (%.2f%%)\n", (long long)distinct,
		       (long long)dparsed, distinct ? 100.0 * (double)dparsed / (double)distinct : 0.0);
		printf("kommentare                 %lld, with reactions %lld (%.2f%%)\n", (long long)total,
		       (long long)parsed, total ? 100.0 * (double)parsed / (double)total : 0.0);
		printf("texts naming a reaction word without any reaction: %lld; the most frequent:\n\n",
		       (long long)missed);
	}
	static const char *const cols[] = { "count", "kommentar" };
	struct out *o = out_new(fmt, stdout, cols, 2, 0);
	out_numeric(o, 0);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out_int(o, sqlite3_column_int64(st, 0));
		out_str(o, (const char *)sqlite3_column_text(st, 1));
		out_row_end(o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		out_abort(o);
		return error("cannot read database '%s': %s", db->path, db_errmsg(db));
	}
	return out_finish(o);
}

#define FORMATS (OUTF(OUT_TABLE) | OUTF(OUT_CSV) | OUTF(OUT_JSON) | OUTF(OUT_MARKDOWN))

static int run(int argc, char **argv, const char *dbpath)
{
	enum { OPT_UNPARSED = 1400 };
	static const struct option opts[] = {
		{ "unparsed", no_argument, NULL, OPT_UNPARSED },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum out_format fmt = OUT_TABLE;
	int c, show_unparsed = 0, n = 20, rc;
	optind = 0;
	opterr = 0;
	while ((c = cli_getopt(argc, argv, "f:n:h", opts)) != -1) {
		switch (c) {
		case OPT_UNPARSED:
			show_unparsed = 1;
			break;
		case 'n':
			if ((rc = parse_count_arg(&cmd_stats, "-n", optarg, &n)))
				return rc;
			break;
		case 'f':
			if ((rc = parse_format_arg(&cmd_stats, optarg, FORMATS, &fmt)))
				return rc;
			break;
		case 'h':
			return print_usage(&cmd_stats);
		default:
			return option_error(&cmd_stats, argv);
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
	if (show_unparsed) {
		rc = unparsed(&db, fmt, n);
		db_close(&db);
		return rc < 0 ? BT_FAIL : BT_OK;
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
		out_abort(o);
		error("cannot read database '%s': %s", db.path, db_errmsg(&db));
		db_close(&db);
		return BT_FAIL;
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
