/* A growable byte buffer; always NUL-terminated so .buf can be used as a C string. */
#ifndef BT_STRBUF_H
#define BT_STRBUF_H
#include <stddef.h>
#include <stdarg.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Collapses runs of XML white space and no-break/thin spaces into one ASCII space, trims both ends. */
void sb_add_normalized(struct strbuf *dst, const char *s, size_t n);
const char *sb_str(const struct strbuf *sb);

/* The same normalisation applied chunk by chunk as text streams in: collect with
 * sb_add_collapsing(), keeping *space between calls (start it at 0); the result never starts or ends
 * with a space. */
void sb_add_collapsing(struct strbuf *dst, const char *s, size_t n, int *space);

#endif
