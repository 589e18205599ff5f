/* The download engine: one event loop over curl_multi, jobs queued FIFO, retries scheduled by
 * time. Everything runs on the calling thread. */
#include "bt/fetch.h"
#include "bt/strbuf.h"
#include "bt/util.h"
#include <curl/curl.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum job_state { J_WAITING, J_RUNNING, J_DONE };

struct fetch_job {
	struct fetcher *f;
	char *url, *etag, *lm;
	const struct fetch_handler *h;
	void *ud;
	enum job_state state;
	int attempt;
	double not_before;
	CURL *easy;
	struct curl_slist *req_headers;
	/* response of the current attempt */
	long status;
	struct strbuf r_etag, r_lm, r_type;
	double retry_after; /* seconds, <0 if none */
	int64_t bytes;
	char fail[512];
	int failed_by_handler;
	char errbuf[CURL_ERROR_SIZE];
	struct fetch_job *next;
};

struct fetcher {
	struct fetch_config c;
	CURLM *multi;
	struct fetch_job *jobs, *tail;
	int running;
	int stop;
	int64_t bytes;
};

struct fetcher *fetcher_new(const struct fetch_config *c)
{
	struct fetcher *f = xcalloc(1, sizeof *f);
	f->c = *c;
	if (f->c.parallel < 1)
		f->c.parallel = 1;
	if (f->c.max_attempts < 1)
		f->c.max_attempts = 1;
	f->multi = curl_multi_init();
	if (!f->multi) {
		free(f);
		return NULL;
	}
	srand((unsigned)time(NULL) ^ (unsigned)getpid()); /* jitter differs between clients */
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->c.parallel);
	return f;
}

static void job_free(struct fetch_job *j)
{
	if (j->easy) {
		curl_multi_remove_handle(j->f->multi, j->easy);
		curl_easy_cleanup(j->easy);
	}
	curl_slist_free_all(j->req_headers);
	sb_free(&j->r_etag);
	sb_free(&j->r_lm);
	sb_free(&j->r_type);
	free(j->url);
	free(j->etag);
	free(j->lm);
	free(j);
}

void fetcher_free(struct fetcher *f)
{
	if (!f)
		return;
	while (f->jobs) {
		struct fetch_job *j = f->jobs;
		f->jobs = j->next;
		job_free(j);
	}
	curl_multi_cleanup(f->multi);
	free(f);
}

struct fetch_job *fetcher_add(struct fetcher *f, const char *url, const char *etag, const char *lm,
			      const struct fetch_handler *h, void *ud)
{
	struct fetch_job *j = xcalloc(1, sizeof *j);
	j->f = f;
	j->url = xstrdup(url);
	j->etag = etag && *etag ? xstrdup(etag) : NULL;
	j->lm = lm && *lm ? xstrdup(lm) : NULL;
	j->h = h;
	j->ud = ud;
	j->state = J_WAITING;
	if (f->tail)
		f->tail->next = j;
	else
		f->jobs = j;
	f->tail = j;
	return j;
}

void fetcher_stop(struct fetcher *f) { f->stop = 1; }
int64_t fetcher_bytes(const struct fetcher *f) { return f->bytes; }
void *fetch_job_data(const struct fetch_job *j) { return j->ud; }
const char *fetch_job_url(const struct fetch_job *j) { return j->url; }
const char *fetch_job_content_type(const struct fetch_job *j) { return sb_str(&j->r_type); }
int fetch_job_attempt(const struct fetch_job *j) { return j->attempt; }

void fetch_job_fail(struct fetch_job *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->fail, sizeof j->fail, fmt, ap);
	va_end(ap);
	j->failed_by_handler = 1;
}

/* "Retry-After: 120" or an HTTP date */
static double parse_retry_after(const char *v)
{
	char *end;
	double s = strtod(v, &end);
	if (end != v && s >= 0)
		return s;
	time_t t = curl_getdate(v, NULL);
	if (t > 0) {
		double d = difftime(t, time(NULL));
		return d > 0 ? d : 0;
	}
	return -1;
}

static void set_trimmed(struct strbuf *sb, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	sb_reset(sb);
	sb_add(sb, v, n);
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *ud)
{
	struct fetch_job *j = ud;
	size_t n = size * nitems;
	if (n > 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* a new response (after a redirect or 100 Continue): forget the previous one */
		const char *sp = memchr(buf, ' ', n);
		j->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		sb_reset(&j->r_etag);
		sb_reset(&j->r_lm);
		sb_reset(&j->r_type);
		j->retry_after = -1;
		return n;
	}
	const char *colon = memchr(buf, ':', n);
	if (!colon)
		return n;
	size_t k = (size_t)(colon - buf), vn = n - k - 1;
	if (k == 4 && strncasecmp(buf, "etag", 4) == 0)
		set_trimmed(&j->r_etag, colon + 1, vn);
	else if (k == 13 && strncasecmp(buf, "last-modified", 13) == 0)
		set_trimmed(&j->r_lm, colon + 1, vn);
	else if (k == 12 && strncasecmp(buf, "content-type", 12) == 0)
		set_trimmed(&j->r_type, colon + 1, vn);
	else if (k == 11 && strncasecmp(buf, "retry-after", 11) == 0) {
		struct strbuf v = STRBUF_INIT;
		set_trimmed(&v, colon + 1, vn);
		j->retry_after = parse_retry_after(sb_str(&v));
		sb_free(&v);
	}
	return n;
}

static size_t on_body(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct fetch_job *j = ud;
	size_t n = size * nmemb;
	if (j->status != 200)
		return n; /* an error page: not the document */
	j->bytes += (int64_t)n;
	j->f->bytes += (int64_t)n;
	if (j->h->body && j->h->body(j, buf, n) != 0) {
		if (!j->failed_by_handler)
			fetch_job_fail(j, "stopped");
		return 0; /* abort: CURLE_WRITE_ERROR */
	}
	return n;
}

static CURLMcode start(struct fetcher *f, struct fetch_job *j)
{
	j->attempt++;
	j->status = 0;
	j->bytes = 0;
	j->retry_after = -1;
	j->fail[0] = '\0';
	j->failed_by_handler = 0;
	j->errbuf[0] = '\0';
	sb_reset(&j->r_etag);
	sb_reset(&j->r_lm);
	sb_reset(&j->r_type);
	CURL *e = curl_easy_init();
	if (!e)
		return CURLM_OUT_OF_MEMORY;
	j->easy = e;
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->c.user_agent);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding this libcurl decodes */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, f->c.connect_timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, f->c.low_speed_time);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_slist_free_all(j->req_headers);
	j->req_headers = NULL;
	if (j->etag) {
		struct strbuf h = STRBUF_INIT;
		sb_addf(&h, "If-None-Match: %s", j->etag);
		j->req_headers = curl_slist_append(j->req_headers, h.buf);
		sb_free(&h);
	}
	if (j->lm) {
		struct strbuf h = STRBUF_INIT;
		sb_addf(&h, "If-Modified-Since: %s", j->lm);
		j->req_headers = curl_slist_append(j->req_headers, h.buf);
		sb_free(&h);
	}
	if (j->req_headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->req_headers);
	if (j->h->start)
		j->h->start(j);
	CURLMcode mc = curl_multi_add_handle(f->multi, e);
	if (mc != CURLM_OK)
		return mc;
	j->state = J_RUNNING;
	f->running++;
	return CURLM_OK;
}

static int retryable_curl(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
		return 1;
	default:
		return 0;
	}
}

static double backoff(const struct fetcher *f, int attempt)
{
	double d = f->c.retry_base * pow(2.0, attempt - 1);
	d *= 0.5 + (double)rand() / RAND_MAX; /* jitter: several clients do not retry in step */
	return d > 60.0 ? 60.0 : d;
}

static void finish(struct fetcher *f, struct fetch_job *j, CURLcode code)
{
	struct fetch_outcome o;
	memset(&o, 0, sizeof o);
	char msg[700];
	curl_off_t expected = -1;
	curl_easy_getinfo(j->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
	o.status = j->status;
	o.curl_code = (int)code;
	o.bytes = j->bytes;
	o.etag = j->r_etag.len ? j->r_etag.buf : NULL;
	o.last_modified = j->r_lm.len ? j->r_lm.buf : NULL;
	o.content_type = j->r_type.len ? j->r_type.buf : NULL;
	int retry = 0;
	double delay = 0;
	if (code == CURLE_OK && (j->status == 200 || j->status == 304)) {
		o.ok = 1;
		o.not_modified = j->status == 304;
	} else if (code == CURLE_WRITE_ERROR && j->failed_by_handler) {
		snprintf(msg, sizeof msg, "%s", j->fail);
		o.error = msg;
	} else if (code == CURLE_OK) {
		snprintf(msg, sizeof msg, "HTTP %ld", j->status);
		o.error = msg;
		if (j->status == 429 || j->status == 408 || j->status >= 500) {
			retry = 1;
			delay = j->retry_after >= 0 ? (j->retry_after > 300 ? 300 : j->retry_after) : backoff(f, j->attempt);
		}
	} else {
		if (code == CURLE_PARTIAL_FILE && expected > 0)
			snprintf(msg, sizeof msg, "transfer cut short: %lld of %lld bytes", (long long)j->bytes,
				 (long long)expected);
		else if (code == CURLE_OPERATION_TIMEDOUT)
			snprintf(msg, sizeof msg, "stalled: no data for %ld s (%s)", f->c.low_speed_time,
				 j->errbuf[0] ? j->errbuf : curl_easy_strerror(code));
		else
			snprintf(msg, sizeof msg, "%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(code));
		o.error = msg;
		retry = retryable_curl(code);
		delay = backoff(f, j->attempt);
	}
	if (retry && j->attempt < f->c.max_attempts && !f->stop) {
		o.will_retry = 1;
		j->state = J_WAITING;
		j->not_before = now_seconds() + delay;
	} else {
		j->state = J_DONE;
	}
	curl_multi_remove_handle(f->multi, j->easy);
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
	f->running--;
	if (j->h->done)
		j->h->done(j, &o);
}

int fetcher_run(struct fetcher *f, void (*tick)(void *ud), void *ud)
{
	double last_tick = 0;
	for (;;) {
		double now = now_seconds();
		double next_wait = 1.0;
		int waiting = 0;
		for (struct fetch_job *j = f->jobs; j; j = j->next) {
			if (j->state != J_WAITING)
				continue;
			if (f->stop) {
				j->state = J_DONE;
				continue;
			}
			waiting++;
			if (j->not_before > now) {
				if (j->not_before - now < next_wait)
					next_wait = j->not_before - now;
				continue;
			}
			if (f->running >= f->c.parallel)
				continue;
			CURLMcode mc = start(f, j);
			if (mc != CURLM_OK)
				return error("cannot start a transfer of '%s': %s", j->url, curl_multi_strerror(mc));
			waiting--;
		}
		if (f->running == 0 && waiting == 0)
			break;
		int still = 0;
		CURLMcode pm = curl_multi_perform(f->multi, &still);
		if (pm != CURLM_OK)
			return error("downloads failed: %s", curl_multi_strerror(pm));
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct fetch_job *j = NULL;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			finish(f, j, m->data.result);
			if (tick)
				tick(ud);
		}
		/* a transfer just ended and another is ready to start: no waiting */
		int startable = 0, pending = 0;
		double t = now_seconds();
		for (struct fetch_job *j = f->jobs; j; j = j->next) {
			if (j->state != J_WAITING || f->stop)
				continue;
			pending = 1;
			if (j->not_before <= t && f->running < f->c.parallel)
				startable = 1;
		}
		if (f->running == 0 && !pending)
			break; /* all done: no last sleep */
		int ms = (int)(next_wait * 1000);
		if (ms > 100)
			ms = 100;
		if (ms < 1)
			ms = 1;
		if (startable)
			;
		else if (f->running > 0)
			curl_multi_poll(f->multi, NULL, 0, ms, NULL);
		else
			nanosleep(&(struct timespec){ 0, (long)ms * 1000000L }, NULL);
		now = now_seconds();
		if (tick && now - last_tick >= 0.1) {
			last_tick = now;
			tick(ud);
		}
	}
	return 0;
}
