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

/* A run (no Unicode space inside) that can be copied as it is: no control character and no doubled
 * space. Branch-free, so the compiler vectorises it. */
static int plain_run(const unsigned char *s, size_t n)
{
	unsigned bad = 0;
	for (size_t i = 0; i < n; i++)
		bad |= (s[i] < 0x20u) | ((s[i] == ' ') & (i > 0 && s[i - 1] == ' '));
	return !bad;
}

/* Appends a run of text that holds no Unicode space, collapsing as sb_add_normalized does. */
static size_t add_run(char *out, size_t o, const unsigned char *s, size_t n, int *pending)
{
	if (plain_run(s, n)) {
		if (n && s[0] == ' ') {
			*pending = 1;
			s++;
			n--;
		}
		if (!n)
			return o;
		if (*pending && o > 0)
			out[o++] = ' ';
		size_t k = s[n - 1] == ' ' ? n - 1 : n;
		memcpy(out + o, s, k);
		*pending = k < n;
		return o + k;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (byte_class[c] == 1) {
			*pending = 1;
			continue;
		}
		if (*pending && o > 0)
			out[o++] = ' ';
		*pending = 0;
		out[o++] = (char)c;
	}
	return o;
}

static const unsigned char *next_lead(const unsigned char *s, const unsigned char *end)
{
	/* Unicode spaces start with 0xC2 or 0xE2: memchr finds either fast */
	const unsigned char *a = memchr(s, 0xC2, (size_t)(end - s));
	const unsigned char *b = memchr(s, 0xE2, (size_t)((a ? a : end) - s));
	return b ? b : a ? a : end;
}

void sb_add_collapsing(struct strbuf *dst, const char *src, size_t n, int *space)
{
	const unsigned char *s = (const unsigned char *)src, *end = s + n;
	sb_grow(dst, n + 1);
	char *out = dst->buf;
	size_t o = dst->len;
	int pending = *space;
	while (s < end) {
		const unsigned char *lead = next_lead(s, end);
		o = add_run(out, o, s, (size_t)(lead - s), &pending);
		if (lead == end)
			break;
		size_t k = uspace_len(lead, (size_t)(end - lead));
		if (k) {
			pending = 1;
			s = lead + k;
		} else {
			o = add_run(out, o, lead, 1, &pending);
			s = lead + 1;
		}
	}
	out[o] = '\0';
	dst->len = o;
	*space = pending;
}
