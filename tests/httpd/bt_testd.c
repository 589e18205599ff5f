/*
 * bt_testd -- loopback HTTP/1.1 test server for `bt sync`.
 *
 * Serves a mirror directory of the Bundestag open-data service and injects
 * faults (errors, resets, short bodies, stalls, throttling, gzip) that a test
 * describes in a faults file.  See README.md next to this file.
 *
 * Build: gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -O2 bt_testd.c -lz -lpthread
 * Usage: bt_testd --root DIR --port-file FILE [--faults FILE] [--log FILE]
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __linux__
#include <linux/sockios.h>
#include <sys/sendfile.h>
#endif

#define REQ_MAX 16384          /* request line + headers */
#define REQ_TIMEOUT_MS 30000   /* a client that sends no complete request */
#define DRAIN_TIMEOUT_MS 2000  /* wait for the client's FIN after a response */
#define SEND_TIMEOUT_S 120     /* a client that stops reading */
#define NBUCKETS 1024

/* ------------------------------------------------------------------ globals */

static char g_root[PATH_MAX];
static const char *g_faults_path;
static int g_log_fd = -1;
static atomic_int g_stop;
static int g_wake[2] = {-1, -1};

struct conn {
	int fd;
	struct conn *prev, *next;
};
static pthread_mutex_t g_conn_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_conn_cv = PTHREAD_COND_INITIALIZER;
static struct conn *g_conns;
static int g_nconns;

/* Per-(fault line, request target) request counters; reset whenever the
 * faults file changes (is rewritten, removed or created). */
struct counter {
	struct counter *next;
	unsigned line;
	long long n;
	char target[];
};
static pthread_mutex_t g_fault_mu = PTHREAD_MUTEX_INITIALIZER;
static struct counter *g_buckets[NBUCKETS];
static struct {
	int exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
	char *content;
} g_fsig;

/* ------------------------------------------------------------------ helpers */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bt_testd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read a whole (small) file; returns malloc'd NUL-terminated text or NULL. */
static char *slurp_fd(int fd, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return NULL;
	for (;;) {
		if (len == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static size_t send_all(int fd, const char *p, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = send(fd, p + done, len - done, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

static void fmt_http_date(time_t t, char *buf, size_t len)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static int parse_http_date(const char *s, time_t *out)
{
	static const char *const fmts[] = {
		"%a, %d %b %Y %H:%M:%S GMT", /* IMF-fixdate */
		"%A, %d-%b-%y %H:%M:%S GMT", /* obsolete RFC 850 */
		"%a %b %e %H:%M:%S %Y",      /* asctime */
	};
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		struct tm tm;
		memset(&tm, 0, sizeof tm);
		const char *end = strptime(s, fmts[i], &tm);
		if (end) {
			while (*end == ' ' || *end == '\t')
				end++;
			if (*end == '\0') {
				*out = timegm(&tm);
				return 0;
			}
		}
	}
	return -1;
}

/* Case-insensitive substring search. */
static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static void log_line(const char *method, const char *target, int status, long long bytes,
		     const char *enc, int inm)
{
	if (g_log_fd < 0)
		return;
	char line[REQ_MAX + 256];
	int n = snprintf(line, sizeof line, "%s %s %d %lld %s %c\n", method, target, status, bytes,
			 enc ? enc : "-", inm ? 'y' : 'n');
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line) {
		n = (int)sizeof line - 1;
		line[n - 1] = '\n';
	}
	/* O_APPEND + a single write(): lines from parallel threads never mix. */
	ssize_t w;
	do
		w = write(g_log_fd, line, (size_t)n);
	while (w < 0 && errno == EINTR);
}

/* ------------------------------------------------------------------- faults */

enum fkind { F_NONE, F_404, F_500, F_429, F_RESET, F_SHORT, F_HTML, F_STALL, F_SLOW, F_GZIP };

struct decision {
	enum fkind kind; /* the response fault chosen, F_NONE = serve normally */
	long long a, b;  /* its arguments */
	int gzip;        /* gzip enabled for this target */
};

static unsigned long hash_key(unsigned line, const char *target)
{
	unsigned long h = 1469598103934665603UL ^ line;
	for (const unsigned char *p = (const unsigned char *)target; *p; p++)
		h = (h ^ *p) * 1099511628211UL;
	return h;
}

/* Caller holds g_fault_mu.  Returns the count before this request, -1 on OOM. */
static long long counter_bump(unsigned line, const char *target)
{
	unsigned long b = hash_key(line, target) % NBUCKETS;
	for (struct counter *c = g_buckets[b]; c; c = c->next)
		if (c->line == line && strcmp(c->target, target) == 0)
			return c->n++;
	size_t tl = strlen(target);
	struct counter *c = malloc(sizeof *c + tl + 1);
	if (!c)
		return -1;
	c->line = line;
	c->n = 1;
	memcpy(c->target, target, tl + 1);
	c->next = g_buckets[b];
	g_buckets[b] = c;
	return 0;
}

static void counters_clear(void)
{
	for (int i = 0; i < NBUCKETS; i++) {
		struct counter *c = g_buckets[i];
		while (c) {
			struct counter *n = c->next;
			free(c);
			c = n;
		}
		g_buckets[i] = NULL;
	}
}

static enum fkind fault_kind(const char *w)
{
	static const struct {
		const char *name;
		enum fkind kind;
	} tab[] = {
		{"404", F_404},     {"500", F_500},     {"429", F_429},   {"reset", F_RESET},
		{"short", F_SHORT}, {"html", F_HTML},   {"stall", F_STALL}, {"slow", F_SLOW},
		{"gzip", F_GZIP},
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(w, tab[i].name) == 0)
			return tab[i].kind;
	return F_NONE;
}

static long long num_arg(const char *s, long long dflt)
{
	if (!s)
		return dflt;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return dflt;
	return v;
}

/* Read the faults file and decide what to do with this request target.
 * Every matching line counts the request (per line and target), whether or
 * not it is the one applied; the first active response fault wins. */
static void decide(const char *target, struct decision *d)
{
	memset(d, 0, sizeof *d);
	if (!g_faults_path)
		return;

	char *text = NULL;
	struct stat st;
	int exists = 0;
	int fd = open(g_faults_path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (fstat(fd, &st) == 0 && (text = slurp_fd(fd, NULL)) != NULL)
			exists = 1;
		close(fd);
	}

	pthread_mutex_lock(&g_fault_mu);
	int changed = exists != g_fsig.exists;
	if (!changed && exists)
		changed = st.st_dev != g_fsig.dev || st.st_ino != g_fsig.ino ||
			  st.st_size != g_fsig.size || st.st_mtim.tv_sec != g_fsig.mtim.tv_sec ||
			  st.st_mtim.tv_nsec != g_fsig.mtim.tv_nsec ||
			  st.st_ctim.tv_sec != g_fsig.ctim.tv_sec ||
			  st.st_ctim.tv_nsec != g_fsig.ctim.tv_nsec ||
			  strcmp(text, g_fsig.content) != 0;
	if (changed) {
		counters_clear();
		free(g_fsig.content);
		g_fsig.content = NULL;
		g_fsig.exists = exists;
		if (exists) {
			g_fsig.dev = st.st_dev;
			g_fsig.ino = st.st_ino;
			g_fsig.size = st.st_size;
			g_fsig.mtim = st.st_mtim;
			g_fsig.ctim = st.st_ctim;
			g_fsig.content = strdup(text);
			if (!g_fsig.content)
				g_fsig.exists = 0; /* compare again next time */
		}
	}

	unsigned lineno = 0;
	char *save_line = NULL;
	for (char *line = exists ? strtok_r(text, "\n", &save_line) : NULL; line;
	     line = strtok_r(NULL, "\n", &save_line)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *tok[8];
		int nt = 0;
		char *save_tok = NULL;
		for (char *t = strtok_r(line, " \t\r", &save_tok); t && nt < 8;
		     t = strtok_r(NULL, " \t\r", &save_tok))
			tok[nt++] = t;
		if (nt < 2)
			continue;
		if (strcmp(tok[0], "*") != 0 && strcmp(tok[0], target) != 0)
			continue;
		int i = 1, once = 0;
		if (strcmp(tok[i], "once") == 0) {
			once = 1;
			if (++i >= nt)
				continue;
		}
		enum fkind k = fault_kind(tok[i]);
		if (k == F_NONE) {
			fprintf(stderr, "bt_testd: faults line %u: unknown fault '%s'\n", lineno, tok[i]);
			continue;
		}
		const char *a1 = i + 1 < nt ? tok[i + 1] : NULL;
		const char *a2 = i + 2 < nt ? tok[i + 2] : NULL;
		long long seen = counter_bump(lineno, target);
		if (seen < 0)
			continue;
		int active = !once || seen == 0;
		long long a = 0, b = 0;
		switch (k) {
		case F_500:
			a = num_arg(a1, LLONG_MAX);
			active = active && seen < a;
			break;
		case F_429:
			a = num_arg(a1, LLONG_MAX);
			b = num_arg(a2, 1);
			active = active && seen < a;
			break;
		case F_RESET:
		case F_SHORT:
		case F_STALL:
			a = num_arg(a1, 0);
			break;
		case F_SLOW:
			a = num_arg(a1, 1024);
			if (a == 0)
				a = 1;
			break;
		default:
			break;
		}
		if (k == F_GZIP) {
			if (active)
				d->gzip = 1;
			continue;
		}
		if (active && d->kind == F_NONE) {
			d->kind = k;
			d->a = a;
			d->b = b;
		}
	}
	pthread_mutex_unlock(&g_fault_mu);
	free(text);
}

/* ------------------------------------------------------------------- bodies */

struct body {
	const char *mem; /* either memory ... */
	int fd;          /* ... or a file (mem == NULL) */
	long long len;
};

/* Send up to `limit` bytes of the body, throttled to `rate` bytes/s if > 0.
 * Returns the number of bytes handed to the kernel. */
static long long send_body(int fd, const struct body *b, long long limit, long long rate)
{
	if (limit > b->len)
		limit = b->len;
	long long sent = 0;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long long chunk = rate > 0 ? rate / 50 : 1 << 20;
	if (chunk < 1)
		chunk = 1;
	if (chunk > 1 << 20)
		chunk = 1 << 20;
	while (sent < limit && !atomic_load(&g_stop)) {
		long long want = limit - sent;
		if (want > chunk)
			want = chunk;
		ssize_t n;
		if (b->mem) {
			n = send(fd, b->mem + sent, (size_t)want, MSG_NOSIGNAL);
		} else {
#ifdef __linux__
			off_t off = (off_t)sent;
			n = sendfile(fd, b->fd, &off, (size_t)want);
#else
			char buf[65536];
			if (want > (long long)sizeof buf)
				want = sizeof buf;
			n = pread(b->fd, buf, (size_t)want, (off_t)sent);
			if (n > 0)
				n = (ssize_t)send_all(fd, buf, (size_t)n);
#endif
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sent += n;
		if (rate > 0 && sent < limit) {
			/* sleep until `sent` bytes are due at `rate` */
			long long due_ns = sent * 1000000000LL / rate;
			struct timespec t = start;
			t.tv_sec += (time_t)(due_ns / 1000000000LL);
			t.tv_nsec += (long)(due_ns % 1000000000LL);
			if (t.tv_nsec >= 1000000000L) {
				t.tv_sec++;
				t.tv_nsec -= 1000000000L;
			}
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
				;
		}
	}
	return sent;
}

static int gzip_buffer(const char *in, size_t inlen, char **out, size_t *outlen)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	uLong cap = deflateBound(&zs, (uLong)inlen) + 64;
	char *buf = malloc(cap);
	if (!buf) {
		deflateEnd(&zs);
		return -1;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)inlen;
	zs.next_out = (Bytef *)buf;
	zs.avail_out = (uInt)cap;
	int rc = deflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&zs);
		free(buf);
		return -1;
	}
	*outlen = zs.total_out;
	*out = buf;
	deflateEnd(&zs);
	return 0;
}

/* ------------------------------------------------------------- connections */

enum close_mode { CLOSE_NORMAL, CLOSE_RESET, CLOSE_STALL };

/* Wait (bounded) until the kernel has delivered what we sent, so an RST does
 * not throw away body bytes the fault promised to send. */
static void wait_sent(int fd, int max_ms)
{
#ifdef SIOCOUTQ
	long long end = now_ms() + max_ms;
	while (now_ms() < end && !atomic_load(&g_stop)) {
		int q = 0;
		if (ioctl(fd, SIOCOUTQ, &q) < 0 || q <= 0)
			return;
		struct timespec ts = {0, 2000000};
		nanosleep(&ts, NULL);
	}
#else
	(void)fd;
	(void)max_ms;
#endif
}

/* Read and discard until EOF, error, timeout (ms, <0 = forever) or shutdown. */
static void drain(int fd, int timeout_ms)
{
	long long end = timeout_ms < 0 ? LLONG_MAX : now_ms() + timeout_ms;
	char buf[4096];
	while (!atomic_load(&g_stop) && now_ms() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, 200);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return;
		if (r == 0)
			continue;
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return;
	}
}

static void conn_register(struct conn *c)
{
	pthread_mutex_lock(&g_conn_mu);
	c->prev = NULL;
	c->next = g_conns;
	if (g_conns)
		g_conns->prev = c;
	g_conns = c;
	g_nconns++;
	pthread_mutex_unlock(&g_conn_mu);
}

static void conn_finish(struct conn *c, enum close_mode mode)
{
	pthread_mutex_lock(&g_conn_mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		g_conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	g_nconns--;
	if (mode == CLOSE_RESET) {
		struct linger lg = {.l_onoff = 1, .l_linger = 0};
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	}
	close(c->fd);
	pthread_cond_broadcast(&g_conn_cv);
	pthread_mutex_unlock(&g_conn_mu);
	free(c);
}

static const char *status_text(int code)
{
	switch (code) {
	case 200: return "OK";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	default: return "Unknown";
	}
}

/* Append formatted text to a fixed header buffer. */
struct hbuf {
	char b[2048];
	size_t n;
};

static void hb_add(struct hbuf *h, const char *fmt, ...)
{
	if (h->n >= sizeof h->b)
		return;
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(h->b + h->n, sizeof h->b - h->n, fmt, ap);
	va_end(ap);
	if (r > 0)
		h->n += (size_t)r < sizeof h->b - h->n ? (size_t)r : sizeof h->b - h->n - 1;
}

static void hb_start(struct hbuf *h, int code)
{
	char date[64];
	h->n = 0;
	fmt_http_date(time(NULL), date, sizeof date);
	hb_add(h, "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: bt_testd\r\nConnection: close\r\n", code,
	       status_text(code), date);
}

/* A complete small response with an HTML body.  Returns body bytes sent. */
static long long send_simple(int fd, int code, int head, const char *extra, const char *body)
{
	struct hbuf h;
	size_t blen = strlen(body);
	hb_start(&h, code);
	if (extra)
		hb_add(&h, "%s", extra);
	hb_add(&h, "Content-Type: text/html\r\nContent-Length: %zu\r\n\r\n", blen);
	if (send_all(fd, h.b, h.n) != h.n)
		return 0;
	return head ? 0 : (long long)send_all(fd, body, blen);
}

static char *error_page(int code, char *buf, size_t len)
{
	snprintf(buf, len,
		 "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>"
		 "<body><h1>%d %s</h1></body></html>\n",
		 code, status_text(code), code, status_text(code));
	return buf;
}

static const char MAINTENANCE_PAGE[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"de\"><head><meta charset=\"utf-8\"><title>Wartungsarbeiten</title>"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\n"
	"<body><div class=\"container\"><div class=\"row\"><div class=\"col-xs-12\">\n"
	"<h1>Wartungsarbeiten</h1>\n"
	"<p>Aufgrund von Wartungsarbeiten ist das Angebot des Deutschen Bundestages "
	"vor\xc3\xbc" "bergehend nicht erreichbar. Bitte versuchen Sie es sp\xc3\xa4ter erneut.</p>\n"
	"<p>Wir bitten um Ihr Verst\xc3\xa4ndnis.</p>\n"
	"</div></div></div></body></html>\n";

static const char *content_type(const char *target)
{
	size_t plen = strcspn(target, "?");
	if (strncmp(target, "/ajax/", 6) == 0)
		return "text/html";
	const char *dot = NULL;
	for (size_t i = 0; i < plen; i++) {
		if (target[i] == '/')
			dot = NULL;
		else if (target[i] == '.')
			dot = target + i;
	}
	if (dot) {
		size_t el = (size_t)(target + plen - dot);
		if (el == 4 && strncasecmp(dot, ".xml", 4) == 0)
			return "application/xml";
		if (el == 4 && strncasecmp(dot, ".zip", 4) == 0)
			return "application/zip";
		if (el == 5 && strncasecmp(dot, ".html", 5) == 0)
			return "text/html";
	}
	return "application/octet-stream";
}

/* Does any entity-tag in an If-None-Match list equal etag (weak compare)? */
static int etag_matches(const char *list, const char *etag)
{
	size_t el = strlen(etag);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		const char *s = p;
		if (*p == '"') {
			p++;
			while (*p && *p != '"')
				p++;
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',' && *p != ' ')
				p++;
		}
		if ((size_t)(p - s) == el && memcmp(s, etag, el) == 0)
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}

struct request {
	char method[16];
	char *target;
	const char *inm;  /* If-None-Match value or NULL */
	const char *ims;  /* If-Modified-Since value or NULL */
	int accept_gzip;
};

/* Read the request head into buf; returns its length, 0 if the client went
 * away without a request, -1 if it is too large/timed out (400). */
static ssize_t read_head(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	long long end = now_ms() + REQ_TIMEOUT_MS;
	while (len < cap - 1) {
		if (atomic_load(&g_stop))
			return 0;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, 200);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 0;
		if (r == 0) {
			if (now_ms() > end)
				return len ? -1 : 0;
			continue;
		}
		ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return len ? -1 : 0;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return (ssize_t)len;
	}
	return -1;
}

static int valid_token_char(unsigned char ch)
{
	return ch > 0x20 && ch < 0x7f;
}

/* Parse the request head in place.  Returns 0 or an HTTP status (400/405). */
static int parse_request(char *buf, struct request *rq)
{
	memset(rq, 0, sizeof *rq);

	char *eol = strchr(buf, '\n');
	if (!eol)
		return 400;
	*eol = '\0';
	if (eol > buf && eol[-1] == '\r')
		eol[-1] = '\0';

	char *sp1 = strchr(buf, ' ');
	if (!sp1 || sp1 == buf || (size_t)(sp1 - buf) >= sizeof rq->method)
		return 400;
	for (char *p = buf; p < sp1; p++)
		if (*p < 'A' || *p > 'Z')
			return 400;
	memcpy(rq->method, buf, (size_t)(sp1 - buf));
	rq->method[sp1 - buf] = '\0';
	char *target = sp1 + 1;
	char *sp2 = strchr(target, ' ');
	if (!sp2 || sp2 == target)
		return 400;
	*sp2 = '\0';
	const char *version = sp2 + 1;
	if (strcmp(version, "HTTP/1.1") != 0 && strcmp(version, "HTTP/1.0") != 0)
		return 400;
	for (const char *p = target; *p; p++)
		if (!valid_token_char((unsigned char)*p))
			return 400;
	rq->target = target;

	/* headers */
	char *line = eol + 1;
	while (*line) {
		char *next = strchr(line, '\n');
		if (!next)
			break;
		*next = '\0';
		if (next > line && next[-1] == '\r')
			next[-1] = '\0';
		if (*line == '\0')
			break;
		char *colon = strchr(line, ':');
		if (!colon || colon == line)
			return 400;
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		char *ve = v + strlen(v);
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			*--ve = '\0';
		if (strcasecmp(line, "If-None-Match") == 0)
			rq->inm = v;
		else if (strcasecmp(line, "If-Modified-Since") == 0)
			rq->ims = v;
		else if (strcasecmp(line, "Accept-Encoding") == 0 && contains_ci(v, "gzip"))
			rq->accept_gzip = 1;
		line = next + 1;
	}

	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
		return 405;
	if (rq->target[0] != '/' || strstr(rq->target, ".."))
		return 400;
	return 0;
}

static void handle(struct conn *c)
{
	char req[REQ_MAX];
	int fd = c->fd;
	ssize_t hl = read_head(fd, req, sizeof req);
	if (hl == 0) {
		conn_finish(c, CLOSE_NORMAL);
		return;
	}

	char page[512];
	struct request rq;
	memset(&rq, 0, sizeof rq);
	int code = hl < 0 ? 400 : parse_request(req, &rq);
	if (code) {
		int head = hl > 0 && strcmp(rq.method, "HEAD") == 0;
		long long n = send_simple(fd, code, head,
					  code == 405 ? "Allow: GET, HEAD\r\n" : NULL,
					  error_page(code, page, sizeof page));
		log_line(rq.method[0] && hl > 0 ? rq.method : "-",
			 rq.target && hl > 0 ? rq.target : "-", code, n, NULL,
			 hl > 0 && rq.inm != NULL);
		shutdown(fd, SHUT_WR);
		drain(fd, DRAIN_TIMEOUT_MS);
		conn_finish(c, CLOSE_NORMAL);
		return;
	}

	int head = strcmp(rq.method, "HEAD") == 0;
	int inm_present = rq.inm != NULL;
	struct decision d;
	decide(rq.target, &d);

	enum close_mode mode = CLOSE_NORMAL;
	long long sent = 0;
	const char *enc = NULL;
	int status;
	char extra[128];

	switch (d.kind) {
	case F_404:
	case F_500:
		status = d.kind == F_404 ? 404 : 500;
		sent = send_simple(fd, status, head, NULL, error_page(status, page, sizeof page));
		goto done;
	case F_429:
		status = 429;
		snprintf(extra, sizeof extra, "Retry-After: %lld\r\n", d.b);
		sent = send_simple(fd, status, head, extra, error_page(status, page, sizeof page));
		goto done;
	case F_HTML:
		status = 200;
		sent = send_simple(fd, status, head, NULL, MAINTENANCE_PAGE);
		goto done;
	default:
		break;
	}

	/* Serve the file DIR + target, taken literally (query included). */
	char path[PATH_MAX];
	int ffd = -1;
	struct stat st;
	size_t tl = strlen(rq.target);
	if (rq.target[tl - 1] != '/' &&
	    snprintf(path, sizeof path, "%s%s", g_root, rq.target) < (int)sizeof path)
		ffd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (ffd >= 0 && (fstat(ffd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(ffd);
		ffd = -1;
	}
	if (ffd < 0) {
		status = 404;
		sent = send_simple(fd, status, head, NULL, error_page(status, page, sizeof page));
		goto done;
	}

	char etag[64], lastmod[64];
	long long mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
		 (unsigned long long)mtime_ns);
	fmt_http_date(st.st_mtim.tv_sec, lastmod, sizeof lastmod);

	int not_modified = 0;
	if (rq.inm) {
		not_modified = etag_matches(rq.inm, etag);
	} else if (rq.ims) {
		time_t t;
		if (parse_http_date(rq.ims, &t) == 0 && st.st_mtim.tv_sec <= t)
			not_modified = 1;
	}

	struct hbuf h;
	if (not_modified) {
		status = 304;
		hb_start(&h, status);
		hb_add(&h, "ETag: %s\r\nLast-Modified: %s\r\n", etag, lastmod);
		if (d.gzip)
			hb_add(&h, "Vary: Accept-Encoding\r\n");
		hb_add(&h, "\r\n");
		send_all(fd, h.b, h.n);
		close(ffd);
		goto done;
	}

	struct body b = {.mem = NULL, .fd = ffd, .len = st.st_size};
	char *gz = NULL;
	if (d.gzip && rq.accept_gzip) {
		size_t rawlen = 0, gzlen = 0;
		char *raw = slurp_fd(ffd, &rawlen);
		if (raw && gzip_buffer(raw, rawlen, &gz, &gzlen) == 0) {
			b.mem = gz;
			b.len = (long long)gzlen;
			enc = "gzip";
		}
		free(raw);
	}

	status = 200;
	hb_start(&h, status);
	hb_add(&h, "Content-Type: %s\r\nContent-Length: %lld\r\nETag: %s\r\nLast-Modified: %s\r\n",
	       content_type(rq.target), b.len, etag, lastmod);
	if (enc)
		hb_add(&h, "Content-Encoding: %s\r\n", enc);
	if (d.gzip)
		hb_add(&h, "Vary: Accept-Encoding\r\n");
	hb_add(&h, "\r\n");

	if (send_all(fd, h.b, h.n) == h.n && !head) {
		long long limit = b.len, rate = 0;
		switch (d.kind) {
		case F_RESET: limit = d.a; mode = CLOSE_RESET; break;
		case F_SHORT: limit = d.a; break;
		case F_STALL: limit = d.a; mode = CLOSE_STALL; break;
		case F_SLOW: rate = d.a; break;
		default: break;
		}
		sent = send_body(fd, &b, limit, rate);
	} else if (head && (d.kind == F_RESET || d.kind == F_STALL)) {
		mode = d.kind == F_RESET ? CLOSE_RESET : CLOSE_STALL;
	}
	free(gz);
	close(ffd);

done:
	log_line(rq.method, rq.target, status, sent, enc, inm_present);
	switch (mode) {
	case CLOSE_RESET:
		wait_sent(fd, 1000);
		break;
	case CLOSE_STALL:
		drain(fd, -1); /* until the client closes or the server stops */
		break;
	case CLOSE_NORMAL:
		shutdown(fd, SHUT_WR);
		drain(fd, DRAIN_TIMEOUT_MS);
		break;
	}
	conn_finish(c, mode);
}

static void *conn_thread(void *arg)
{
	handle(arg);
	return NULL;
}

static void *signal_thread(void *arg)
{
	sigset_t *set = arg;
	int sig = 0;
	sigwait(set, &sig);
	atomic_store(&g_stop, 1);
	ssize_t w;
	do
		w = write(g_wake[1], "x", 1);
	while (w < 0 && errno == EINTR);
	return NULL;
}

/* --------------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr,
		"usage: bt_testd --root DIR --port-file FILE [--faults FILE] [--log FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *root = NULL, *port_file = NULL, *log_path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			usage();
		if (strcmp(a, "--root") == 0)
			root = argv[++i];
		else if (strcmp(a, "--port-file") == 0)
			port_file = argv[++i];
		else if (strcmp(a, "--faults") == 0)
			g_faults_path = argv[++i];
		else if (strcmp(a, "--log") == 0)
			log_path = argv[++i];
		else
			usage();
	}
	if (!root || !port_file)
		usage();

	if (!realpath(root, g_root))
		die("cannot open '%s': %s", root, strerror(errno));
	struct stat rst;
	if (stat(g_root, &rst) != 0 || !S_ISDIR(rst.st_mode))
		die("'%s' is not a directory", root);
	if (strcmp(g_root, "/") == 0)
		g_root[0] = '\0';

	if (log_path) {
		g_log_fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (g_log_fd < 0)
			die("cannot open '%s': %s", log_path, strerror(errno));
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	static sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* inherited by every thread */

	if (pipe(g_wake) != 0)
		die("pipe: %s", strerror(errno));
	fcntl(g_wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(g_wake[1], F_SETFD, FD_CLOEXEC);

	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket: %s", strerror(errno));
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0)
		die("bind: %s", strerror(errno));
	if (listen(lfd, 256) != 0)
		die("listen: %s", strerror(errno));
	socklen_t alen = sizeof addr;
	if (getsockname(lfd, (struct sockaddr *)&addr, &alen) != 0)
		die("getsockname: %s", strerror(errno));

	pthread_t sig_tid;
	if (pthread_create(&sig_tid, NULL, signal_thread, &set) != 0)
		die("cannot start signal thread");

	/* Publish the port atomically: FILE.tmp, then rename. */
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", port_file) >= (int)sizeof tmp)
		die("port file name too long");
	FILE *pf = fopen(tmp, "w");
	if (!pf)
		die("cannot write '%s': %s", tmp, strerror(errno));
	fprintf(pf, "%u\n", (unsigned)ntohs(addr.sin_port));
	if (fclose(pf) != 0 || rename(tmp, port_file) != 0)
		die("cannot write '%s': %s", port_file, strerror(errno));

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 512 * 1024);

	while (!atomic_load(&g_stop)) {
		struct pollfd p[2] = {{.fd = lfd, .events = POLLIN}, {.fd = g_wake[0], .events = POLLIN}};
		int r = poll(p, 2, -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0)
			continue; /* ECONNABORTED, EMFILE, ...: keep serving */
		struct timeval tv = {.tv_sec = SEND_TIMEOUT_S, .tv_usec = 0};
		setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		struct conn *c = malloc(sizeof *c);
		if (!c) {
			close(cfd);
			continue;
		}
		c->fd = cfd;
		conn_register(c);
		pthread_t tid;
		if (pthread_create(&tid, &attr, conn_thread, c) != 0)
			conn_finish(c, CLOSE_RESET);
	}
	pthread_attr_destroy(&attr);
	close(lfd);

	/* Wake every connection (stalls, slow bodies) and wait for them to end. */
	pthread_mutex_lock(&g_conn_mu);
	for (struct conn *c = g_conns; c; c = c->next)
		shutdown(c->fd, SHUT_RDWR);
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	while (g_nconns > 0)
		if (pthread_cond_timedwait(&g_conn_cv, &g_conn_mu, &deadline) == ETIMEDOUT)
			break;
	int left = g_nconns;
	pthread_mutex_unlock(&g_conn_mu);
	if (left)
		fprintf(stderr, "bt_testd: %d connection(s) still open at exit\n", left);

	pthread_join(sig_tid, NULL);
	pthread_mutex_lock(&g_fault_mu);
	counters_clear();
	free(g_fsig.content);
	g_fsig.content = NULL;
	pthread_mutex_unlock(&g_fault_mu);
	if (g_log_fd >= 0)
		close(g_log_fd);
	close(g_wake[0]);
	close(g_wake[1]);
	return 0;
}
