/* Feeds bytes to expat, hashes them, and dispatches on the root element. External entities and
 * the DTD are never loaded: no handler for them is installed and parameter entity parsing is off. */
#include "bt/document.h"
#include "bt/hash64.h"
#include "bt/util.h"
#include <stdarg.h>
#include <string.h>

struct document {
	XML_Parser xp;
	struct store *store;
	int64_t tag;
	char *source;
	const struct doc_handler *h;
	void *hd;
	struct content_hash hash;
	int64_t bytes;
	int failed, finished;
	struct strbuf err;
};

static const struct doc_handler *const handlers[] = { &protocol_handler, &mdb_handler };

const char *attr_get(const char **attrs, const char *name)
{
	for (; attrs && attrs[0]; attrs += 2)
		if (strcmp(attrs[0], name) == 0)
			return attrs[1];
	return NULL;
}

const char *document_source(const struct document *d) { return d->source; }
int64_t document_bytes(const struct document *d) { return d->bytes; }
struct store *document_store(const struct document *d) { return d->store; }
const char *document_error(const struct document *d) { return sb_str(&d->err); }

void document_fail(struct document *d, const char *fmt, ...)
{
	if (d->failed)
		return;
	d->failed = 1;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sb_reset(&d->err);
	sb_addf(&d->err, "'%s' line %lu, column %lu: %s", d->source, (unsigned long)XML_GetCurrentLineNumber(d->xp),
		(unsigned long)XML_GetCurrentColumnNumber(d->xp), msg);
	XML_StopParser(d->xp, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const char *name, const char **attrs)
{
	struct document *d = ud;
	if (d->failed)
		return;
	if (d->h) {
		d->h->start(d->hd, name, attrs);
		return;
	}
	for (size_t i = 0; i < sizeof handlers / sizeof *handlers; i++)
		if (strcmp(name, handlers[i]->root) == 0)
			d->h = handlers[i];
	if (!d->h) {
		document_fail(d, "not a plenary protocol (root element <%s>)", name);
		return;
	}
	d->hd = d->h->open(d, d->store, attrs, d->tag);
	if (!d->hd)
		d->h = NULL; /* open() reported why */
}

static void XMLCALL on_end(void *ud, const char *name)
{
	struct document *d = ud;
	if (d->h && !d->failed)
		d->h->end(d->hd, name);
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
	struct document *d = ud;
	if (d->h && !d->failed)
		d->h->text(d->hd, s, len);
}

struct document *document_new(struct store *s, const char *source, int64_t tag)
{
	struct document *d = xcalloc(1, sizeof *d);
	d->store = s;
	d->tag = tag;
	d->source = xstrdup(source);
	d->xp = XML_ParserCreate(NULL);
	if (!d->xp) {
		free(d->source);
		free(d);
		return NULL;
	}
	XML_SetUserData(d->xp, d);
	XML_SetElementHandler(d->xp, on_start, on_end);
	XML_SetCharacterDataHandler(d->xp, on_text);
	XML_SetParamEntityParsing(d->xp, XML_PARAM_ENTITY_PARSING_NEVER);
	content_hash_init(&d->hash);
	return d;
}

static int expat_error(struct document *d)
{
	if (!d->failed) {
		d->failed = 1;
		sb_reset(&d->err);
		enum XML_Error code = XML_GetErrorCode(d->xp);
		if (d->bytes == 0)
			sb_addf(&d->err, "'%s': empty document", d->source);
		else
			sb_addf(&d->err, "'%s' line %lu, column %lu: %s", d->source,
				(unsigned long)XML_GetCurrentLineNumber(d->xp),
				(unsigned long)XML_GetCurrentColumnNumber(d->xp),
				code == XML_ERROR_NO_ELEMENTS ? "truncated document (no element found)"
							      : XML_ErrorString(code));
	}
	return -1;
}

int document_feed(struct document *d, const char *buf, size_t n)
{
	if (d->failed)
		return -1;
	content_hash_update(&d->hash, buf, n);
	d->bytes += (int64_t)n;
	while (n > 0) {
		/* XML_Parse takes an int length */
		int k = n > (1u << 30) ? (1 << 30) : (int)n;
		if (XML_Parse(d->xp, buf, k, XML_FALSE) != XML_STATUS_OK)
			return expat_error(d);
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

int document_finish(struct document *d, const struct fetch_info *fetch)
{
	if (d->failed)
		return -1;
	if (XML_Parse(d->xp, "", 0, XML_TRUE) != XML_STATUS_OK)
		return expat_error(d);
	if (d->failed)
		return -1;
	if (!d->h) {
		d->failed = 1;
		sb_addf(&d->err, "'%s': not a plenary protocol", d->source);
		return -1;
	}
	char hex[17];
	content_hash_hex(&d->hash, hex);
	d->finished = 1;
	d->h->finish(d->hd, hex, d->bytes, fetch);
	d->hd = NULL;
	return 0;
}


void document_free(struct document *d)
{
	if (!d)
		return;
	if (d->h && d->hd)
		d->h->abort(d->hd);
	XML_ParserFree(d->xp);
	sb_free(&d->err);
	free(d->source);
	free(d);
}
