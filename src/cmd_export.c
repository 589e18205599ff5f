/* bt export: the data behind the commands, for spreadsheets and scripts. */
#include "bt/cli.h"
#include "bt/db.h"
#include "bt/filter.h"
#include "bt/matrix.h"
#include "bt/output.h"
#include "bt/util.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: bt export sessions|speeches|reactions|matrix [options]\n"
	"\n"
	"Writes one table as CSV (RFC 4180, UTF-8, CRLF line ends), TSV or JSON to standard output\n"
	"or to a file.\n"
	"\n"
	"  sessions   wahlperiode,sitzung,date,start_time,end_time,speeches,kommentare,paragraphs,\n"
	"             source,content_hash\n"
	"  speeches   wahlperiode,sitzung,date,rede_id,speaker_id,speaker,faction,government,\n"
	"             agenda_item,applause\n"
	"  reactions  wahlperiode,sitzung,date,rede_id,speaker_id,speaker,speaker_faction,floor,kind,\n"
	"             scope,faction,person,kommentar -- one row per reaction; speaker is whoever held\n"
	"             the floor (floor: main, zwischenfrage, chair, member; empty in the annexes)\n"
	"  matrix     kind,giver,receiver,scope,count,value -- the matrix in long form\n"
	"\n"
	"options:\n"
	"  -f, --format F    csv (default), tsv, json\n"
	"  --excel           CSV for a German spreadsheet: ';' separator, byte-order mark, decimal comma\n"
	"  -o, --output FILE write to FILE (replaced only when complete) instead of standard output\n" FILTER_USAGE
	"  matrix only: --kind K (default beifall), --scope S, --normalize N, --no-government\n"
	"  -h, --help        this help\n"
	"\n"
	"examples:\n"
	"  bt export reactions --wp 21 > reactions.csv\n"
	"  bt export matrix --excel -o applaus.csv\n";

struct ctx {
	struct db db;
	struct filter flt;
	enum out_format fmt;
	unsigned flags;
};

static int fail_read(struct ctx *x)
{
	return error("cannot read database '%s': %s", x->db.path, db_errmsg(&x->db));
}

/* Runs sql (one row per output row, columns as given) and writes every row. */
static int dump(struct ctx *x, const char *sql, const char *const *cols, int ncols, const int *numeric)
{
	sqlite3_stmt *st = db_prepare(&x->db, sql);
	if (!st)
		return -1;
	struct out *o = out_new(x->fmt, stdout, cols, ncols, x->flags);
	for (int i = 0; i < ncols; i++)
		if (numeric[i])
			out_numeric(o, i);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++) {
			if (sqlite3_column_type(st, i) == SQLITE_NULL)
				out_str(o, x->fmt == OUT_JSON ? NULL : "");
			else
				out_str(o, (const char *)sqlite3_column_text(st, i));
		}
		out_row_end(o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		out_abort(o);
		return fail_read(x);
	}
	return out_finish(o);
}

static int export_sessions(struct ctx *x)
{
	static const char *const cols[] = { "wahlperiode", "sitzung", "date", "start_time", "end_time", "speeches",
					    "kommentare", "paragraphs", "source", "content_hash" };
	static const int num[] = { 1, 1, 0, 0, 0, 1, 1, 1, 0, 0 };
	char where[512], sql[1024];
	filter_sql(&x->flt, where, sizeof where);
	snprintf(sql, sizeof sql,
		 "SELECT s.wahlperiode, s.sitzung, s.date, s.start_time, s.end_time,"
		 " (SELECT count(*) FROM speech x WHERE x.id >= (s.id << 24) AND x.id < ((s.id + 1) << 24)),"
		 " (SELECT count(*) FROM kommentar x WHERE x.id >= (s.id << 24) AND x.id < ((s.id + 1) << 24)),"
		 " (SELECT count(*) FROM paragraph x WHERE x.id >= (s.id << 24) AND x.id < ((s.id + 1) << 24)),"
		 " s.source, s.content_hash FROM session s WHERE s.live%s ORDER BY s.wahlperiode, s.sitzung",
		 where);
	return dump(x, sql, cols, 10, num);
}

static int export_speeches(struct ctx *x)
{
	static const char *const cols[] = { "wahlperiode", "sitzung", "date", "rede_id", "speaker_id", "speaker",
					    "faction", "government", "agenda_item", "applause" };
	static const int num[] = { 1, 1, 0, 0, 1, 0, 0, 1, 0, 1 };
	char where[512], sql[1024];
	filter_sql(&x->flt, where, sizeof where);
	snprintf(sql, sizeof sql,
		 "SELECT s.wahlperiode, s.sitzung, s.date, sp.rede_id, sp.speaker_id, t.name, t.recv_faction,"
		 " t.government, coalesce(a.title, a.top_id), sp.applause FROM session s"
		 " JOIN speech sp ON sp.id >= (s.id << 24) AND sp.id < ((s.id + 1) << 24)"
		 " LEFT JOIN turn t ON t.id = sp.turn_id LEFT JOIN agenda_item a ON a.id = sp.agenda_item_id"
		 " WHERE s.live%s ORDER BY s.wahlperiode, s.sitzung, sp.id",
		 where);
	return dump(x, sql, cols, 10, num);
}

static int export_reactions(struct ctx *x)
{
	static const char *const cols[] = { "wahlperiode", "sitzung", "date", "rede_id", "speaker_id", "speaker",
					    "speaker_faction", "floor", "kind", "scope", "faction", "person",
					    "kommentar" };
	static const int num[] = { 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	char where[512], sql[1400];
	filter_sql(&x->flt, where, sizeof where);
	/* session by session, each a rowid range, so the rows stream in document order */
	snprintf(sql, sizeof sql,
		 "SELECT s.wahlperiode, s.sitzung, s.date, sp.rede_id, t.person_id, t.name, t.recv_faction, t.role,"
		 " r.kind, r.scope, r.faction, r.person, k.text FROM session s"
		 " JOIN reaction r ON r.id >= (s.id << 24) AND r.id < ((s.id + 1) << 24)"
		 " JOIN kommentar k ON k.id = r.kommentar_id LEFT JOIN turn t ON t.id = k.turn_id"
		 " LEFT JOIN speech sp ON sp.id = t.speech_id"
		 " WHERE s.live%s ORDER BY s.wahlperiode, s.sitzung, r.id",
		 where);
	return dump(x, sql, cols, 13, num);
}

static int run(int argc, char **argv, const char *dbpath)
{
	enum { OPT_EXCEL = 1300, OPT_KIND, OPT_SCOPE, OPT_NORMALIZE, OPT_NOGOV };
	static const struct option opts[] = {
		FILTER_OPTIONS,
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "scope", required_argument, NULL, OPT_SCOPE },
		{ "normalize", required_argument, NULL, OPT_NORMALIZE },
		{ "no-government", no_argument, NULL, OPT_NOGOV },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct bt_command *c = &cmd_export;
	const unsigned formats = OUTF(OUT_CSV) | OUTF(OUT_TSV) | OUTF(OUT_JSON);
	struct ctx x;
	memset(&x, 0, sizeof x);
	x.fmt = OUT_CSV;
	struct matrix_opts mo;
	memset(&mo, 0, sizeof mo);
	mo.kind = RK_BEIFALL;
	mo.scope = RS_COUNT;
	int matrix_opt = 0, ch, rc;
	const char *output = NULL;
	optind = 0;
	opterr = 0;
	while ((ch = cli_getopt(argc, argv, "f:o:h", opts)) != -1) {
		switch (ch) {
		case OPT_WP:
		case OPT_FROM:
		case OPT_TO:
			if ((rc = filter_option(&x.flt, c, ch, optarg)))
				return rc;
			break;
		case OPT_EXCEL:
			x.flags |= OUT_EXCEL;
			break;
		case OPT_KIND:
			matrix_opt = 1;
			if ((rc = parse_kind_arg(c, optarg, &mo.kind)))
				return rc;
			break;
		case OPT_SCOPE:
			matrix_opt = 1;
			if ((rc = parse_scope_arg(c, optarg, &mo.scope)))
				return rc;
			break;
		case OPT_NORMALIZE:
			matrix_opt = 1;
			if ((rc = parse_normalize_arg(c, optarg, &mo.normalize)))
				return rc;
			break;
		case OPT_NOGOV:
			matrix_opt = 1;
			mo.no_government = 1;
			break;
		case 'f':
			if ((rc = parse_format_arg(c, optarg, formats, &x.fmt)))
				return rc;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			return print_usage(c);
		default:
			return option_error(c, argv);
		}
	}
	if (optind >= argc)
		return usage_error(c, "what to export? choose from sessions, speeches, reactions, matrix");
	const char *what = argv[optind];
	if (optind + 1 < argc)
		return usage_error(c, "unexpected argument '%s'", argv[optind + 1]);
	int which = strcmp(what, "sessions") == 0 ? 0 : strcmp(what, "speeches") == 0 ? 1
						  : strcmp(what, "reactions") == 0 ? 2
						  : strcmp(what, "matrix") == 0    ? 3
										   : -1;
	if (which < 0)
		return usage_error(c, "unknown table '%s' (choose from sessions, speeches, reactions, matrix)", what);
	if (matrix_opt && which != 3)
		return usage_error(c, "--kind, --scope, --normalize and --no-government apply to 'export matrix'");
	if ((x.flags & OUT_EXCEL) && x.fmt != OUT_CSV)
		return usage_error(c, "--excel applies to --format csv");
	if ((rc = filter_check(&x.flt, c)))
		return rc;
	if (x.fmt == OUT_CSV)
		x.flags |= OUT_CRLF;

	if (db_open(&x.db, db_default_path(dbpath), DB_READ) < 0)
		return BT_FAIL;
	if (db_require_data(&x.db) < 0) {
		db_close(&x.db);
		return BT_FAIL;
	}
	/* -o: write a temporary file beside the target, rename when complete */
	char tmp[4096];
	FILE *saved = NULL;
	if (output) {
		snprintf(tmp, sizeof tmp, "%s.tmp.%ld", output, (long)getpid());
		fflush(stdout);
		saved = stdout;
		stdout = fopen(tmp, "w");
		if (!stdout) {
			stdout = saved;
			rc = error("cannot write '%s': %s", output, strerror(errno));
			db_close(&x.db);
			return BT_FAIL;
		}
	}
	switch (which) {
	case 0:
		rc = export_sessions(&x);
		break;
	case 1:
		rc = export_speeches(&x);
		break;
	case 2:
		rc = export_reactions(&x);
		break;
	default: {
		mo.filter = x.flt;
		struct matrix *m = xmalloc(sizeof *m);
		rc = matrix_compute(&x.db, &mo, m);
		if (rc == 0)
			rc = matrix_print_long(m, &mo, x.fmt, x.flags);
		free(m);
	}
	}
	db_close(&x.db);
	if (output) {
		int werr = fclose(stdout) != 0;
		stdout = saved;
		if (rc == 0 && werr)
			rc = error("cannot write '%s': %s", output, strerror(errno));
		if (rc == 0 && rename(tmp, output) != 0)
			rc = error("cannot write '%s': %s", output, strerror(errno));
		if (rc != 0)
			unlink(tmp);
	}
	return rc < 0 ? BT_FAIL : BT_OK;
}

const struct bt_command cmd_export = {
	.name = "export",
	.summary = "export sessions, speeches, reactions or the matrix as CSV, TSV or JSON",
	.usage = usage,
	.run = run,
};
