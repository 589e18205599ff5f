/* Progress line: "import  123/523 files  230.5/476.9 MB  95.1 MB/s  1 failed" */
#include "bt/progress.h"
#include "bt/util.h"
#include <stdio.h>
#include <string.h>

void progress_init(struct progress *p, const char *label, int mode)
{
	memset(p, 0, sizeof *p);
	p->enabled = mode;
	p->label = label;
	p->started = now_seconds();
}

void progress_update(struct progress *p, int force)
{
	if (!p->enabled)
		return;
	double t = now_seconds();
	if (p->enabled == PROGRESS_LINES) {
		if (t - p->last_draw < 10.0)
			return; /* logs get a line every ten seconds, not one per file */
		if (p->last_draw == 0) {
			p->last_draw = t;
			return;
		}
	} else if (!force && t - p->last_draw < 0.1) {
		return;
	}
	p->last_draw = t;
	double el = t - p->started;
	double mb = p->bytes / 1e6;
	char line[200];
	int n = snprintf(line, sizeof line, "%s  %lld/%lld  %.1f", p->label, (long long)p->done_items,
			 (long long)p->total_items, mb);
	if (p->total_bytes > 0)
		n += snprintf(line + n, sizeof line - (size_t)n, "/%.1f", p->total_bytes / 1e6);
	n += snprintf(line + n, sizeof line - (size_t)n, " MB  %.1f MB/s", el > 0 ? mb / el : 0.0);
	if (p->failed)
		n += snprintf(line + n, sizeof line - (size_t)n, "  %lld failed", (long long)p->failed);
	if (p->enabled == PROGRESS_LINES) {
		fprintf(stderr, "%s\n", line);
		fflush(stderr);
		return;
	}
	int pad = p->width > n ? p->width - n : 0;
	fprintf(stderr, "\r%s%*s", line, pad, "");
	p->width = n;
	fflush(stderr);
}

void progress_done(struct progress *p)
{
	if (p->enabled != PROGRESS_TTY || !p->width)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	fflush(stderr);
	p->width = 0;
}
