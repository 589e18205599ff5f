/* The database: opening (with schema migration), locking, prepared statements, transactions. */
#ifndef BT_DB_H
#define BT_DB_H
#include <sqlite3.h>
#include <stdint.h>

struct db {
	sqlite3 *h;
	char *path;
	int lock_fd; /* writer lock (flock) held by import/sync, -1 otherwise */
	int in_tx;
};

enum db_mode {
	DB_READ,  /* must exist; migrated if older and writable */
	DB_WRITE, /* created if missing; exclusive writer lock; stale partial protocols removed */
};

/* Fills db; on failure prints the error and returns -1. */
int db_open(struct db *db, const char *path, enum db_mode mode);
void db_close(struct db *db);

/* Prepared once, reused for the life of the connection; prints the error and returns NULL on failure. */
sqlite3_stmt *db_prepare(struct db *db, const char *sql);
int db_exec(struct db *db, const char *sql);
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
const char *db_errmsg(struct db *db);


/* SELECT count(*) FROM session WHERE live: 0 means nothing imported yet. */
int64_t db_live_sessions(struct db *db);
/* Prints "database '<path>' holds no protocols yet: run 'bt sync' ..." and returns -1 if empty. */
int db_require_data(struct db *db);

/* The database path from --db, $BT_DB or ./bt.db */
const char *db_default_path(const char *opt);

#endif
