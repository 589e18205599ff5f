/* Matrices summed from the tally. Reactions to the chair are left out (the chair's floor is not a
 * faction's), and so are reactions to speakers without a faction (guests, Bundesrat members). */
#include "bt/matrix.h"
#include "bt/util.h"
#include <string.h>

int parse_normalize_arg(const struct bt_command *c, const char *arg, int *norm)
{
	static const char *const names[] = { "none", "row", "col", "speech" };
	for (int i = 0; i < 4; i++)
		if (strcmp(arg, names[i]) == 0) {
			*norm = i;
			return 0;
		}
	if (strcmp(arg, "column") == 0) {
		*norm = NORM_COL;
		return 0;
	}
	return usage_error(c, "unknown normalisation '%s' (choose from none, row, col, speech)", arg);
}

static int scope_selected(const struct matrix_opts *o, int scope) { return o->scope == RS_COUNT || o->scope == scope; }

int matrix_compute(struct db *db, const struct matrix_opts *o, struct matrix *m)
{
	memset(m, 0, sizeof *m);
	char where[512], sql[1400];
	filter_sql(&o->filter, where, sizeof where);
	snprintf(sql, sizeof sql,
		 "SELECT t.giver, t.receiver, t.scope, sum(t.n) FROM tally t JOIN session s ON s.id = t.session_id"
		 " WHERE s.live AND t.kind = ?1 AND t.role <> 'chair' AND t.receiver <> ''%s%s"
		 " GROUP BY t.giver, t.receiver, t.scope",
		 o->no_government ? " AND t.government = 0" : "", where);
	sqlite3_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, reaction_kind_name(o->kind), -1, SQLITE_STATIC);
	int rc;
	int seen_g[FACTION_COUNT] = { 0 }, seen_r[FACTION_COUNT] = { 0 };
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int g = faction_from_label((const char *)sqlite3_column_text(st, 0));
		int r = faction_from_label((const char *)sqlite3_column_text(st, 1));
		int sc = reaction_scope_from_name((const char *)sqlite3_column_text(st, 2));
		if (!g || !r || sc < 0)
			continue;
		m->n[g][r][sc] += sqlite3_column_int64(st, 3);
		if (scope_selected(o, sc))
			seen_g[g] = seen_r[r] = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return error("cannot read database '%s': %s", db->path, db_errmsg(db));
	if (o->normalize == NORM_SPEECH) {
		snprintf(sql, sizeof sql,
			 "SELECT t.recv_faction, count(*) FROM speech sp JOIN session s ON s.id = sp.session_id"
			 " JOIN turn t ON t.id = sp.turn_id WHERE s.live AND t.recv_faction IS NOT NULL%s%s"
			 " GROUP BY t.recv_faction",
			 o->no_government ? " AND t.government = 0" : "", where);
		if (!(st = db_prepare(db, sql)))
			return -1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int r = faction_from_label((const char *)sqlite3_column_text(st, 0));
			if (r)
				m->speeches[r] = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return error("cannot read database '%s': %s", db->path, db_errmsg(db));
	}
	for (int f = 1; f < FACTION_COUNT; f++) {
		if (seen_g[f])
			m->givers[m->ngivers++] = f;
		if (seen_r[f])
			m->receivers[m->nreceivers++] = f;
	}
	for (int g = 1; g < FACTION_COUNT; g++)
		for (int r = 1; r < FACTION_COUNT; r++)
			for (int sc = 0; sc < RS_COUNT; sc++)
				if (scope_selected(o, sc)) {
					m->row_total[g] += m->n[g][r][sc];
					m->col_total[r] += m->n[g][r][sc];
				}
	return 0;
}

double matrix_value(const struct matrix *m, const struct matrix_opts *o, int g, int r, int sc)
{
	double v = (double)m->n[g][r][sc];
	switch (o->normalize) {
	case NORM_ROW:
		return m->row_total[g] ? v / (double)m->row_total[g] : 0.0;
	case NORM_COL:
		return m->col_total[r] ? v / (double)m->col_total[r] : 0.0;
	case NORM_SPEECH:
		return m->speeches[r] ? v / (double)m->speeches[r] : 0.0;
	default:
		return v;
	}
}

/* The cell as text: a count, a share in percent, or per speech. */
static void cell_text(const struct matrix *m, const struct matrix_opts *o, int g, int r, int sc, char *buf, size_t n)
{
	double v = matrix_value(m, o, g, r, sc);
	switch (o->normalize) {
	case NORM_ROW:
	case NORM_COL:
		snprintf(buf, n, "%.1f%%", v * 100.0);
		break;
	case NORM_SPEECH:
		snprintf(buf, n, "%.3f", v);
		break;
	default:
		snprintf(buf, n, "%lld", (long long)m->n[g][r][sc]);
	}
}

static const char *norm_title(int norm)
{
	switch (norm) {
	case NORM_ROW:
		return "share of the row's reactions";
	case NORM_COL:
		return "share of the column's reactions received";
	case NORM_SPEECH:
		return "per speech of the receiving faction";
	default:
		return "counts";
	}
}

static int print_grid_table(const struct matrix *m, const struct matrix_opts *o, int markdown)
{
	char desc[256];
	filter_describe(&o->filter, desc, sizeof desc);
	int scopes[RS_COUNT], ns = 0;
	for (int sc = 0; sc < RS_COUNT; sc++)
		if (scope_selected(o, sc))
			scopes[ns++] = sc;
	printf("%s%s by faction (rows) to the faction holding the floor (columns)\n", markdown ? "**" : "",
	       reaction_kind_name(o->kind));
	printf("%s, %s, scope %s%s%s\n", desc, norm_title(o->normalize),
	       o->scope == RS_COUNT ? "full/partial/individual" : reaction_scope_name(o->scope),
	       o->no_government ? ", without members of the government" : "", markdown ? "**" : "");
	if (markdown)
		printf("\n");
	if (m->ngivers == 0 || m->nreceivers == 0) {
		printf("(no %s in the selected sessions)\n", reaction_kind_name(o->kind));
		return finish_stdout();
	}
	/* column width: the widest label or value */
	int w = 7;
	char buf[64];
	for (int j = 0; j < m->nreceivers; j++) {
		for (int i = 0; i < m->ngivers; i++)
			for (int k = 0; k < ns; k++) {
				cell_text(m, o, m->givers[i], m->receivers[j], scopes[k], buf, sizeof buf);
				if ((int)strlen(buf) > w)
					w = (int)strlen(buf);
			}
	}
	const int lw = 14, sw = ns > 1 ? 11 : 0;
	if (markdown) {
		printf("| giver |%s", ns > 1 ? " scope |" : "");
		for (int j = 0; j < m->nreceivers; j++)
			printf(" %s |", faction_label(m->receivers[j]));
		printf("\n|---|%s", ns > 1 ? "---|" : "");
		for (int j = 0; j < m->nreceivers; j++)
			printf("---:|");
		printf("\n");
	} else {
		printf("\n%-*s%-*s", lw, "giver", sw, ns > 1 ? "scope" : "");
		for (int j = 0; j < m->nreceivers; j++) {
			const char *l = faction_short(m->receivers[j]);
			/* labels hold UTF-8 (GRÜNE): pad by characters */
			int chars = 0;
			for (const char *p = l; *p; p++)
				chars += ((unsigned char)*p & 0xC0) != 0x80;
			printf("%*s%s", w + 2 - chars, "", l);
		}
		printf("\n");
	}
	for (int i = 0; i < m->ngivers; i++) {
		int g = m->givers[i];
		for (int k = 0; k < ns; k++) {
			const char *gl = k == 0 ? faction_label(g) : "";
			int chars = 0;
			for (const char *p = gl; *p; p++)
				chars += ((unsigned char)*p & 0xC0) != 0x80;
			if (markdown)
				printf("| %s |%s%s%s", gl, ns > 1 ? " " : "", ns > 1 ? reaction_scope_name(scopes[k]) : "",
				       ns > 1 ? " |" : "");
			else
				printf("%s%*s%-*s", gl, lw - chars, "", sw, ns > 1 ? reaction_scope_name(scopes[k]) : "");
			for (int j = 0; j < m->nreceivers; j++) {
				cell_text(m, o, g, m->receivers[j], scopes[k], buf, sizeof buf);
				if (markdown)
					printf(" %s |", buf);
				else
					printf("%*s", w + 2, buf);
			}
			printf("\n");
		}
	}
	if (!markdown)
		printf("\nRows react, columns hold the floor; the chair's floor is left out.%s\n",
		       m->nreceivers && m->receivers[m->nreceivers - 1] == FACTION_FRAKTIONSLOS ? " fraktl. = fraktionslos."
											  : "");
	return finish_stdout();
}

static int print_grid_delimited(const struct matrix *m, const struct matrix_opts *o, enum out_format f, unsigned flags)
{
	const char *cols[2 + FACTION_COUNT];
	int nc = 0;
	cols[nc++] = "giver";
	cols[nc++] = "scope";
	for (int j = 0; j < m->nreceivers; j++)
		cols[nc++] = faction_label(m->receivers[j]);
	struct out *out = out_new(f, stdout, cols, nc, flags);
	for (int j = 0; j < m->nreceivers; j++)
		out_numeric(out, 2 + j);
	for (int i = 0; i < m->ngivers; i++)
		for (int sc = 0; sc < RS_COUNT; sc++) {
			if (!scope_selected(o, sc))
				continue;
			out_str(out, faction_label(m->givers[i]));
			out_str(out, reaction_scope_name(sc));
			for (int j = 0; j < m->nreceivers; j++) {
				if (o->normalize == NORM_NONE) {
					out_int(out, m->n[m->givers[i]][m->receivers[j]][sc]);
				} else {
					out_real(out, matrix_value(m, o, m->givers[i], m->receivers[j], sc), 6);
				}
			}
			out_row_end(out);
		}
	return out_finish(out);
}

int matrix_print_long(const struct matrix *m, const struct matrix_opts *o, enum out_format f, unsigned flags)
{
	static const char *const cols[] = { "kind", "giver", "receiver", "scope", "count", "value" };
	struct out *out = out_new(f, stdout, cols, 6, flags);
	out_numeric(out, 4);
	out_numeric(out, 5);
	for (int i = 0; i < m->ngivers; i++)
		for (int j = 0; j < m->nreceivers; j++)
			for (int sc = 0; sc < RS_COUNT; sc++) {
				if (!scope_selected(o, sc))
					continue;
				int g = m->givers[i], r = m->receivers[j];
				out_str(out, reaction_kind_name(o->kind));
				out_str(out, faction_label(g));
				out_str(out, faction_label(r));
				out_str(out, reaction_scope_name(sc));
				out_int(out, m->n[g][r][sc]);
				if (o->normalize == NORM_NONE)
					out_int(out, m->n[g][r][sc]);
				else
					out_real(out, matrix_value(m, o, g, r, sc), 6);
				out_row_end(out);
			}
	return out_finish(out);
}

int matrix_print(const struct matrix *m, const struct matrix_opts *o, enum out_format f, unsigned flags)
{
	switch (f) {
	case OUT_TABLE:
		return print_grid_table(m, o, 0);
	case OUT_MARKDOWN:
		return print_grid_table(m, o, 1);
	case OUT_JSON:
		return matrix_print_long(m, o, f, flags);
	default:
		return print_grid_delimited(m, o, f, flags);
	}
}

int matrix_command(const struct bt_command *c, int argc, char **argv, const char *dbpath, int kind)
{
	enum { OPT_KIND = 1100, OPT_SCOPE, OPT_NORMALIZE, OPT_NOGOV, OPT_MATRIX, OPT_EXCEL };
	static const struct option opts[] = {
		FILTER_OPTIONS,
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "scope", required_argument, NULL, OPT_SCOPE },
		{ "normalize", required_argument, NULL, OPT_NORMALIZE },
		{ "normalise", required_argument, NULL, OPT_NORMALIZE },
		{ "no-government", no_argument, NULL, OPT_NOGOV },
		{ "matrix", no_argument, NULL, OPT_MATRIX },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const unsigned formats = OUTF(OUT_TABLE) | OUTF(OUT_CSV) | OUTF(OUT_TSV) | OUTF(OUT_JSON) | OUTF(OUT_MARKDOWN);
	struct matrix_opts o;
	memset(&o, 0, sizeof o);
	o.kind = kind;
	o.scope = RS_COUNT;
	enum out_format fmt = OUT_TABLE;
	unsigned flags = 0;
	int ch, rc;
	optind = 0;
	opterr = 0;
	while ((ch = cli_getopt(argc, argv, "f:h", opts)) != -1) {
		switch (ch) {
		case OPT_WP:
		case OPT_FROM:
		case OPT_TO:
			if ((rc = filter_option(&o.filter, c, ch, optarg)))
				return rc;
			break;
		case OPT_KIND:
			if (kind >= 0)
				return usage_error(c, "--kind is fixed for 'bt %s'; use 'bt reactions --kind K'", c->name);
			if ((rc = parse_kind_arg(c, optarg, &o.kind)))
				return rc;
			break;
		case OPT_SCOPE:
			if ((rc = parse_scope_arg(c, optarg, &o.scope)))
				return rc;
			break;
		case OPT_NORMALIZE:
			if ((rc = parse_normalize_arg(c, optarg, &o.normalize)))
				return rc;
			break;
		case OPT_NOGOV:
			o.no_government = 1;
			break;
		case OPT_MATRIX:
			break; /* the matrix is what these commands show */
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
	if (o.kind < 0)
		return usage_error(c, "which reactions? give --kind beifall|zuruf|heiterkeit|lachen|widerspruch|"
				      "zustimmung|unruhe");
	if ((rc = filter_check(&o.filter, c)))
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
	struct matrix *m = xmalloc(sizeof *m);
	rc = matrix_compute(&db, &o, m);
	db_close(&db);
	if (rc == 0)
		rc = matrix_print(m, &o, fmt, flags);
	free(m);
	return rc < 0 ? BT_FAIL : BT_OK;
}
