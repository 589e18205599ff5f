/* Link discovery on the listing pages. Every markup the service has used works the same way:
 * take every href that ends in .xml, resolve it against the page URL, de-duplicate upstream. */
#include "bt/listing.h"
#include <string.h>
#include <strings.h>

const struct listing_source bt_listing_sources[] = {
	{ 19, 543410 },
	{ 20, 866354 },
	{ 21, 1058442 },
};
const size_t bt_listing_nsources = sizeof bt_listing_sources / sizeof *bt_listing_sources;

void listing_url(struct strbuf *out, const char *base, long id, int offset)
{
	sb_reset(out);
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	sb_add(out, base, n);
	sb_addf(out, "/ajax/filterlist/de/services/opendata/%ld-%ld?limit=10&noFilterSet=true&offset=%d", id, id,
		offset);
}

void url_origin(struct strbuf *out, const char *url)
{
	sb_reset(out);
	const char *p = strstr(url, "://");
	if (!p) {
		return;
	}
	p += 3;
	const char *e = p;
	while (*e && *e != '/' && *e != '?' && *e != '#')
		e++;
	sb_add(out, url, (size_t)(e - url));
}

void url_host(struct strbuf *out, const char *url)
{
	sb_reset(out);
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *e = p;
	while (*e && *e != '/' && *e != ':' && *e != '?' && *e != '#')
		e++;
	sb_add(out, p, (size_t)(e - p));
}

void url_resolve(struct strbuf *out, const char *base, const char *ref)
{
	sb_reset(out);
	if (strncasecmp(ref, "http://", 7) == 0 || strncasecmp(ref, "https://", 8) == 0) {
		sb_adds(out, ref);
		return;
	}
	if (ref[0] == '/' && ref[1] == '/') {
		const char *colon = strstr(base, "://");
		if (colon)
			sb_add(out, base, (size_t)(colon - base) + 1);
		sb_adds(out, ref);
		return;
	}
	struct strbuf origin = STRBUF_INIT;
	url_origin(&origin, base);
	if (ref[0] == '/') {
		sb_add(out, sb_str(&origin), origin.len);
		sb_adds(out, ref);
	} else {
		/* relative to the page's directory */
		const char *path = base + origin.len;
		const char *end = path + strcspn(path, "?#");
		const char *slash = end;
		while (slash > path && slash[-1] != '/')
			slash--;
		sb_add(out, base, (size_t)(slash - base));
		if (slash == path)
			sb_addc(out, '/');
		sb_adds(out, ref);
	}
	sb_free(&origin);
}

static int ends_with_xml(const char *url, size_t n)
{
	size_t k = strcspn(url, "?#");
	if (k < n)
		n = k;
	return n >= 4 && strncasecmp(url + n - 4, ".xml", 4) == 0;
}

/* &amp; &#38; &#x26; and friends inside an attribute value */
static void decode_entities(struct strbuf *out, const char *s, size_t n)
{
	sb_reset(out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&') {
			if (strncmp(s + i, "&amp;", 5) == 0) {
				sb_addc(out, '&');
				i += 4;
				continue;
			}
			if (strncmp(s + i, "&#38;", 5) == 0 || strncasecmp(s + i, "&#x26;", 6) == 0) {
				sb_addc(out, '&');
				i += s[i + 2] == '3' ? 4 : 5;
				continue;
			}
		}
		sb_addc(out, s[i]);
	}
}

void listing_links(const char *html, size_t n, const char *page_url, void (*fn)(void *ud, const char *url), void *ud)
{
	struct strbuf raw = STRBUF_INIT, abs = STRBUF_INIT;
	const char *end = html + n;
	for (const char *p = html; p + 5 < end; p++) {
		if (strncasecmp(p, "href", 4) != 0)
			continue;
		const char *q = p + 4;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
			q++;
		if (q >= end || *q != '=')
			continue;
		q++;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
			q++;
		if (q >= end)
			break;
		char quote = (*q == '"' || *q == '\'') ? *q++ : 0;
		const char *v = q;
		while (q < end && (quote ? *q != quote : (*q != ' ' && *q != '>' && *q != '\t' && *q != '\n')))
			q++;
		decode_entities(&raw, v, (size_t)(q - v));
		/* trim white space inside the quotes */
		size_t a = 0, b = raw.len;
		while (a < b && (raw.buf[a] == ' ' || raw.buf[a] == '\n' || raw.buf[a] == '\t' || raw.buf[a] == '\r'))
			a++;
		while (b > a && (raw.buf[b - 1] == ' ' || raw.buf[b - 1] == '\n' || raw.buf[b - 1] == '\t' ||
				 raw.buf[b - 1] == '\r'))
			b--;
		if (b > a && ends_with_xml(raw.buf + a, b - a)) {
			raw.buf[b] = '\0';
			url_resolve(&abs, page_url, raw.buf + a);
			fn(ud, abs.buf);
		}
		p = q > p ? q - 1 : p;
	}
	sb_free(&raw);
	sb_free(&abs);
}
