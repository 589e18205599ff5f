/* One XML document streamed into the database: bytes go in chunk by chunk (from a file, a ZIP
 * entry or an HTTP body), expat parses them, and the root element decides what the document is:
 * a plenary protocol (protocol.c) or the members' master data (mdb.c). Records go to the store
 * as they are parsed; the outcome arrives through store_poll() with the tag given here. Nothing
 * of a document becomes visible unless it was parsed to its end without error. */
#ifndef BT_DOCUMENT_H
#define BT_DOCUMENT_H
#include <expat.h>
#include <stdint.h>
#include "bt/store.h"
#include "bt/strbuf.h"

struct document;

struct document *document_new(struct store *s, const char *source, int64_t tag);
/* 0 on success; -1 on error, see document_error(). */
int document_feed(struct document *d, const char *buf, size_t n);
/* Ends the input: 0 when the document went to the store complete (its outcome follows through
 * store_poll), -1 on error (document_error() says why; nothing is stored). fetch: where it was
 * downloaded from (NULL for local files). */
int document_finish(struct document *d, const struct fetch_info *fetch);
/* The message: "'<source>' line L, column C: <reason>" or "'<source>': <reason>". */
const char *document_error(const struct document *d);
/* Frees; a document not finished is rolled back (reported as STORE_ABORTED, if it reached the
 * store). */
void document_free(struct document *d);
int64_t document_bytes(const struct document *d);
struct store *document_store(const struct document *d);

/* ---- for the handlers ---- */
struct doc_handler {
	const char *root; /* root element name */
	void *(*open)(struct document *d, struct store *s, const char **attrs, int64_t tag);
	void (*start)(void *h, const char *name, const char **attrs);
	void (*end)(void *h, const char *name);
	void (*text)(void *h, const char *s, int len);
	void (*finish)(void *h, const char *hash, int64_t bytes, const struct fetch_info *fetch);
	void (*abort)(void *h);
};

extern const struct doc_handler protocol_handler;
extern const struct doc_handler mdb_handler;

/* Stops parsing with an error at the current position. */
void document_fail(struct document *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *document_source(const struct document *d);
const char *attr_get(const char **attrs, const char *name);

#endif
