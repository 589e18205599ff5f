/* HTTP downloads with libcurl's multi interface: a few transfers in parallel, each body handed to
 * a callback chunk by chunk as it arrives (no temporary files), conditional requests, and retries
 * with exponential backoff and jitter on timeouts, broken connections, 429 (Retry-After) and 5xx. */
#ifndef BT_FETCH_H
#define BT_FETCH_H
#include <stddef.h>
#include <stdint.h>

struct fetch_config {
	int parallel;            /* transfers at once */
	long connect_timeout;    /* seconds */
	long low_speed_time;     /* seconds below 1 byte/s before a transfer counts as stalled */
	int max_attempts;        /* per URL, the first included */
	double retry_base;       /* seconds; attempt k waits retry_base * 2^(k-1), +-50% jitter */
	const char *user_agent;
};

struct fetch_outcome {
	int ok;           /* a complete 200, or a 304 */
	int not_modified; /* 304 */
	int will_retry;   /* this attempt failed and another follows */
	long status;      /* HTTP status, 0 if none arrived */
	int curl_code;
	const char *error; /* why it failed (NULL if ok) */
	const char *etag, *last_modified, *content_type;
	int64_t bytes; /* body bytes of this attempt */
};

struct fetch_job;

struct fetch_handler {
	/* an attempt begins */
	void (*start)(struct fetch_job *j);
	/* a chunk of a 200 body; non-zero stops the transfer for good (say why with fetch_job_fail) */
	int (*body)(struct fetch_job *j, const char *buf, size_t n);
	/* an attempt ended; o->will_retry says whether another follows */
	void (*done)(struct fetch_job *j, const struct fetch_outcome *o);
};

struct fetcher;

struct fetcher *fetcher_new(const struct fetch_config *c);
void fetcher_free(struct fetcher *f);
/* Queues a URL; etag / last_modified (may be NULL) make the request conditional. May be called
 * from a handler while running. */
struct fetch_job *fetcher_add(struct fetcher *f, const char *url, const char *etag, const char *last_modified,
			      const struct fetch_handler *h, void *ud);
/* Runs until every queued job is done or fetcher_stop() is called; tick runs about ten times a
 * second and after every finished attempt. Returns -1 if libcurl itself failed. */
int fetcher_run(struct fetcher *f, void (*tick)(void *ud), void *ud);
void fetcher_stop(struct fetcher *f);
int64_t fetcher_bytes(const struct fetcher *f);

void *fetch_job_data(const struct fetch_job *j);
const char *fetch_job_url(const struct fetch_job *j);
const char *fetch_job_content_type(const struct fetch_job *j);
int fetch_job_attempt(const struct fetch_job *j);
void fetch_job_fail(struct fetch_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
