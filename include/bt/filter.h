/* The options that select sessions, shared by the query commands: --wp, --from, --to, and their
 * translation into SQL on the session table (alias s). */
#ifndef BT_FILTER_H
#define BT_FILTER_H
#include <sqlite3.h>
#include <stddef.h>
#include "bt/cli.h"

struct filter {
	int wp[16];
	int nwp;
	char from[11], to[11]; /* ISO; empty = open */
};

/* getopt long option ids for the filter options */
enum { OPT_WP = 1000, OPT_FROM, OPT_TO };

#define FILTER_OPTIONS                                        \
	{ "wp", required_argument, NULL, OPT_WP },            \
	{ "from", required_argument, NULL, OPT_FROM },        \
	{ "to", required_argument, NULL, OPT_TO }

#define FILTER_USAGE                                                                  \
	"  --wp N[,M...]    only these Wahlperioden (19, 20, 21)\n"                      \
	"  --from DATE      only sessions on or after DATE (YYYY-MM-DD)\n"              \
	"  --to DATE        only sessions on or before DATE (YYYY-MM-DD)\n"

/* Handles one of the filter options; returns 0, or prints a usage error and returns BT_USAGE. */
int filter_option(struct filter *f, const struct bt_command *c, int opt, const char *arg);
/* Checks the combination (--from after --to); returns 0 or BT_USAGE. */
int filter_check(const struct filter *f, const struct bt_command *c);
/* " AND s.wahlperiode IN (...) AND s.date >= ... AND s.date <= ..." with literal values (validated). */
void filter_sql(const struct filter *f, char *out, size_t n);
/* "WP 19, 20 · 2018-01-01 to 2019-12-31" or "all sessions" for titles. */
void filter_describe(const struct filter *f, char *out, size_t n);

/* Shared value parsers: print a usage error listing the valid choices, return BT_USAGE. */
int parse_faction_arg(const struct bt_command *c, const char *arg, int *faction);
int parse_kind_arg(const struct bt_command *c, const char *arg, int *kind);
/* scope: 0..2 or 3 for all */
int parse_scope_arg(const struct bt_command *c, const char *arg, int *scope);
int parse_count_arg(const struct bt_command *c, const char *opt, const char *arg, int *n);

#endif
