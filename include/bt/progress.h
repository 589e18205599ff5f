/* Progress on stderr: on a terminal one line redrawn at most ten times a second; elsewhere
 * (PROGRESS_LINES) a plain line every ten seconds, for logs. */
#ifndef BT_PROGRESS_H
#define BT_PROGRESS_H
#include <stdint.h>

enum progress_mode { PROGRESS_OFF, PROGRESS_TTY, PROGRESS_LINES };

struct progress {
	int enabled; /* enum progress_mode */
	const char *label;
	double started, last_draw;
	int64_t done_items, total_items, failed;
	int64_t bytes, total_bytes;
	int width;
};

/* mode: PROGRESS_TTY when stderr is a terminal (1 works too), PROGRESS_LINES, or PROGRESS_OFF */
void progress_init(struct progress *p, const char *label, int mode);
void progress_update(struct progress *p, int force);
void progress_done(struct progress *p); /* clears the line */

#endif
