/* Allocation, error messages and small date helpers. */
#include "bt/util.h"
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *bt_cmdname = NULL;

static void oom(void)
{
	fputs("bt: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void vreport(const char *fmt, va_list ap)
{
	char msg[4096];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (bt_cmdname)
		fprintf(stderr, "bt: %s: %s\n", bt_cmdname, msg);
	else
		fprintf(stderr, "bt: %s\n", msg);
}

int error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

int finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* a reader that stopped early (bt export | head) is not worth a message */
		if (errno == EPIPE)
			return -1;
		return error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
	}
	return 0;
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int is_tty(int fd) { return isatty(fd); }

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int valid_ymd(int y, int m, int d)
{
	return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int date_de_to_iso(const char *de, char out[11])
{
	int d, m, y, n = 0;
	if (!de || sscanf(de, "%d.%d.%d%n", &d, &m, &y, &n) != 3 || de[n] != '\0' || !valid_ymd(y, m, d))
		return -1;
	/* valid_ymd() bounds the fields; written digit by digit so no format can truncate */
	const int v[3] = { y, m, d };
	const int w[3] = { 4, 2, 2 };
	char *o = out;
	for (int f = 0; f < 3; f++) {
		for (int k = w[f] - 1, x = v[f]; k >= 0; k--, x /= 10)
			o[k] = (char)('0' + x % 10);
		o += w[f];
		*o++ = f < 2 ? '-' : '\0';
	}
	return 0;
}

int date_iso_valid(const char *s)
{
	int y, m, d, n = 0;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return 0;
	return valid_ymd(y, m, d);
}
