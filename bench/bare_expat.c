/* The baseline: a bare expat pass over the same bytes bt import reads. For each ZIP archive given,
 * every .xml entry is inflated with the same reader bt uses and parsed by expat with empty
 * handlers. With --memory, all entries are inflated into memory first and only the parse is
 * timed (expat alone). Prints "bytes seconds". */
#include "bt/zip.h"
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static void XMLCALL on_start(void *u, const char *n, const char **a) { (void)u; (void)n; (void)a; }
static void XMLCALL on_end(void *u, const char *n) { (void)u; (void)n; }
static void XMLCALL on_text(void *u, const char *s, int n) { (void)u; (void)s; (void)n; }

struct mem {
	char *buf;
	size_t len, cap;
};

static int to_parser(void *ud, const char *buf, size_t n)
{
	return XML_Parse(ud, buf, (int)n, XML_FALSE) == XML_STATUS_OK ? 0 : 1;
}

static int to_memory(void *ud, const char *buf, size_t n)
{
	struct mem *m = ud;
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		m->buf = realloc(m->buf, m->cap);
		if (!m->buf)
			return 1;
	}
	memcpy(m->buf + m->len, buf, n);
	m->len += n;
	return 0;
}

static XML_Parser parser(void)
{
	XML_Parser p = XML_ParserCreate(NULL);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	return p;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int memory = argc > 1 && strcmp(argv[1], "--memory") == 0;
	struct mem docs[1024];
	int ndocs = 0;
	long long bytes = 0;
	double t0 = now(), parse_time = 0;
	for (int a = 1 + memory; a < argc; a++) {
		struct strbuf err = STRBUF_INIT;
		struct zip_archive *z = zip_open_file(argv[a], &err);
		if (!z) {
			fprintf(stderr, "%s: %s\n", argv[a], sb_str(&err));
			return 1;
		}
		for (size_t i = 0; i < zip_count(z); i++) {
			const struct zip_entry *e = zip_entry_at(z, i);
			size_t n = strlen(e->name);
			if (n < 4 || strcasecmp(e->name + n - 4, ".xml") != 0)
				continue;
			bytes += (long long)e->usize;
			if (memory) {
				if (ndocs == 1024)
					return 1;
				memset(&docs[ndocs], 0, sizeof docs[ndocs]);
				if (zip_stream(z, i, to_memory, &docs[ndocs], &err) != 0)
					return 1;
				ndocs++;
			} else {
				XML_Parser p = parser();
				if (zip_stream(z, i, to_parser, p, &err) != 0 || XML_Parse(p, "", 0, XML_TRUE) != XML_STATUS_OK) {
					fprintf(stderr, "%s:%s: parse error\n", argv[a], e->name);
					return 1;
				}
				XML_ParserFree(p);
			}
		}
		zip_close(z);
		sb_free(&err);
	}
	if (memory) {
		double t = now();
		for (int i = 0; i < ndocs; i++) {
			XML_Parser p = parser();
			/* in 256 KB pieces, as bt feeds it */
			for (size_t o = 0; o < docs[i].len; o += 256 * 1024) {
				size_t k = docs[i].len - o < 256 * 1024 ? docs[i].len - o : 256 * 1024;
				XML_Parse(p, docs[i].buf + o, (int)k, XML_FALSE);
			}
			XML_Parse(p, "", 0, XML_TRUE);
			XML_ParserFree(p);
			free(docs[i].buf);
		}
		parse_time = now() - t;
	} else {
		parse_time = now() - t0;
	}
	printf("%lld %.3f\n", bytes, parse_time);
	return 0;
}
