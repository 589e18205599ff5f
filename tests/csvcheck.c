/* Reads RFC 4180 CSV from stdin (optional UTF-8 byte-order mark; separator ',' or as argv[1])
 * and writes each record as tab-separated fields, one per line, so a test can compare what a CSV
 * reader gets back with the TSV export. Exits 1 on malformed CSV (a stray quote, an unterminated
 * field, or records of different widths). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char sep = argc > 1 ? argv[1][0] : ',';
	int c = getchar();
	if (c == 0xEF) {
		if (getchar() != 0xBB || getchar() != 0xBF)
			return fprintf(stderr, "csvcheck: bad byte-order mark\n"), 1;
		c = getchar();
	}
	int fields = 0, width = -1, quoted = 0, at_start = 1;
	long records = 0;
	while (c != EOF) {
		if (at_start && c == '"') {
			quoted = 1;
			at_start = 0;
			c = getchar();
			continue;
		}
		at_start = 0;
		if (quoted) {
			if (c == '"') {
				c = getchar();
				if (c == '"') {
					putchar('"');
					c = getchar();
					continue;
				}
				quoted = 0;
				if (c != sep && c != '\r' && c != '\n' && c != EOF)
					return fprintf(stderr, "csvcheck: text after a closing quote in record %ld\n", records + 1), 1;
				continue;
			}
			putchar(c == '\n' || c == '\t' ? ' ' : c);
			c = getchar();
			continue;
		}
		if (c == '"')
			return fprintf(stderr, "csvcheck: stray quote in record %ld\n", records + 1), 1;
		if (c == sep) {
			putchar('\t');
			fields++;
			at_start = 1;
		} else if (c == '\r') {
			/* part of CRLF */
		} else if (c == '\n') {
			putchar('\n');
			fields++;
			if (width >= 0 && fields != width)
				return fprintf(stderr, "csvcheck: record %ld has %d fields, not %d\n", records + 1, fields, width), 1;
			width = fields;
			fields = 0;
			records++;
			at_start = 1;
		} else {
			putchar(c);
		}
		c = getchar();
	}
	if (quoted)
		return fprintf(stderr, "csvcheck: unterminated quoted field\n"), 1;
	if (!at_start || fields)
		return fprintf(stderr, "csvcheck: last record not terminated by a line end\n"), 1;
	return 0;
}
