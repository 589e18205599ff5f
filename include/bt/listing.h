/* The open-data service's listing pages: where they are, and the protocol links they carry. */
#ifndef BT_LISTING_H
#define BT_LISTING_H
#include <stddef.h>
#include "bt/strbuf.h"

#define BT_DEFAULT_BASE "https://www.bundestag.de"
#define BT_MDB_PATH "/resource/blob/472878/MdB-Stammdaten.zip"

/* The listing id of each Wahlperiode; --listing WP=ID overrides an entry. */
struct listing_source {
	int wahlperiode;
	long id;
};
extern const struct listing_source bt_listing_sources[];
extern const size_t bt_listing_nsources;

/* {base}/ajax/filterlist/de/services/opendata/{id}-{id}?limit=10&noFilterSet=true&offset={offset} */
void listing_url(struct strbuf *out, const char *base, long id, int offset);

/* Calls fn for every href in html whose path ends in .xml (case-insensitive), resolved against
 * page_url, with HTML entities (&amp;) decoded. */
void listing_links(const char *html, size_t n, const char *page_url,
		   void (*fn)(void *ud, const char *url), void *ud);

/* Resolves ref against base (absolute URL, //host/path, /path, or relative); into out. */
void url_resolve(struct strbuf *out, const char *base, const char *ref);
/* The scheme://host[:port] part of url, into out. */
void url_origin(struct strbuf *out, const char *url);
/* The host of url ("www.bundestag.de"), for messages. */
void url_host(struct strbuf *out, const char *url);

#endif
