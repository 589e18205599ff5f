/* One XML document streamed into the database: bytes go in chunk by chunk (from a file, a ZIP
 * entry or an HTTP body), expat parses them, and the root element decides what the document is:
 * a plenary protocol (protocol.c) or the members' master data (mdb.c). Nothing of a document is
 * visible in the database unless it was parsed to its end without error. */
#ifndef BT_DOCUMENT_H
#define BT_DOCUMENT_H
#include <expat.h>
#include <stdint.h>
#include "bt/store.h"
#include "bt/strbuf.h"

enum doc_type { DOC_UNKNOWN, DOC_PROTOCOL, DOC_MDB };

struct doc_result {
	enum doc_type type;
	enum store_outcome outcome;
	int wahlperiode, sitzung;
	int64_t speeches, kommentare, members;
	int unmapped;
	int64_t bytes;
	char hash[17];
};

struct document;

struct document *document_new(struct store *s, const char *source);
/* 0 on success; -1 on error, see document_error(). */
int document_feed(struct document *d, const char *buf, size_t n);
int document_finish(struct document *d, struct doc_result *res);
/* The message: "'<source>' line L, column C: <reason>" or "'<source>': <reason>". */
const char *document_error(const struct document *d);
/* Frees; a document not finished is rolled back. */
void document_free(struct document *d);
int64_t document_bytes(const struct document *d);

/* ---- for the handlers ---- */
struct doc_handler {
	const char *root; /* root element name */
	void *(*open)(struct document *d, struct store *s, const char **attrs);
	void (*start)(void *h, const char *name, const char **attrs);
	void (*end)(void *h, const char *name);
	void (*text)(void *h, const char *s, int len);
	int (*finish)(void *h, const char *hash, int64_t bytes, struct doc_result *res);
	void (*abort)(void *h);
};

extern const struct doc_handler protocol_handler;
extern const struct doc_handler mdb_handler;

/* Stops parsing with an error at the current position. */
void document_fail(struct document *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *document_source(const struct document *d);
const char *attr_get(const char **attrs, const char *name);

#endif
