/* Reaction parsing rate: every kommentar text of a database, parsed in memory, best of three. */
#include "bt/db.h"
#include "bt/reaction.h"
#include "bt/util.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: bench_reactions DB\n", stderr);
		return 2;
	}
	struct db db;
	if (db_open(&db, argv[1], DB_READ) < 0)
		return 1;
	sqlite3_stmt *st = db_prepare(&db, "SELECT text FROM kommentar");
	char **texts = NULL;
	size_t n = 0, cap = 0;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			texts = xrealloc(texts, cap * sizeof *texts);
		}
		texts[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	db_close(&db);
	struct reaction_list rl = { 0 };
	double best = 1e9;
	size_t rows = 0;
	for (int round = 0; round < 3; round++) {
		double t = now_seconds();
		rows = 0;
		for (size_t i = 0; i < n; i++) {
			reaction_parse(texts[i], &rl);
			rows += rl.n;
		}
		t = now_seconds() - t;
		if (t < best)
			best = t;
	}
	printf("%zu %zu %.3f\n", n, rows, best);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	reaction_list_free(&rl);
	return 0;
}
