/* A one-line progress display on a terminal (stderr), redrawn at most ten times a second. */
#ifndef BT_PROGRESS_H
#define BT_PROGRESS_H
#include <stdint.h>

struct progress {
	int enabled;
	const char *label;
	double started, last_draw;
	int64_t done_items, total_items, failed;
	int64_t bytes, total_bytes;
	int width;
};

/* enabled: stderr is a terminal and the user did not ask for quiet */
void progress_init(struct progress *p, const char *label, int enabled);
void progress_update(struct progress *p, int force);
void progress_done(struct progress *p); /* clears the line */

#endif
