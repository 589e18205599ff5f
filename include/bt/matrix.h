/* Who-reacts-to-whom matrices: rows are the reacting (giving) factions, columns the factions of
 * whoever held the floor, each cell split into full / partial / individual. Summed from the tally
 * table, so it answers in milliseconds on the whole corpus. */
#ifndef BT_MATRIX_H
#define BT_MATRIX_H
#include <stdint.h>
#include "bt/cli.h"
#include "bt/db.h"
#include "bt/faction.h"
#include "bt/filter.h"
#include "bt/output.h"
#include "bt/reaction.h"

enum normalize { NORM_NONE, NORM_ROW, NORM_COL, NORM_SPEECH };

struct matrix_opts {
	int kind;
	int scope; /* RS_FULL..RS_INDIVIDUAL, or RS_COUNT for all */
	int normalize;
	int no_government;
	struct filter filter;
};

struct matrix {
	int64_t n[FACTION_COUNT][FACTION_COUNT][RS_COUNT]; /* giver, receiver, scope */
	int64_t speeches[FACTION_COUNT];                    /* speeches per receiving faction */
	int64_t row_total[FACTION_COUNT], col_total[FACTION_COUNT];
	int givers[FACTION_COUNT], ngivers;
	int receivers[FACTION_COUNT], nreceivers;
};

int matrix_compute(struct db *db, const struct matrix_opts *o, struct matrix *m);
/* The cell value after normalisation. */
double matrix_value(const struct matrix *m, const struct matrix_opts *o, int giver, int receiver, int scope);
/* The grid (table, markdown, csv, tsv) or records (json). */
int matrix_print(const struct matrix *m, const struct matrix_opts *o, enum out_format f, unsigned flags);
/* Long form for export: kind,giver,receiver,scope,count,value */
int matrix_print_long(const struct matrix *m, const struct matrix_opts *o, enum out_format f, unsigned flags);

/* The whole command line of 'bt applause' / 'bt reactions'; kind < 0: taken from --kind. */
int matrix_command(const struct bt_command *c, int argc, char **argv, const char *dbpath, int kind);
int parse_normalize_arg(const struct bt_command *c, const char *arg, int *norm);

#endif
