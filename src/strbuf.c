/* Growable buffers: the text collectors of the streaming parsers reuse them. */
#include "bt/strbuf.h"
#include "bt/util.h"
#include <stdio.h>
#include <string.h>

void sb_grow(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s) { sb_add(sb, s, strlen(s)); }

void sb_addc(struct strbuf *sb, char c)
{
	sb_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

const char *sb_str(const struct strbuf *sb) { return sb->buf ? sb->buf : ""; }

/* Byte classes for the normaliser: 0 copy, 1 ASCII white space, 2 may start a Unicode space. */
static const unsigned char byte_class[256] = {
	['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, [0xC2] = 2, [0xE2] = 2,
};

/* Length of a Unicode space at s (U+00A0, U+2002..U+200A, U+202F), or 0. */
static size_t uspace_len(const unsigned char *s, size_t n)
{
	if (s[0] == 0xC2)
		return n >= 2 && s[1] == 0xA0 ? 2 : 0;
	if (n >= 3 && s[1] == 0x80 && ((s[2] >= 0x82 && s[2] <= 0x8A) || s[2] == 0xAF))
		return 3;
	return 0;
}

void sb_add_normalized(struct strbuf *dst, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0;
	int pending = 0;
	sb_grow(dst, n);
	char *out = dst->buf;
	size_t o = dst->len;
	while (i < n) {
		size_t j = i;
		while (j < n && byte_class[s[j]] == 0)
			j++;
		if (j > i) {
			if (pending && o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			pending = 0;
			memcpy(out + o, s + i, j - i);
			o += j - i;
			i = j;
			continue;
		}
		size_t k = byte_class[s[i]] == 1 ? 1 : uspace_len(s + i, n - i);
		if (k) {
			pending = 1;
			i += k;
		} else {
			if (pending && o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			pending = 0;
			out[o++] = (char)s[i++];
		}
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	dst->len = o;
}

/* Whether a chunk can be copied as it is: no tab, line break, Unicode space, doubled space, and
 * no space where the output cannot take one. Branch-free, so the common case costs a pass. */
static int plain_chunk(const unsigned char *s, size_t n, int space_before)
{
	if (n == 0)
		return 1;
	unsigned bad = (s[0] < 0x20u) | (space_before & (s[0] == ' '));
	if (n >= 2)
		bad |= (s[1] < 0x20u) | ((s[1] == ' ') & (s[0] == ' ')) | ((s[0] == 0xC2) & (s[1] == 0xA0));
	/* no loop-carried state but the OR: the compiler vectorises this */
	for (size_t i = 2; i < n; i++) {
		unsigned c = s[i], p1 = s[i - 1], p2 = s[i - 2];
		bad |= (c < 0x20u) | ((c == ' ') & (p1 == ' ')) | ((p1 == 0xC2) & (c == 0xA0)) |
		       ((p2 == 0xE2) & (p1 == 0x80) & (((c - 0x82u) <= 8u) | (c == 0xAF)));
	}
	return !bad;
}

void sb_add_collapsing(struct strbuf *dst, const char *src, size_t n, int *space)
{
	const unsigned char *s = (const unsigned char *)src;
	sb_grow(dst, n + 1);
	char *out = dst->buf;
	size_t o = dst->len, i = 0;
	int pending = *space;
	if (n && plain_chunk(s, n, o == 0 || out[o - 1] == ' ' || pending)) {
		/* the usual text: copy it; a pending space goes in front, a trailing one waits */
		if (pending && o > 0)
			out[o++] = ' ';
		size_t k = s[n - 1] == ' ' ? n - 1 : n;
		memcpy(out + o, s, k);
		o += k;
		out[o] = '\0';
		dst->len = o;
		*space = k < n;
		return;
	}
	while (i < n) {
		/* the common case: ordinary bytes and single spaces between them */
		if (!pending) {
			while (i < n) {
				unsigned char c = s[i];
				if (byte_class[c] == 0) {
					out[o++] = (char)c;
					i++;
				} else if (c == ' ' && o > 0 && out[o - 1] != ' ' && i + 1 < n && byte_class[s[i + 1]] == 0) {
					out[o++] = ' ';
					i++;
				} else {
					break;
				}
			}
			if (i >= n)
				break;
		}
		unsigned char c = s[i];
		size_t k = byte_class[c] == 1 ? 1 : byte_class[c] == 2 ? uspace_len(s + i, n - i) : 0;
		if (k) {
			pending = 1;
			i += k;
			continue;
		}
		if (pending && o > 0 && out[o - 1] != ' ')
			out[o++] = ' ';
		pending = 0;
		out[o++] = (char)c;
		i++;
	}
	out[o] = '\0';
	dst->len = o;
	*space = pending;
}
