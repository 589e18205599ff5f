/* bt top-speeches: the speeches that drew the most applause. */
#include "bt/cli.h"
#include "bt/db.h"
#include "bt/faction.h"
#include "bt/filter.h"
#include "bt/output.h"
#include "bt/reaction.h"
#include "bt/util.h"
#include <string.h>

static const char usage[] =
	"usage: bt top-speeches [-n N] [options]\n"
	"\n"
	"Speeches ranked by the applause their main speaker received while holding the floor\n"
	"(including the applause that greets them after the chair's announcement). Each kommentar\n"
	"counts once per applauding faction; 'im ganzen Hause' counts for every faction seated.\n"
	"Shows date, session, speaker, faction, agenda item, the total and the applause by faction,\n"
	"split into full / partial / individual.\n"
	"\n"
	"options:\n"
	"  -n N              how many speeches (default 10)\n"
	"  --faction F       only speeches by members of this faction (Grüne, Linke, Union ... work)\n"
	"  --no-government   leave out speeches by members of the government\n" FILTER_USAGE
	"  -f, --format F    table (default), csv, tsv, json, markdown\n"
	"  --excel           with --format csv: ';' separator and byte-order mark for spreadsheets\n"
	"  -h, --help        this help\n"
	"\n"
	"In the table, the breakdown reads 'SPD 12+3+1': 12 times the whole SPD, 3 times some SPD\n"
	"members, once a named SPD member.\n";

struct row {
	int64_t speech_id, applause;
	int wp, sitzung;
	char date[11];
	char *rede_id, *speaker, *faction, *title;
	int64_t by[FACTION_COUNT][RS_COUNT];
};

static void free_rows(struct row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		free(rows[i].rede_id);
		free(rows[i].speaker);
		free(rows[i].faction);
		free(rows[i].title);
	}
	free(rows);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return xstrdup(t ? (const char *)t : "");
}

/* "SPD 12+3+1 · GRÜNE 10": by total, largest first */
static void breakdown(const struct row *r, char *buf, size_t n, const char *sep)
{
	int order[FACTION_COUNT], k = 0;
	int64_t tot[FACTION_COUNT] = { 0 };
	for (int f = 1; f < FACTION_COUNT; f++) {
		tot[f] = r->by[f][0] + r->by[f][1] + r->by[f][2];
		if (tot[f])
			order[k++] = f;
	}
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && tot[order[j]] > tot[order[j - 1]]; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < k && o < n; i++) {
		const int64_t *b = r->by[order[i]];
		o += (size_t)snprintf(buf + o, n - o, "%s%s %lld", o ? sep : "", faction_short(order[i]), (long long)b[0]);
		if ((b[1] || b[2]) && o < n)
			o += (size_t)snprintf(buf + o, n - o, "+%lld", (long long)b[1]);
		if (b[2] && o < n)
			o += (size_t)snprintf(buf + o, n - o, "+%lld", (long long)b[2]);
	}
}

/* Cuts s (in a buffer of cap bytes) to at most chars characters, the last one an ellipsis. */
static void truncate_utf8(char *s, size_t cap, int chars)
{
	int c = 0;
	for (char *p = s; *p; p++) {
		if (((unsigned char)*p & 0xC0) == 0x80)
			continue;
		if (++c == chars && p[1]) {
			/* more than chars characters follow: end with "…" (3 bytes) */
			if ((size_t)(p - s) + 4 <= cap)
				memcpy(p, "\xE2\x80\xA6", 4);
			return;
		}
	}
}

static int run(int argc, char **argv, const char *dbpath)
{
	enum { OPT_FACTION = 1200, OPT_NOGOV, OPT_EXCEL };
	static const struct option opts[] = {
		FILTER_OPTIONS,
		{ "faction", required_argument, NULL, OPT_FACTION },
		{ "no-government", no_argument, NULL, OPT_NOGOV },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const unsigned formats = OUTF(OUT_TABLE) | OUTF(OUT_CSV) | OUTF(OUT_TSV) | OUTF(OUT_JSON) | OUTF(OUT_MARKDOWN);
	const struct bt_command *c = &cmd_top_speeches;
	struct filter flt;
	memset(&flt, 0, sizeof flt);
	int n = 10, faction = 0, nogov = 0, ch, rc;
	unsigned flags = 0;
	enum out_format fmt = OUT_TABLE;
	optind = 0;
	opterr = 0;
	while ((ch = cli_getopt(argc, argv, "n:f:h", opts)) != -1) {
		switch (ch) {
		case OPT_WP:
		case OPT_FROM:
		case OPT_TO:
			if ((rc = filter_option(&flt, c, ch, optarg)))
				return rc;
			break;
		case 'n':
			if ((rc = parse_count_arg(c, "-n", optarg, &n)))
				return rc;
			break;
		case OPT_FACTION:
			if ((rc = parse_faction_arg(c, optarg, &faction)))
				return rc;
			break;
		case OPT_NOGOV:
			nogov = 1;
			break;
		case OPT_EXCEL:
			flags |= OUT_EXCEL;
			break;
		case 'f':
			if ((rc = parse_format_arg(c, optarg, formats, &fmt)))
				return rc;
			break;
		case 'h':
			return print_usage(c);
		default:
			return option_error(c, argv);
		}
	}
	if (optind < argc)
		return usage_error(c, "unexpected argument '%s'", argv[optind]);
	if ((rc = filter_check(&flt, c)))
		return rc;
	if ((flags & OUT_EXCEL) && fmt != OUT_CSV)
		return usage_error(c, "--excel applies to --format csv");

	struct db db;
	if (db_open(&db, db_default_path(dbpath), DB_READ) < 0)
		return BT_FAIL;
	if (db_require_data(&db) < 0) {
		db_close(&db);
		return BT_FAIL;
	}
	char where[512], sql[2048];
	filter_sql(&flt, where, sizeof where);
	snprintf(sql, sizeof sql,
		 "SELECT sp.id, sp.applause, s.wahlperiode, s.sitzung, s.date, sp.rede_id, t.name, t.recv_faction,"
		 " a.title, a.top_id FROM speech sp JOIN session s ON s.id = sp.session_id"
		 " LEFT JOIN turn t ON t.id = sp.turn_id LEFT JOIN agenda_item a ON a.id = sp.agenda_item_id"
		 " WHERE s.live AND sp.applause > 0%s%s%s"
		 " ORDER BY sp.applause DESC, s.date, sp.id LIMIT %d",
		 faction ? " AND t.recv_faction = ?1" : "", nogov ? " AND coalesce(t.government, 0) = 0" : "", where, n);
	sqlite3_stmt *st = db_prepare(&db, sql);
	sqlite3_stmt *bt = db_prepare(&db, "SELECT giver, scope, n FROM speech_tally WHERE speech_id = ?1");
	if (!st || !bt) {
		sqlite3_finalize(st);
		sqlite3_finalize(bt);
		db_close(&db);
		return BT_FAIL;
	}
	if (faction)
		sqlite3_bind_text(st, 1, faction_label(faction), -1, SQLITE_STATIC);
	struct row *rows = xcalloc((size_t)n, sizeof *rows);
	int nr = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && nr < n) {
		struct row *r = &rows[nr++];
		r->speech_id = sqlite3_column_int64(st, 0);
		r->applause = sqlite3_column_int64(st, 1);
		r->wp = sqlite3_column_int(st, 2);
		r->sitzung = sqlite3_column_int(st, 3);
		snprintf(r->date, sizeof r->date, "%s", (const char *)sqlite3_column_text(st, 4));
		r->rede_id = col_dup(st, 5);
		r->speaker = col_dup(st, 6);
		r->faction = col_dup(st, 7);
		r->title = sqlite3_column_type(st, 8) != SQLITE_NULL ? col_dup(st, 8) : col_dup(st, 9);
		sqlite3_bind_int64(bt, 1, r->speech_id);
		while (sqlite3_step(bt) == SQLITE_ROW) {
			int g = faction_from_label((const char *)sqlite3_column_text(bt, 0));
			int sc = reaction_scope_from_name((const char *)sqlite3_column_text(bt, 1));
			if (g && sc >= 0)
				r->by[g][sc] += sqlite3_column_int64(bt, 2);
		}
		sqlite3_reset(bt);
	}
	int failed = rc != SQLITE_DONE && rc != SQLITE_ROW;
	if (failed)
		error("cannot read database '%s': %s", db.path, db_errmsg(&db));
	sqlite3_finalize(st);
	sqlite3_finalize(bt);
	db_close(&db);
	if (failed) {
		free_rows(rows, nr);
		return BT_FAIL;
	}

	struct out *o;
	if (fmt == OUT_TABLE) {
		/* three lines a speech, to stay readable at 100 columns */
		char desc[256];
		filter_describe(&flt, desc, sizeof desc);
		printf("Speeches by applause while the main speaker held the floor (%s%s%s%s)\n", desc,
		       faction ? ", " : "", faction ? faction_label(faction) : "", nogov ? ", without the government" : "");
		printf("Applause counts once per applauding faction and kommentar; SPD 12+3+1 = 12 times the whole\n"
		       "faction, 3 times some members, once a named member.\n\n");
		for (int i = 0; i < nr; i++) {
			char by[512], title[512], speaker[160];
			snprintf(speaker, sizeof speaker, "%s (%s)", rows[i].speaker,
				 rows[i].faction[0] ? rows[i].faction : "no faction");
			truncate_utf8(speaker, sizeof speaker, 52);
			printf("%3d  %s  %d/%-4d  %-52s %6lld\n", i + 1, rows[i].date, rows[i].wp, rows[i].sitzung, speaker,
			       (long long)rows[i].applause);
			snprintf(title, sizeof title, "%s", rows[i].title);
			truncate_utf8(title, sizeof title, 90);
			printf("     %s\n", title);
			breakdown(&rows[i], by, sizeof by, " · ");
			printf("     %s\n", by);
		}
		if (nr == 0)
			printf("(no applauded speeches in the selected sessions)\n");
		free_rows(rows, nr);
		return finish_stdout() < 0 ? BT_FAIL : BT_OK;
	}
	if (fmt == OUT_MARKDOWN) {
		static const char *const cols[] = { "#", "date", "session", "speaker", "faction", "applause",
						    "by faction (full+partial+individual)", "agenda item" };
		o = out_new(fmt, stdout, cols, 8, flags);
		out_numeric(o, 0);
		out_numeric(o, 5);
		for (int i = 0; i < nr; i++) {
			char sess[32], by[512];
			snprintf(sess, sizeof sess, "%d/%d", rows[i].wp, rows[i].sitzung);
			breakdown(&rows[i], by, sizeof by, ", ");
			out_int(o, i + 1);
			out_str(o, rows[i].date);
			out_str(o, sess);
			out_str(o, rows[i].speaker);
			out_str(o, rows[i].faction);
			out_int(o, rows[i].applause);
			out_str(o, by);
			out_str(o, rows[i].title);
			out_row_end(o);
		}
	} else {
		const char *cols[10 + (FACTION_COUNT - 1) * RS_COUNT];
		char names[(FACTION_COUNT - 1) * RS_COUNT][40];
		int nc = 0;
		static const char *const base[] = { "rank", "date", "wahlperiode", "sitzung", "rede_id", "speaker",
						    "faction", "agenda_item", "applause" };
		for (int k = 0; k < 9; k++)
			cols[nc++] = base[k];
		for (int f = 1; f < FACTION_COUNT; f++)
			for (int sc = 0; sc < RS_COUNT; sc++) {
				char *nm = names[(f - 1) * RS_COUNT + sc];
				snprintf(nm, 40, "%s_%s", faction_label(f), reaction_scope_name(sc));
				cols[nc++] = nm;
			}
		o = out_new(fmt, stdout, cols, nc, flags);
		for (int k = 0; k < nc; k++)
			if (k == 0 || k == 2 || k == 3 || k >= 8)
				out_numeric(o, k);
		for (int i = 0; i < nr; i++) {
			out_int(o, i + 1);
			out_str(o, rows[i].date);
			out_int(o, rows[i].wp);
			out_int(o, rows[i].sitzung);
			out_str(o, rows[i].rede_id);
			out_str(o, rows[i].speaker);
			out_str(o, rows[i].faction);
			out_str(o, rows[i].title);
			out_int(o, rows[i].applause);
			for (int f = 1; f < FACTION_COUNT; f++)
				for (int sc = 0; sc < RS_COUNT; sc++)
					out_int(o, rows[i].by[f][sc]);
			out_row_end(o);
		}
	}
	free_rows(rows, nr);
	return out_finish(o) < 0 ? BT_FAIL : BT_OK;
}

const struct bt_command cmd_top_speeches = {
	.name = "top-speeches",
	.summary = "the speeches that drew the most applause, by faction",
	.usage = usage,
	.run = run,
};
