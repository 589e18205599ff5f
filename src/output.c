/* Output formats. */
#include "bt/output.h"
#include "bt/cli.h"
#include "bt/strbuf.h"
#include "bt/util.h"
#include <string.h>

static const char *const format_names[] = { "table", "csv", "tsv", "json", "markdown" };

int out_format_parse(const char *s, unsigned allowed, enum out_format *f)
{
	for (int i = 0; i < 5; i++)
		if ((allowed & OUTF(i)) && strcmp(s, format_names[i]) == 0) {
			*f = (enum out_format)i;
			return 0;
		}
	return -1;
}

int parse_format_arg(const struct bt_command *c, const char *arg, unsigned allowed, enum out_format *f)
{
	char choices[80];
	if (out_format_parse(arg, allowed, f) == 0)
		return 0;
	return usage_error(c, "unknown format '%s' (choose from %s)", arg,
			   out_format_choices(allowed, choices, sizeof choices));
}

const char *out_format_choices(unsigned allowed, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < 5; i++)
		if (allowed & OUTF(i))
			o += (size_t)snprintf(buf + o, o < n ? n - o : 0, "%s%s", o ? ", " : "", format_names[i]);
	return buf;
}

struct out {
	enum out_format f;
	FILE *fp;
	unsigned flags;
	int ncols;
	char **cols;
	unsigned char *numeric;
	/* the current row */
	char **cell;
	unsigned char *isnull;
	int ncell;
	int64_t rows;
	/* buffered rows (table, markdown) */
	char **buf;
	size_t nbuf, capbuf;
};

static void emit_header(struct out *o);

struct out *out_new(enum out_format f, FILE *fp, const char *const *cols, int ncols, unsigned flags)
{
	struct out *o = xcalloc(1, sizeof *o);
	o->f = f;
	o->fp = fp;
	o->flags = flags;
	o->ncols = ncols;
	o->cols = xcalloc((size_t)ncols, sizeof *o->cols);
	o->numeric = xcalloc((size_t)ncols, 1);
	o->cell = xcalloc((size_t)ncols, sizeof *o->cell);
	o->isnull = xcalloc((size_t)ncols, 1);
	for (int i = 0; i < ncols; i++)
		o->cols[i] = xstrdup(cols[i]);
	if (f == OUT_CSV && (flags & OUT_EXCEL))
		fputs("\xEF\xBB\xBF", fp);
	if (f == OUT_CSV || f == OUT_TSV)
		emit_header(o);
	else if (f == OUT_JSON)
		fputs("[", fp);
	return o;
}

void out_numeric(struct out *o, int col)
{
	if (col >= 0 && col < o->ncols)
		o->numeric[col] = 1;
}

static void put_cell(struct out *o, char *s, int isnull)
{
	if (o->ncell >= o->ncols) {
		free(s);
		return;
	}
	o->isnull[o->ncell] = (unsigned char)isnull;
	o->cell[o->ncell++] = s;
}

void out_str(struct out *o, const char *s) { put_cell(o, xstrdup(s ? s : ""), s == NULL); }

void out_int(struct out *o, int64_t v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", (long long)v);
	put_cell(o, xstrdup(b), 0);
}

void out_real(struct out *o, double v, int decimals)
{
	char b[64];
	snprintf(b, sizeof b, "%.*f", decimals, v);
	if (o->f == OUT_CSV && (o->flags & OUT_EXCEL)) {
		char *dot = strchr(b, '.');
		if (dot)
			*dot = ',';
	}
	put_cell(o, xstrdup(b), 0);
}

static void csv_field(struct out *o, const char *s, char sep)
{
	if (strpbrk(s, "\"\r\n") || strchr(s, sep)) {
		fputc('"', o->fp);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', o->fp);
			fputc(*s, o->fp);
		}
		fputc('"', o->fp);
	} else {
		fputs(s, o->fp);
	}
}

/* TSV cannot quote: tabs and line breaks inside a value become spaces. */
static void tsv_field(struct out *o, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, o->fp);
}

static void json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

static const char *line_end(struct out *o)
{
	return (o->flags & (OUT_CRLF | OUT_EXCEL)) ? "\r\n" : "\n";
}

static void emit_delimited(struct out *o, char **vals)
{
	char sep = o->f == OUT_TSV ? '\t' : (o->flags & OUT_EXCEL) ? ';' : ',';
	for (int i = 0; i < o->ncols; i++) {
		if (i)
			fputc(sep, o->fp);
		if (o->f == OUT_TSV)
			tsv_field(o, vals[i] ? vals[i] : "");
		else
			csv_field(o, vals[i] ? vals[i] : "", sep);
	}
	fputs(o->f == OUT_TSV ? "\n" : line_end(o), o->fp);
}

static void emit_header(struct out *o) { emit_delimited(o, o->cols); }

void out_row_end(struct out *o)
{
	while (o->ncell < o->ncols)
		put_cell(o, xstrdup(""), 1);
	switch (o->f) {
	case OUT_CSV:
	case OUT_TSV:
		emit_delimited(o, o->cell);
		break;
	case OUT_JSON:
		fputs(o->rows ? ",\n  {" : "\n  {", o->fp);
		for (int i = 0; i < o->ncols; i++) {
			if (i)
				fputs(", ", o->fp);
			json_string(o->fp, o->cols[i]);
			fputs(": ", o->fp);
			if (o->isnull[i])
				fputs("null", o->fp);
			else if (o->numeric[i] && o->cell[i][0])
				fputs(o->cell[i], o->fp);
			else
				json_string(o->fp, o->cell[i]);
		}
		fputs("}", o->fp);
		break;
	case OUT_TABLE:
	case OUT_MARKDOWN:
		for (int i = 0; i < o->ncols; i++) {
			if (o->nbuf == o->capbuf) {
				o->capbuf = o->capbuf ? o->capbuf * 2 : 256;
				o->buf = xrealloc(o->buf, o->capbuf * sizeof *o->buf);
			}
			o->buf[o->nbuf++] = o->cell[i];
			o->cell[i] = NULL;
		}
		break;
	}
	for (int i = 0; i < o->ncols; i++) {
		free(o->cell[i]);
		o->cell[i] = NULL;
	}
	o->ncell = 0;
	o->rows++;
}

/* Display width of UTF-8 text: code points, not bytes. */
static int width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void pad(FILE *fp, int n)
{
	while (n-- > 0)
		fputc(' ', fp);
}

static void emit_buffered(struct out *o)
{
	int *w = xcalloc((size_t)o->ncols, sizeof *w);
	for (int i = 0; i < o->ncols; i++)
		w[i] = width(o->cols[i]);
	for (size_t r = 0; r < o->nbuf; r++) {
		int wi = width(o->buf[r]);
		if (wi > w[r % (size_t)o->ncols])
			w[r % (size_t)o->ncols] = wi;
	}
	int md = o->f == OUT_MARKDOWN;
	size_t nrows = o->nbuf / (size_t)o->ncols;
	for (size_t r = 0; r <= nrows; r++) {
		for (int i = 0; i < o->ncols; i++) {
			const char *s = r == 0 ? o->cols[i] : o->buf[(r - 1) * (size_t)o->ncols + (size_t)i];
			int padn = w[i] - width(s);
			if (md)
				fputs(i ? " | " : "| ", o->fp);
			else if (i)
				fputs("  ", o->fp);
			if (o->numeric[i]) {
				pad(o->fp, padn);
				fputs(s, o->fp);
			} else {
				fputs(s, o->fp);
				if (md || i < o->ncols - 1)
					pad(o->fp, padn);
			}
		}
		fputs(md ? " |\n" : "\n", o->fp);
		if (r == 0 && md) {
			for (int i = 0; i < o->ncols; i++) {
				fputs(i ? " | " : "| ", o->fp);
				for (int k = 0; k < w[i] - 1; k++)
					fputc('-', o->fp);
				fputc(o->numeric[i] ? ':' : '-', o->fp);
			}
			fputs(" |\n", o->fp);
		}
	}
	free(w);
}

static void out_free(struct out *o);

void out_abort(struct out *o)
{
	fflush(o->fp);
	out_free(o);
}

int out_finish(struct out *o)
{
	if (o->f == OUT_JSON)
		fputs(o->rows ? "\n]\n" : "]\n", o->fp);
	else if (o->f == OUT_TABLE || o->f == OUT_MARKDOWN)
		emit_buffered(o);
	out_free(o);
	return finish_stdout();
}

static void out_free(struct out *o)
{
	for (size_t i = 0; i < o->nbuf; i++)
		free(o->buf[i]);
	free(o->buf);
	for (int i = 0; i < o->ncols; i++) {
		free(o->cols[i]);
		free(o->cell[i]);
	}
	free(o->cols);
	free(o->cell);
	free(o->numeric);
	free(o->isnull);
	free(o);
}
