/* SQLite connection handling. WAL with synchronous=NORMAL: a commit is atomic and survives a killed
 * process; readers keep reading while a sync writes. */
#include "bt/db.h"
#include "bt/util.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct bt_schema_step {
	const char *name;
	const char *sql;
};
extern const struct bt_schema_step bt_schema_steps[];
extern const size_t bt_schema_nsteps;

const char *db_default_path(const char *opt)
{
	if (opt && *opt)
		return opt;
	const char *env = getenv("BT_DB");
	if (env && *env)
		return env;
	return "bt.db";
}

const char *db_errmsg(struct db *db) { return db->h ? sqlite3_errmsg(db->h) : "no database"; }

static int explain(struct db *db, const char *what)
{
	int code = db->h ? sqlite3_errcode(db->h) : 0;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return error("%s: database '%s' is locked by another process", what, db->path);
	if (code == SQLITE_READONLY)
		return error("%s: database '%s' is read-only", what, db->path);
	if (code == SQLITE_FULL)
		return error("%s: database '%s': disk full", what, db->path);
	return error("%s: database '%s': %s", what, db->path, db_errmsg(db));
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = explain(db, "cannot write");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

sqlite3_stmt *db_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		error("internal error: cannot prepare statement: %s", db_errmsg(db));
		return NULL;
	}
	return st;
}

int db_begin(struct db *db)
{
	if (db->in_tx)
		return 0;
	if (db_exec(db, "BEGIN IMMEDIATE") < 0)
		return -1;
	db->in_tx = 1;
	return 0;
}

int db_commit(struct db *db)
{
	if (!db->in_tx)
		return 0;
	if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = explain(db, "cannot commit");
		db_rollback(db);
		return rc;
	}
	db->in_tx = 0;
	return 0;
}

void db_rollback(struct db *db)
{
	if (!db->in_tx)
		return;
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = 0;
}

static int user_version(struct db *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int migrate(struct db *db)
{
	int v = user_version(db);
	if (v < 0)
		return explain(db, "cannot read database");
	if ((size_t)v > bt_schema_nsteps)
		return error("database '%s' has schema version %d, this bt knows up to %zu: upgrade bt", db->path,
			     v, bt_schema_nsteps);
	for (size_t i = (size_t)v; i < bt_schema_nsteps; i++) {
		char pragma[64];
		if (db_begin(db) < 0)
			return -1;
		if (db_exec(db, bt_schema_steps[i].sql) < 0) {
			db_rollback(db);
			return error("cannot migrate database '%s' with %s", db->path, bt_schema_steps[i].name);
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %zu", i + 1);
		if (db_exec(db, pragma) < 0 || db_commit(db) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	return 0;
}

static int take_writer_lock(struct db *db)
{
	db->lock_fd = open(db->path, O_RDONLY | O_CLOEXEC);
	if (db->lock_fd < 0)
		return error("cannot open database '%s': %s", db->path, strerror(errno));
	/* flock() is independent of SQLite's fcntl() locks: it only keeps two bt writers apart. */
	if (flock(db->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return error("database '%s' is in use by another 'bt import' or 'bt sync'", db->path);
		return error("cannot lock database '%s': %s", db->path, strerror(errno));
	}
	return 0;
}

/* Partial protocols (live = 0) left by a killed writer: only possible to remove while we hold the
 * writer lock, so no other process can be writing them. */
static int remove_stale(struct db *db)
{
	/* tables whose rows of a session form the rowid range [id << 24, (id + 1) << 24) */
	static const char *const ranged[] = { "reaction", "kommentar", "paragraph", "turn", "speech", "agenda_item" };
	static const char *const keyed[] = { "tally", "speech_tally" };
	sqlite3_stmt *st;
	int stale = 0;
	/* sessions not made live, and rows above the last session (their session row was lost) */
	if (sqlite3_prepare_v2(db->h,
			       "SELECT (SELECT count(*) FROM session WHERE NOT live)"
			       " + ((SELECT coalesce(max(id), 0) FROM paragraph) >> 24 > (SELECT coalesce(max(id), 0) FROM session))"
			       " + ((SELECT coalesce(max(id), 0) FROM turn) >> 24 > (SELECT coalesce(max(id), 0) FROM session))",
			       -1, &st, NULL) != SQLITE_OK)
		return explain(db, "cannot read database");
	if (sqlite3_step(st) == SQLITE_ROW)
		stale = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!stale)
		return 0;
	if (db_begin(db) < 0)
		return -1;
	char sql[256];
	for (size_t i = 0; i < sizeof ranged / sizeof *ranged; i++) {
		/* a join over the few stale sessions, so each is a rowid range scan */
		snprintf(sql, sizeof sql,
			 "DELETE FROM %s WHERE rowid IN (SELECT t.rowid FROM session s, %s t WHERE NOT s.live"
			 " AND t.rowid >= (s.id << 24) AND t.rowid < ((s.id + 1) << 24))",
			 ranged[i], ranged[i]);
		if (db_exec(db, sql) < 0) {
			db_rollback(db);
			return -1;
		}
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id >= (((SELECT coalesce(max(id), 0) FROM session) + 1) << 24)",
			 ranged[i]);
		if (db_exec(db, sql) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof keyed / sizeof *keyed; i++) {
		snprintf(sql, sizeof sql, "DELETE FROM %s WHERE session_id IN (SELECT id FROM session WHERE NOT live)",
			 keyed[i]);
		if (db_exec(db, sql) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	if (db_exec(db, "DELETE FROM session WHERE NOT live") < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int db_open(struct db *db, const char *path, enum db_mode mode)
{
	static int configured;
	if (!configured) {
		/* Memory statistics take a global mutex on every allocation. */
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = 1;
	}
	memset(db, 0, sizeof *db);
	db->lock_fd = -1;
	db->path = xstrdup(path);
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (!exists && mode == DB_READ) {
		error("no database at '%s': run 'bt sync' or 'bt import' first (or give --db PATH)", path);
		goto fail;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		error("cannot open database '%s': not a regular file", path);
		goto fail;
	}
	int flags = mode == DB_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READWRITE;
	if (mode == DB_READ && access(path, W_OK) != 0)
		flags = SQLITE_OPEN_READONLY;
	/* One connection per thread: SQLite's own mutexes only cost time here. */
	flags |= SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		error("cannot open database '%s': %s", path, db_errmsg(db));
		goto fail;
	}
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 0);
	/* Reading the header tells a non-database file apart early, with a clear message. */
	int v = user_version(db);
	if (v < 0) {
		error("cannot open database '%s': %s", path, db_errmsg(db));
		goto fail;
	}
	if (mode == DB_WRITE) {
		if (access(path, W_OK) != 0) {
			error("cannot write database '%s': %s", path, strerror(errno));
			goto fail;
		}
		if (take_writer_lock(db) < 0)
			goto fail;
		if (db_exec(db, "PRAGMA journal_mode = WAL") < 0)
			goto fail;
	}
	if (flags != SQLITE_OPEN_READONLY) {
		if (db_exec(db, "PRAGMA synchronous = NORMAL") < 0)
			goto fail;
		if (migrate(db) < 0)
			goto fail;
	} else if ((size_t)v < bt_schema_nsteps) {
		error("database '%s' needs an upgrade but is read-only: run 'bt import' with write access", path);
		goto fail;
	}
	if (mode == DB_WRITE) {
		if (remove_stale(db) < 0)
			goto fail;
		db_exec(db, "PRAGMA cache_size = -16384");
	}
	return 0;
fail:
	db_close(db);
	return -1;
}

void db_close(struct db *db)
{
	if (db->h) {
		db_rollback(db);
		/* sqlite3_close_v2 finalizes nothing: callers finalize; statements left over are reported. */
		sqlite3_stmt *st;
		while ((st = sqlite3_next_stmt(db->h, NULL)) != NULL)
			sqlite3_finalize(st);
		sqlite3_close(db->h);
		db->h = NULL;
	}
	if (db->lock_fd >= 0) {
		close(db->lock_fd);
		db->lock_fd = -1;
	}
	free(db->path);
	db->path = NULL;
}

int64_t db_live_sessions(struct db *db)
{
	sqlite3_stmt *st;
	int64_t n = 0;
	if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM session WHERE live", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int db_require_data(struct db *db)
{
	if (db_live_sessions(db) > 0)
		return 0;
	return error("database '%s' holds no protocols yet: run 'bt sync' or 'bt import PATH' first", db->path);
}
