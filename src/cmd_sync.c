/* bt sync: keeps the database current from the Bundestag's open-data service.
 *
 * The members' master data is fetched first (members of the government get their faction from
 * it while protocols are parsed); the listing pages of each Wahlperiode are paged through at the
 * same time, and every protocol they link is downloaded with a conditional request and parsed
 * while it arrives, straight into the store. */
#include "bt/cli.h"
#include "bt/db.h"
#include "bt/document.h"
#include "bt/fetch.h"
#include "bt/listing.h"
#include "bt/progress.h"
#include "bt/store.h"
#include "bt/util.h"
#include "bt/zip.h"
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char usage[] =
	"usage: bt sync [options]\n"
	"\n"
	"Downloads every published plenary protocol of WP 19, 20 and 21 and the members' master\n"
	"data from the Bundestag's open-data service, parsing each while it arrives. Run again,\n"
	"it asks the server only for what changed (conditional requests) and stores only what is\n"
	"new or changed. A protocol that fails (network, server error, broken XML) is reported and\n"
	"the others go on; nothing is ever stored in part.\n"
	"\n"
	"options:\n"
	"  --wp N[,M...]       only these Wahlperioden (default: 19,20,21)\n"
	"  -j, --jobs N        transfers in parallel (default 4)\n"
	"  --dry-run           list the protocols that would be fetched, download nothing\n"
	"  --base-url URL      a mirror of https://www.bundestag.de (also $BT_BASE_URL)\n"
	"  --listing WP=ID     the listing id of a Wahlperiode (19=543410, 20=866354, 21=1058442)\n"
	"  --no-mdb            do not fetch the members' master data\n"
	"  --timeout SECS      give up on a transfer that stalls this long (default 30)\n"
	"  --retries N         attempts after the first on timeouts, 429 and 5xx (default 4)\n"
	"  --retry-delay SECS  first backoff delay, doubled each time, with jitter (default 1)\n"
	"  -q, --quiet         no progress line\n"
	"  -h, --help          this help\n"
	"\n"
	"exit status: 0 everything current, 1 something failed (see the messages), 2 usage error\n"
	"\n"
	"Offline? Import the archives instead: bt import pp19.zip pp20.zip pp21.zip MdB-Stammdaten.zip\n";

/* A small set of strings (URLs), open addressing. */
struct urlset {
	char **v;
	size_t cap, n;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int urlset_add(struct urlset *u, const char *s); /* 1 if new */

static void urlset_grow(struct urlset *u)
{
	struct urlset old = *u;
	u->cap = old.cap ? old.cap * 2 : 256;
	u->v = xcalloc(u->cap, sizeof *u->v);
	u->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.v[i]) {
			urlset_add(u, old.v[i]);
			free(old.v[i]);
		}
	free(old.v);
}

static int urlset_add(struct urlset *u, const char *s)
{
	if ((u->n + 1) * 2 > u->cap)
		urlset_grow(u);
	size_t i = (size_t)str_hash(s) & (u->cap - 1);
	while (u->v[i]) {
		if (strcmp(u->v[i], s) == 0)
			return 0;
		i = (i + 1) & (u->cap - 1);
	}
	u->v[i] = xstrdup(s);
	u->n++;
	return 1;
}

static void urlset_free(struct urlset *u)
{
	for (size_t i = 0; i < u->cap; i++)
		free(u->v[i]);
	free(u->v);
}

/* What the database remembers of earlier fetches. */
struct known {
	char *url, *etag, *lm;
};

struct sync;

struct listing_job {
	struct sync *s;
	int wp;
	long id;
	int offset;
	struct strbuf body;
};

struct protocol_job {
	struct sync *s;
	char *url;
	struct document *doc;
	int counted; /* finished one way or the other */
};

struct sync {
	const char *base;
	int is_default_base;
	struct strbuf default_origin, base_origin;
	int jobs, dry_run, quiet, no_mdb;
	struct db db;
	int have_db;
	struct store *store;
	struct fetcher *f;
	struct urlset seen;
	struct known *known;
	size_t nknown;
	char **pending;
	size_t npending, cappending;
	int mdb_done;
	int responses; /* any HTTP response at all: the network works */
	int offline;
	char offline_why[512];
	struct progress pg;
	int64_t listed, newp, updated, unchanged, not_modified, failed, docs_started;
	int mdb_outcome; /* -1 not fetched, else enum store_outcome, or 10 = not modified */
	struct strbuf mdb_body;
	struct listing_job **listings;
	size_t nlistings;
	struct protocol_job **protocols;
	size_t nprotocols, capprotocols;
};

static const struct known *known_find(const struct sync *s, const char *url)
{
	for (size_t i = 0; i < s->nknown; i++)
		if (strcmp(s->known[i].url, url) == 0)
			return &s->known[i];
	return NULL;
}

static void load_known(struct sync *s)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db.h, "SELECT url, etag, last_modified FROM fetch", -1, &st, NULL) != SQLITE_OK)
		return;
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (s->nknown == cap) {
			cap = cap ? cap * 2 : 256;
			s->known = xrealloc(s->known, cap * sizeof *s->known);
		}
		struct known *k = &s->known[s->nknown++];
		const char *e = (const char *)sqlite3_column_text(st, 1), *l = (const char *)sqlite3_column_text(st, 2);
		k->url = xstrdup((const char *)sqlite3_column_text(st, 0));
		k->etag = e ? xstrdup(e) : NULL;
		k->lm = l ? xstrdup(l) : NULL;
	}
	sqlite3_finalize(st);
}

static void report_failure(struct sync *s, const char *url, const char *why)
{
	progress_done(&s->pg);
	error("'%s': %s", url, why);
	s->failed++;
	s->pg.failed++;
}

/* Is this a failure to reach the server at all (no network, wrong host)? */
static int unreachable(const struct fetch_outcome *o)
{
	return o->status == 0 && (o->curl_code == CURLE_COULDNT_RESOLVE_HOST || o->curl_code == CURLE_COULDNT_CONNECT ||
				  o->curl_code == CURLE_COULDNT_RESOLVE_PROXY);
}

static void note_offline(struct sync *s, const struct fetch_outcome *o)
{
	if (s->responses || s->offline)
		return;
	s->offline = 1;
	snprintf(s->offline_why, sizeof s->offline_why, "%s", o->error ? o->error : "no connection");
	fetcher_stop(s->f);
}

/* ---- protocols ---- */

static void proto_start(struct fetch_job *j)
{
	struct protocol_job *p = fetch_job_data(j);
	if (p->doc)
		document_free(p->doc);
	p->doc = document_new(p->s->store, p->url, 0);
}

static int proto_body(struct fetch_job *j, const char *buf, size_t n)
{
	struct protocol_job *p = fetch_job_data(j);
	if (document_bytes(p->doc) == 0) {
		const char *type = fetch_job_content_type(j);
		if (strncasecmp(type, "text/html", 9) == 0) {
			fetch_job_fail(j, "the server sent an HTML page, not a protocol (Content-Type %s)", type);
			return 1;
		}
	}
	if (document_feed(p->doc, buf, n) < 0) {
		fetch_job_fail(j, "%s", document_error(p->doc));
		return 1;
	}
	return 0;
}

static void proto_done(struct fetch_job *j, const struct fetch_outcome *o)
{
	struct protocol_job *p = fetch_job_data(j);
	struct sync *s = p->s;
	if (o->status)
		s->responses = 1;
	if (!o->ok) {
		document_free(p->doc); /* rolls back what was parsed */
		p->doc = NULL;
		if (unreachable(o))
			note_offline(s, o);
		if (o->will_retry)
			return;
		if (!s->offline) {
			char why[800];
			snprintf(why, sizeof why, "%s%s", o->error ? o->error : "failed",
				 fetch_job_attempt(j) > 1 ? " (after retries)" : "");
			report_failure(s, p->url, why);
		}
		p->counted = 1;
		s->pg.done_items++;
		return;
	}
	p->counted = 1;
	if (o->not_modified) {
		document_free(p->doc);
		p->doc = NULL;
		s->not_modified++;
		s->unchanged++;
		s->pg.done_items++;
		return;
	}
	struct fetch_info fi = { p->url, o->etag, o->last_modified };
	if (document_finish(p->doc, &fi) < 0) {
		report_failure(s, p->url, document_error(p->doc));
		s->pg.done_items++;
	} else {
		s->docs_started++; /* its outcome comes through store_poll */
	}
	document_free(p->doc);
	p->doc = NULL;
}

static const struct fetch_handler protocol_handler_http = { proto_start, proto_body, proto_done };

static void queue_protocol(struct sync *s, const char *url)
{
	if (s->nprotocols == s->capprotocols) {
		s->capprotocols = s->capprotocols ? s->capprotocols * 2 : 256;
		s->protocols = xrealloc(s->protocols, s->capprotocols * sizeof *s->protocols);
	}
	struct protocol_job *p = xcalloc(1, sizeof *p);
	p->s = s;
	p->url = xstrdup(url);
	s->protocols[s->nprotocols++] = p;
	const struct known *k = known_find(s, url);
	fetcher_add(s->f, url, k ? k->etag : NULL, k ? k->lm : NULL, &protocol_handler_http, p);
}

/* Protocols wait for the master data, so members of the government get their faction. */
static void found_protocol(struct sync *s, const char *url)
{
	s->listed++;
	s->pg.total_items++;
	if (s->dry_run) {
		const struct known *k = known_find(s, url);
		printf("%-7s %s\n", k ? "known" : "new", url);
		return;
	}
	if (!s->mdb_done) {
		if (s->npending == s->cappending) {
			s->cappending = s->cappending ? s->cappending * 2 : 256;
			s->pending = xrealloc(s->pending, s->cappending * sizeof *s->pending);
		}
		s->pending[s->npending++] = xstrdup(url);
		return;
	}
	queue_protocol(s, url);
}

static void release_pending(struct sync *s)
{
	s->mdb_done = 1;
	for (size_t i = 0; i < s->npending; i++) {
		queue_protocol(s, s->pending[i]);
		free(s->pending[i]);
	}
	s->npending = 0;
}

/* ---- listing pages ---- */

static void add_listing(struct sync *s, int wp, long id, int offset);

static void listing_start(struct fetch_job *j)
{
	struct listing_job *l = fetch_job_data(j);
	sb_reset(&l->body);
}

static int listing_body(struct fetch_job *j, const char *buf, size_t n)
{
	struct listing_job *l = fetch_job_data(j);
	if (l->body.len + n > 16u << 20) {
		fetch_job_fail(j, "listing page larger than 16 MB");
		return 1;
	}
	sb_add(&l->body, buf, n);
	return 0;
}

struct link_ctx {
	struct sync *s;
	int fresh;
	struct strbuf tmp;
};

static void on_link(void *ud, const char *url)
{
	struct link_ctx *c = ud;
	struct sync *s = c->s;
	/* absolute links to the service itself point at the mirror when a mirror is used */
	if (!s->is_default_base && strncasecmp(url, s->default_origin.buf, s->default_origin.len) == 0 &&
	    url[s->default_origin.len] == '/') {
		sb_reset(&c->tmp);
		sb_add(&c->tmp, s->base_origin.buf, s->base_origin.len);
		sb_adds(&c->tmp, url + s->default_origin.len);
		url = c->tmp.buf;
	}
	if (urlset_add(&s->seen, url)) {
		c->fresh++;
		found_protocol(s, url);
	}
}

static void listing_done(struct fetch_job *j, const struct fetch_outcome *o)
{
	struct listing_job *l = fetch_job_data(j);
	struct sync *s = l->s;
	if (o->status)
		s->responses = 1;
	if (!o->ok || o->not_modified) {
		if (!o->ok && unreachable(o))
			note_offline(s, o);
		if (o->will_retry || s->offline)
			return;
		char why[800];
		snprintf(why, sizeof why, "listing of WP %d: %s", l->wp, o->error ? o->error : "not modified");
		report_failure(s, fetch_job_url(j), why);
		return;
	}
	struct link_ctx c = { s, 0, STRBUF_INIT };
	listing_links(sb_str(&l->body), l->body.len, fetch_job_url(j), on_link, &c);
	sb_free(&c.tmp);
	sb_free(&l->body);
	/* page on until a page brings nothing new */
	if (c.fresh > 0 && l->offset < 100000)
		add_listing(s, l->wp, l->id, l->offset + 10);
}

static const struct fetch_handler listing_handler = { listing_start, listing_body, listing_done };

static void add_listing(struct sync *s, int wp, long id, int offset)
{
	struct listing_job *l = xcalloc(1, sizeof *l);
	l->s = s;
	l->wp = wp;
	l->id = id;
	l->offset = offset;
	s->listings = xrealloc(s->listings, (s->nlistings + 1) * sizeof *s->listings);
	s->listings[s->nlistings++] = l;
	struct strbuf url = STRBUF_INIT;
	listing_url(&url, s->base, id, offset);
	fetcher_add(s->f, url.buf, NULL, NULL, &listing_handler, l);
	sb_free(&url);
}

/* ---- master data ---- */

static void mdb_start(struct fetch_job *j)
{
	struct sync *s = fetch_job_data(j);
	sb_reset(&s->mdb_body);
}

static int mdb_body(struct fetch_job *j, const char *buf, size_t n)
{
	struct sync *s = fetch_job_data(j);
	/* the archive is read from memory (about 1 MB; its central directory is at the end) */
	if (s->mdb_body.len + n > 256u << 20) {
		fetch_job_fail(j, "master data archive larger than 256 MB");
		return 1;
	}
	sb_add(&s->mdb_body, buf, n);
	return 0;
}

static int feed_doc(void *ud, const char *buf, size_t n) { return document_feed(ud, buf, n) < 0; }

/* Streams MDB_STAMMDATEN.XML out of the downloaded archive into the store. */
static void import_mdb(struct sync *s, const char *url, const struct fetch_outcome *o)
{
	struct strbuf err = STRBUF_INIT;
	struct zip_archive *z = zip_open_memory(s->mdb_body.buf, s->mdb_body.len, &err);
	size_t entry = z ? zip_count(z) : 0;
	for (size_t i = 0; z && i < zip_count(z); i++)
		if (strcasecmp(zip_entry_at(z, i)->name, "MDB_STAMMDATEN.XML") == 0)
			entry = i;
	if (!z || entry == zip_count(z)) {
		report_failure(s, url, z ? "no MDB_STAMMDATEN.XML in the archive" : sb_str(&err));
		zip_close(z);
		sb_free(&err);
		return;
	}
	struct strbuf src = STRBUF_INIT;
	sb_addf(&src, "%s:%s", url, zip_entry_at(z, entry)->name);
	struct document *doc = document_new(s->store, src.buf, 1);
	int rc = zip_stream(z, entry, feed_doc, doc, &err);
	struct fetch_info fi = { url, o->etag, o->last_modified };
	if (rc != 0 || document_finish(doc, &fi) < 0)
		report_failure(s, src.buf, rc < 0 ? sb_str(&err) : document_error(doc));
	else
		s->docs_started++;
	document_free(doc);
	zip_close(z);
	sb_free(&src);
	sb_free(&err);
}

static void mdb_done(struct fetch_job *j, const struct fetch_outcome *o)
{
	struct sync *s = fetch_job_data(j);
	if (o->status)
		s->responses = 1;
	if (!o->ok) {
		if (unreachable(o))
			note_offline(s, o);
		if (o->will_retry)
			return;
		if (!s->offline)
			report_failure(s, fetch_job_url(j), o->error ? o->error : "failed");
	} else if (o->not_modified) {
		s->mdb_outcome = 10;
	} else {
		import_mdb(s, fetch_job_url(j), o);
	}
	sb_free(&s->mdb_body);
	release_pending(s);
}

static const struct fetch_handler mdb_handler_http = { mdb_start, mdb_body, mdb_done };

/* ---- results ---- */

static void collect(struct sync *s, int wait)
{
	struct store_result r;
	while (store_poll(s->store, &r, wait)) {
		if (r.kind == STORE_MDB) {
			if (r.outcome == STORE_FAILED)
				report_failure(s, r.source, r.error);
			else if (r.outcome != STORE_ABORTED)
				s->mdb_outcome = (int)r.outcome;
			continue;
		}
		s->pg.done_items++;
		switch (r.outcome) {
		case STORE_NEW:
			s->newp++;
			break;
		case STORE_UPDATED:
			s->updated++;
			break;
		case STORE_UNCHANGED:
			s->unchanged++;
			break;
		case STORE_FAILED:
			report_failure(s, r.source, r.error);
			break;
		case STORE_ABORTED:
			s->pg.done_items--;
			break;
		}
	}
}

static void tick(void *ud)
{
	struct sync *s = ud;
	if (s->store)
		collect(s, 0);
	s->pg.bytes = fetcher_bytes(s->f);
	progress_update(&s->pg, 0);
}

/* ---- command ---- */

static int parse_listing_override(long ids[], int *wps, int nsrc, const char *arg)
{
	int wp;
	long id;
	char extra;
	if (sscanf(arg, "%d=%ld%c", &wp, &id, &extra) != 2 || id <= 0)
		return -1;
	for (int i = 0; i < nsrc; i++)
		if (wps[i] == wp) {
			ids[i] = id;
			return 0;
		}
	return -1;
}

static int run(int argc, char **argv, const char *dbpath)
{
	enum { OPT_WP = 1500, OPT_DRY, OPT_BASE, OPT_LISTING, OPT_NOMDB, OPT_TIMEOUT, OPT_RETRIES, OPT_DELAY };
	static const struct option opts[] = {
		{ "wp", required_argument, NULL, OPT_WP },
		{ "jobs", required_argument, NULL, 'j' },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "base-url", required_argument, NULL, OPT_BASE },
		{ "listing", required_argument, NULL, OPT_LISTING },
		{ "no-mdb", no_argument, NULL, OPT_NOMDB },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "retry-delay", required_argument, NULL, OPT_DELAY },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct bt_command *c = &cmd_sync;
	struct sync s;
	memset(&s, 0, sizeof s);
	s.jobs = 4;
	s.mdb_outcome = -1;
	int nsrc = (int)bt_listing_nsources;
	int wps[16];
	long ids[16];
	int want[16];
	for (int i = 0; i < nsrc && i < 16; i++) {
		wps[i] = bt_listing_sources[i].wahlperiode;
		ids[i] = bt_listing_sources[i].id;
		want[i] = 1;
	}
	const char *base = getenv("BT_BASE_URL");
	long timeout = 30;
	int retries = 4, ch, rc;
	double delay = 1.0;
	optind = 0;
	opterr = 0;
	while ((ch = cli_getopt(argc, argv, "j:qh", opts)) != -1) {
		char *end;
		switch (ch) {
		case OPT_WP: {
			for (int i = 0; i < nsrc; i++)
				want[i] = 0;
			const char *p = optarg;
			while (*p) {
				long v = strtol(p, &end, 10);
				int found = 0;
				for (int i = 0; i < nsrc; i++)
					if (wps[i] == v)
						want[i] = found = 1;
				if (end == p || !found || (*end && *end != ','))
					return usage_error(c, "bad --wp '%s': choose from 19, 20, 21 (e.g. --wp 19,21)", optarg);
				p = *end ? end + 1 : end;
			}
			break;
		}
		case 'j':
			s.jobs = (int)strtol(optarg, &end, 10);
			if (*end || s.jobs < 1 || s.jobs > 16)
				return usage_error(c, "bad --jobs '%s': give 1 to 16", optarg);
			break;
		case OPT_DRY:
			s.dry_run = 1;
			break;
		case OPT_BASE:
			base = optarg;
			break;
		case OPT_LISTING:
			if (parse_listing_override(ids, wps, nsrc, optarg) < 0)
				return usage_error(c, "bad --listing '%s': give WP=ID, e.g. --listing 21=1058442", optarg);
			break;
		case OPT_NOMDB:
			s.no_mdb = 1;
			break;
		case OPT_TIMEOUT:
			timeout = strtol(optarg, &end, 10);
			if (*end || timeout < 1 || timeout > 3600)
				return usage_error(c, "bad --timeout '%s': give seconds, 1 to 3600", optarg);
			break;
		case OPT_RETRIES:
			retries = (int)strtol(optarg, &end, 10);
			if (*end || retries < 0 || retries > 20)
				return usage_error(c, "bad --retries '%s': give 0 to 20", optarg);
			break;
		case OPT_DELAY:
			delay = strtod(optarg, &end);
			if (*end || delay < 0 || delay > 600)
				return usage_error(c, "bad --retry-delay '%s': give seconds, 0 to 600", optarg);
			break;
		case 'q':
			s.quiet = 1;
			break;
		case 'h':
			return print_usage(c);
		default:
			return option_error(c, argv);
		}
	}
	if (optind < argc)
		return usage_error(c, "unexpected argument '%s'", argv[optind]);
	if (!base || !*base)
		base = BT_DEFAULT_BASE;
	if (strncasecmp(base, "http://", 7) != 0 && strncasecmp(base, "https://", 8) != 0)
		return usage_error(c, "bad --base-url '%s': give an http:// or https:// URL", base);
	s.base = base;
	url_origin(&s.default_origin, BT_DEFAULT_BASE);
	url_origin(&s.base_origin, base);
	s.is_default_base = strcasecmp(s.default_origin.buf, s.base_origin.buf) == 0;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return error("cannot initialise libcurl"), BT_FAIL;
	const char *path = db_default_path(dbpath);
	if (s.dry_run) {
		s.have_db = access(path, F_OK) == 0 && db_open(&s.db, path, DB_READ) == 0;
		if (access(path, F_OK) == 0 && !s.have_db) {
			curl_global_cleanup();
			return BT_FAIL;
		}
	} else {
		if (db_open(&s.db, path, DB_WRITE) < 0) {
			curl_global_cleanup();
			return BT_FAIL;
		}
		s.have_db = 1;
	}
	if (s.have_db)
		load_known(&s);
	struct fetch_config fc = {
		.parallel = s.jobs,
		.connect_timeout = 15,
		.low_speed_time = timeout,
		.max_attempts = retries + 1,
		.retry_base = delay,
		.user_agent = "bt/" BT_VERSION,
	};
	s.f = fetcher_new(&fc);
	if (!s.dry_run)
		s.store = store_new(&s.db, 1);
	if (!s.f || (!s.dry_run && !s.store)) {
		rc = BT_FAIL;
		goto out;
	}
	progress_init(&s.pg, "sync", s.quiet || s.dry_run ? PROGRESS_OFF : is_tty(2) ? PROGRESS_TTY : PROGRESS_LINES);
	double t0 = now_seconds();
	if (s.dry_run || s.no_mdb)
		s.mdb_done = 1;
	else {
		struct strbuf url = STRBUF_INIT;
		sb_add(&url, s.base_origin.buf, s.base_origin.len);
		/* a base URL with a path keeps it */
		sb_adds(&url, base + s.base_origin.len);
		while (url.len && url.buf[url.len - 1] == '/')
			url.buf[--url.len] = '\0';
		sb_adds(&url, BT_MDB_PATH);
		const struct known *k = known_find(&s, url.buf);
		fetcher_add(s.f, url.buf, k ? k->etag : NULL, k ? k->lm : NULL, &mdb_handler_http, &s);
		sb_free(&url);
	}
	for (int i = 0; i < nsrc; i++)
		if (want[i])
			add_listing(&s, wps[i], ids[i], 0);
	rc = fetcher_run(s.f, tick, &s) < 0 ? BT_FAIL : BT_OK;
	/* transfers the loop left unfinished (it failed or stopped): roll their protocols back */
	for (size_t i = 0; i < s.nprotocols; i++)
		if (s.protocols[i]->doc) {
			document_free(s.protocols[i]->doc);
			s.protocols[i]->doc = NULL;
		}
	if (s.store) {
		collect(&s, 1);
		char why[512];
		if (store_free(s.store, why, sizeof why) < 0) {
			error("%s", why);
			s.failed++;
		}
		s.store = NULL;
	}
	progress_done(&s.pg);
	double el = now_seconds() - t0;
	if (s.offline) {
		struct strbuf host = STRBUF_INIT;
		url_host(&host, base);
		error("cannot reach %s (%s): no network? To work offline, import the archives: "
		      "bt import pp19.zip pp20.zip pp21.zip MdB-Stammdaten.zip",
		      host.buf, s.offline_why);
		sb_free(&host);
		rc = BT_FAIL;
		goto out;
	}
	if (s.dry_run) {
		printf("%lld protocols listed; nothing downloaded (--dry-run)\n", (long long)s.listed);
	} else {
		printf("listed     %lld protocols\n", (long long)s.listed);
		printf("new        %lld\n", (long long)s.newp);
		printf("updated    %lld\n", (long long)s.updated);
		printf("unchanged  %lld (%lld not modified on the server)\n", (long long)s.unchanged,
		       (long long)s.not_modified);
		printf("failed     %lld\n", (long long)s.failed);
		printf("downloaded %.1f MB in %.1f s\n", fetcher_bytes(s.f) / 1e6, el);
		static const char *const mdb_words[] = { "new", "updated", "unchanged" };
		printf("master data %s\n", s.no_mdb ? "not fetched (--no-mdb)"
					   : s.mdb_outcome == 10 ? "not modified on the server"
					   : s.mdb_outcome >= 0 && s.mdb_outcome <= 2 ? mdb_words[s.mdb_outcome]
										     : "failed");
	}
	if (finish_stdout() < 0)
		rc = BT_FAIL;
	if (s.failed)
		rc = BT_FAIL;
out:
	for (size_t i = 0; i < s.nprotocols; i++)
		if (s.protocols[i]->doc) {
			document_free(s.protocols[i]->doc);
			s.protocols[i]->doc = NULL;
		}
	if (s.store)
		store_free(s.store, NULL, 0);
	fetcher_free(s.f);
	for (size_t i = 0; i < s.nprotocols; i++) {
		if (s.protocols[i]->doc)
			document_free(s.protocols[i]->doc);
		free(s.protocols[i]->url);
		free(s.protocols[i]);
	}
	free(s.protocols);
	for (size_t i = 0; i < s.nlistings; i++) {
		sb_free(&s.listings[i]->body);
		free(s.listings[i]);
	}
	free(s.listings);
	for (size_t i = 0; i < s.npending; i++)
		free(s.pending[i]);
	free(s.pending);
	for (size_t i = 0; i < s.nknown; i++) {
		free(s.known[i].url);
		free(s.known[i].etag);
		free(s.known[i].lm);
	}
	free(s.known);
	urlset_free(&s.seen);
	sb_free(&s.mdb_body);
	sb_free(&s.default_origin);
	sb_free(&s.base_origin);
	if (s.have_db)
		db_close(&s.db);
	curl_global_cleanup();
	return rc;
}

const struct bt_command cmd_sync = {
	.name = "sync",
	.summary = "download new and changed protocols from the Bundestag",
	.usage = usage,
	.run = run,
};
