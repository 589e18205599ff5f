/* Imports local inputs: protocol XML files, directories of them, ZIP archives of them, and the
 * members' master data (ZIP or XML). Each document is streamed into the database on its own. */
#ifndef BT_IMPORTER_H
#define BT_IMPORTER_H
#include <stdint.h>
#include "bt/document.h"
#include "bt/progress.h"
#include "bt/store.h"

struct import_stats {
	int64_t documents, new_, updated, unchanged, failed;
	int64_t speeches, kommentare, unmapped, bytes, members;
};

/* Adds a finished document's result to the stats; prints its error if it failed. */
void import_stats_add(struct import_stats *st, const struct store_result *r);

/* Imports every path; errors are reported as they happen and counted in st->failed. */
void import_paths(struct store *s, char **paths, int n, struct import_stats *st, int show_progress);

#endif
