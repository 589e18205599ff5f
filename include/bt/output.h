/* Tabular output in the formats users ask for: an aligned table for the terminal, CSV (RFC 4180,
 * optionally Excel-flavoured), TSV, JSON and Markdown. CSV, TSV and JSON stream row by row; the
 * table and Markdown formats buffer their rows to size the columns. */
#ifndef BT_OUTPUT_H
#define BT_OUTPUT_H
#include <stdint.h>
#include <stdio.h>

enum out_format { OUT_TABLE, OUT_CSV, OUT_TSV, OUT_JSON, OUT_MARKDOWN };

#define OUTF(f) (1u << (f))

enum out_flags {
	OUT_EXCEL = 1, /* CSV: ';' separator, byte-order mark, decimal comma */
	OUT_CRLF = 2,  /* CSV: CRLF line ends (RFC 4180) */
};

/* Parses a --format value among the allowed ones (OUTF bits); returns -1 if not allowed. */
int out_format_parse(const char *s, unsigned allowed, enum out_format *f);
struct bt_command;
/* --format for a command: returns 0, or prints the usage error naming the choices (BT_USAGE). */
int parse_format_arg(const struct bt_command *c, const char *arg, unsigned allowed, enum out_format *f);
/* "table, csv, json" for messages */
const char *out_format_choices(unsigned allowed, char *buf, size_t n);

struct out;

struct out *out_new(enum out_format f, FILE *fp, const char *const *cols, int ncols, unsigned flags);
/* Numeric columns are right-aligned in tables and unquoted in JSON. */
void out_numeric(struct out *o, int col);
void out_str(struct out *o, const char *s); /* NULL prints as empty (JSON null) */
void out_int(struct out *o, int64_t v);
void out_real(struct out *o, double v, int decimals);
void out_row_end(struct out *o);
/* Writes what is buffered and closes the structure; returns -1 on a write error. Frees o. */
int out_finish(struct out *o);
/* Frees o after an error: a table is not printed, a JSON array is left unclosed (so no reader
 * takes it for complete); rows already streamed stay. */
void out_abort(struct out *o);

#endif
