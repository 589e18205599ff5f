/* The writer side of the store pipeline: decodes operations and executes them with prepared
 * statements, one transaction per protocol. Runs on its own thread; it never prints, it reports
 * every document's outcome (and any error) through the result callback. */
#include "bt/writer.h"
#include "bt/faction.h"
#include "bt/reaction.h"
#include "bt/util.h"
#include <stdarg.h>
#include <string.h>

enum {
	S_SESSION_INS,
	S_AGENDA_INS,
	S_AGENDA_TITLE,
	S_SPEECH_INS,
	S_SPEECH_SPK,
	S_TURN_INS,
	S_PERSON_UPSERT,
	S_PARA_INS,
	S_KOMM_INS,
	S_KOMM_TURN,
	S_REACT_INS,
	S_FIND_LIVE,
	S_MAKE_LIVE,
	S_RECV,
	S_TALLY_DEL,
	S_TALLY_INS,
	S_STALLY_DEL,
	S_STALLY_INS,
	S_APPLAUSE,
	S_MEMBER_INS,
	S_MDB_PERSON,
	S_MDB_HASH,
	S_MDB_PUT,
	S_LIVE_IDS,
	S_TALLY_ROW,
	S_STALLY_ROW,
	S_APPLAUSE_ROW,
	S_FETCH_PUT,
	S_COUNT
};

static const char *const sql[S_COUNT] = {
	[S_SESSION_INS] = "INSERT INTO session(id, wahlperiode, sitzung, date, start_time, end_time, source,"
			  " content_hash, bytes, imported_at, live, owner)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '', 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, ?8)",
	[S_AGENDA_INS] = "INSERT INTO agenda_item(id, top_id) VALUES (?1, ?2)",
	[S_AGENDA_TITLE] = "UPDATE agenda_item SET title = ?2 WHERE id = ?1",
	[S_SPEECH_INS] = "INSERT INTO speech(id, agenda_item_id, rede_id) VALUES (?1, ?2, ?3)",
	[S_SPEECH_SPK] = "UPDATE speech SET speaker_id = ?2, turn_id = ?3 WHERE id = ?1",
	[S_TURN_INS] = "INSERT INTO turn(id, speech_id, role, person_id, name, faction_raw, faction,"
		       " role_text, bdland, government, recv_faction)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[S_PERSON_UPSERT] = "INSERT INTO person(id, title, first_name, last_name, name_affix, place, role)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET"
			    " title = excluded.title, first_name = excluded.first_name,"
			    " last_name = excluded.last_name, name_affix = excluded.name_affix,"
			    " place = excluded.place, role = coalesce(excluded.role, person.role)",
	[S_PARA_INS] = "INSERT INTO paragraph(id, part, agenda_item_id, speech_id, turn_id, klasse, text)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_KOMM_INS] = "INSERT INTO kommentar(id, part, agenda_item_id, speech_id, turn_id, text)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_KOMM_TURN] = "UPDATE kommentar SET turn_id = ?2 WHERE id = ?1",
	[S_REACT_INS] = "INSERT INTO reaction(id, kommentar_id, kind, scope, faction, person)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_FIND_LIVE] = "SELECT id, content_hash FROM session WHERE wahlperiode = ?1 AND sitzung = ?2 AND live",
	[S_MAKE_LIVE] = "UPDATE session SET live = 1, owner = NULL, content_hash = ?2, bytes = ?3, unmapped = ?4"
			" WHERE id = ?1",
	/* The receiving faction: as printed, else the master data's on the session date. */
	[S_RECV] = "UPDATE turn SET recv_faction = coalesce(faction, ("
		   " SELECT m.faction FROM membership m, session s"
		   " WHERE s.id = turn.session_id AND m.person_id = turn.person_id AND m.faction IS NOT NULL"
		   " AND s.date BETWEEN m.from_date AND m.to_date ORDER BY m.from_date DESC LIMIT 1))"
		   " WHERE id >= (?1 << 24) AND id < ((?1 + 1) << 24) AND faction IS NULL AND person_id IS NOT NULL",
	[S_TALLY_DEL] = "DELETE FROM tally WHERE session_id = ?1",
	/* One count per kommentar, kind and giving faction; '*' expanded to the factions seated that
	 * day; the broadest scope wins when a faction appears more than once in a kommentar. */
	[S_TALLY_INS] =
		"INSERT INTO tally(session_id, kind, scope, giver, receiver, role, government, n)"
		" SELECT ?1, kind, scope, giver, receiver, role, government, count(*) FROM ("
		"  SELECT r.kind AS kind, k.id AS kid,"
		"   CASE WHEN r.faction = '*' THEN fs.faction ELSE r.faction END AS giver,"
		"   CASE min(CASE r.scope WHEN 'full' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END)"
		"    WHEN 0 THEN 'full' WHEN 1 THEN 'partial' ELSE 'individual' END AS scope,"
		"   coalesce(t.recv_faction, '') AS receiver, t.role AS role, t.government AS government"
		"  FROM reaction r JOIN kommentar k ON k.id = r.kommentar_id"
		"  JOIN turn t ON t.id = k.turn_id JOIN session s ON s.id = r.session_id"
		"  LEFT JOIN faction_seat fs ON r.faction = '*' AND s.date BETWEEN fs.from_date AND fs.to_date"
		"  WHERE r.id >= (?1 << 24) AND r.id < ((?1 + 1) << 24) AND r.faction <> ''"
		"  GROUP BY r.kind, k.id, giver HAVING giver IS NOT NULL"
		" ) GROUP BY kind, scope, giver, receiver, role, government",
	[S_STALLY_DEL] = "DELETE FROM speech_tally WHERE session_id = ?1",
	[S_STALLY_INS] =
		"INSERT INTO speech_tally(session_id, speech_id, giver, scope, n)"
		" SELECT ?1, speech_id, giver, scope, count(*) FROM ("
		"  SELECT t.speech_id AS speech_id, k.id AS kid,"
		"   CASE WHEN r.faction = '*' THEN fs.faction ELSE r.faction END AS giver,"
		"   CASE min(CASE r.scope WHEN 'full' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END)"
		"    WHEN 0 THEN 'full' WHEN 1 THEN 'partial' ELSE 'individual' END AS scope"
		"  FROM reaction r JOIN kommentar k ON k.id = r.kommentar_id"
		"  JOIN turn t ON t.id = k.turn_id AND t.role = 'main' JOIN session s ON s.id = r.session_id"
		"  LEFT JOIN faction_seat fs ON r.faction = '*' AND s.date BETWEEN fs.from_date AND fs.to_date"
		"  WHERE r.id >= (?1 << 24) AND r.id < ((?1 + 1) << 24) AND r.kind = 'beifall' AND r.faction <> ''"
		"  GROUP BY k.id, giver HAVING giver IS NOT NULL"
		" ) GROUP BY speech_id, giver, scope",
	[S_APPLAUSE] = "UPDATE speech SET applause = coalesce((SELECT sum(n) FROM speech_tally st"
		       " WHERE st.speech_id = speech.id), 0) WHERE id >= (?1 << 24) AND id < ((?1 + 1) << 24)",
	[S_MEMBER_INS] = "INSERT INTO membership(person_id, wahlperiode, faction, faction_raw, from_date, to_date)"
			 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_MDB_PERSON] = "INSERT INTO person(id, title, first_name, last_name, name_affix, place)"
			 " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO NOTHING",
	[S_MDB_HASH] = "SELECT content_hash FROM dataset WHERE name = 'mdb'",
	[S_MDB_PUT] = "INSERT OR REPLACE INTO dataset(name, content_hash, source, imported_at)"
		      " VALUES ('mdb', ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
	[S_LIVE_IDS] = "SELECT id FROM session WHERE live ORDER BY id",
	[S_TALLY_ROW] = "INSERT INTO tally(session_id, kind, scope, giver, receiver, role, government, n)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_STALLY_ROW] = "INSERT INTO speech_tally(session_id, speech_id, giver, scope, n) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_APPLAUSE_ROW] = "UPDATE speech SET applause = ?2 WHERE id = ?1",
	[S_FETCH_PUT] = "INSERT OR REPLACE INTO fetch(url, etag, last_modified, content_hash, wahlperiode, sitzung,"
			" fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
};

/* Tables whose rows of a session form the rowid range [session << 24, (session + 1) << 24). */
static const char *const range_tables[] = { "reaction", "kommentar", "paragraph", "turn", "speech", "agenda_item" };
static const char *const content_tables[] = { "reaction", "kommentar", "paragraph", "turn", "speech",
					       "agenda_item", "tally", "speech_tally", "session" };
#define N_CONTENT_TABLES (sizeof content_tables / sizeof *content_tables)

#define MAX_DOCS 64

struct wdoc {
	int used;
	int64_t doc, tag, session_id;
	enum store_kind kind;
	int wahlperiode, sitzung;
	unsigned commits_at_begin;
	int failed;
	int64_t reactions; /* reaction rows so far: their ids are (session << 24) + n */
	char error[512];
	char source[512];
};

struct writer {
	struct db *db;
	sqlite3_stmt *st[S_COUNT];
	sqlite3_stmt *del[N_CONTENT_TABLES];
	writer_result_fn fn;
	void *ud;
	struct wdoc docs[MAX_DOCS];
	int open_docs;
	unsigned commits;
	int in_tx;
	int broken; /* a database error outside any document */
	char broken_msg[512];
	/* person ids upserted in the current transaction (open addressing, 0 = empty) */
	int64_t *persons;
	size_t persons_cap, persons_n;
};

/* ---- decoding ---- */

struct dec {
	const unsigned char *p, *end;
};

static int64_t d_i64(struct dec *d)
{
	int64_t v = 0;
	if (d->p + 8 <= d->end)
		memcpy(&v, d->p, 8);
	d->p += 8;
	return v;
}

/* Returns a pointer into the block (not NUL-terminated) and its length; NULL for a NULL string. */
static const char *d_str(struct dec *d, int *len)
{
	uint32_t n = STR_NULL;
	if (d->p + 4 <= d->end)
		memcpy(&n, d->p, 4);
	d->p += 4;
	if (n == STR_NULL) {
		*len = 0;
		return NULL;
	}
	const char *s = (const char *)d->p;
	d->p += n;
	*len = (int)n;
	return s;
}

static void bind_str(sqlite3_stmt *st, int i, struct dec *d)
{
	int n;
	const char *s = d_str(d, &n);
	if (s)
		sqlite3_bind_text(st, i, s, n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

/* ---- errors ---- */

static void describe(struct writer *w, char *buf, size_t n)
{
	int code = sqlite3_errcode(w->db->h);
	if (code == SQLITE_FULL)
		snprintf(buf, n, "cannot write database '%s': disk full", w->db->path);
	else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		snprintf(buf, n, "cannot write database '%s': locked by another process", w->db->path);
	else if (code == SQLITE_READONLY)
		snprintf(buf, n, "cannot write database '%s': read-only", w->db->path);
	else
		snprintf(buf, n, "cannot write database '%s': %s", w->db->path, sqlite3_errmsg(w->db->h));
}

static void persons_clear(struct writer *w);

/* A statement failed: the document (or the writer) records why. SQLite rolls the transaction
 * back by itself after some errors (disk full, I/O errors); then every open document lost what
 * it wrote since the last commit, and each is marked failed too. */
static void failure(struct writer *w, struct wdoc *doc)
{
	char msg[512];
	describe(w, msg, sizeof msg);
	if (doc && !doc->failed) {
		doc->failed = 1;
		memcpy(doc->error, msg, sizeof msg);
	} else if (!doc) {
		w->broken = 1;
		if (!w->broken_msg[0])
			memcpy(w->broken_msg, msg, sizeof msg);
	}
	if (w->in_tx && sqlite3_get_autocommit(w->db->h)) {
		w->in_tx = 0;
		persons_clear(w);
		for (int i = 0; i < MAX_DOCS; i++) {
			struct wdoc *d = &w->docs[i];
			if (d->used && !d->failed) {
				d->failed = 1;
				snprintf(d->error, sizeof d->error, "%.400s (the transaction was rolled back)", msg);
			}
		}
	}
}

static int step(struct writer *w, sqlite3_stmt *st, struct wdoc *doc)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	failure(w, doc);
	return -1;
}

static int exec(struct writer *w, const char *q, struct wdoc *doc)
{
	if (sqlite3_exec(w->db->h, q, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	failure(w, doc);
	return -1;
}

/* ---- transactions ---- */

static void persons_clear(struct writer *w)
{
	if (w->persons)
		memset(w->persons, 0, w->persons_cap * sizeof *w->persons);
	w->persons_n = 0;
}

static size_t persons_slot(const struct writer *w, int64_t id)
{
	size_t i = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> 20) & (w->persons_cap - 1);
	while (w->persons[i] && w->persons[i] != id)
		i = (i + 1) & (w->persons_cap - 1);
	return i;
}

/* Whether the person was already upserted in this transaction (each protocol upserts its
 * speakers once; the set empties at every commit, so the latest protocol's spelling wins). */
static int persons_has(const struct writer *w, int64_t id)
{
	return w->persons_cap && w->persons[persons_slot(w, id)] == id;
}

static void persons_add(struct writer *w, int64_t id)
{
	if ((w->persons_n + 1) * 2 > w->persons_cap) {
		size_t oldcap = w->persons_cap;
		int64_t *old = w->persons;
		w->persons_cap = oldcap ? oldcap * 2 : 1024;
		w->persons = xcalloc(w->persons_cap, sizeof *w->persons);
		w->persons_n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				persons_add(w, old[i]);
		free(old);
	}
	size_t i = persons_slot(w, id);
	if (!w->persons[i]) {
		w->persons[i] = id;
		w->persons_n++;
	}
}

static int tx_begin(struct writer *w, struct wdoc *doc)
{
	if (w->in_tx)
		return 0;
	if (exec(w, "BEGIN IMMEDIATE", doc) < 0)
		return -1;
	w->in_tx = 1;
	return 0;
}

static int tx_commit(struct writer *w, struct wdoc *doc)
{
	if (!w->in_tx)
		return 0;
	if (exec(w, "COMMIT", doc) < 0) {
		if (w->in_tx) {
			sqlite3_exec(w->db->h, "ROLLBACK", NULL, NULL, NULL);
			w->in_tx = 0;
			persons_clear(w);
			/* the other open documents shared this transaction: their rows are gone too */
			for (int i = 0; i < MAX_DOCS; i++) {
				struct wdoc *d = &w->docs[i];
				if (d->used && !d->failed) {
					d->failed = 1;
					snprintf(d->error, sizeof d->error, "%.400s (the transaction was rolled back)",
						 doc ? doc->error : "commit failed");
				}
			}
		}
		return -1;
	}
	w->in_tx = 0;
	w->commits++;
	persons_clear(w);
	return 0;
}

static void tx_rollback(struct writer *w)
{
	if (!w->in_tx)
		return;
	sqlite3_exec(w->db->h, "ROLLBACK", NULL, NULL, NULL);
	w->in_tx = 0;
	persons_clear(w);
}

/* ---- documents ---- */

static struct wdoc *find_doc(struct writer *w, int64_t doc)
{
	for (int i = 0; i < MAX_DOCS; i++)
		if (w->docs[i].used && w->docs[i].doc == doc)
			return &w->docs[i];
	return NULL;
}

static struct wdoc *open_doc(struct writer *w, int64_t doc, int64_t tag, enum store_kind kind)
{
	for (int i = 0; i < MAX_DOCS; i++)
		if (!w->docs[i].used) {
			struct wdoc *d = &w->docs[i];
			memset(d, 0, sizeof *d);
			d->used = 1;
			d->doc = doc;
			d->tag = tag;
			d->kind = kind;
			d->commits_at_begin = w->commits;
			w->open_docs++;
			return d;
		}
	return NULL;
}

static void report(struct writer *w, struct wdoc *d, enum store_outcome outcome, int64_t bytes, int64_t unmapped,
		   int64_t speeches, int64_t kommentare, int64_t members)
{
	struct store_result r;
	memset(&r, 0, sizeof r);
	r.tag = d->tag;
	r.kind = d->kind;
	r.outcome = outcome;
	r.wahlperiode = d->wahlperiode;
	r.sitzung = d->sitzung;
	r.bytes = bytes;
	r.unmapped = (int)unmapped;
	r.speeches = speeches;
	r.kommentare = kommentare;
	r.members = members;
	snprintf(r.source, sizeof r.source, "%s", d->source);
	if (outcome == STORE_FAILED || outcome == STORE_ABORTED)
		snprintf(r.error, sizeof r.error, "%s", d->error[0] || outcome == STORE_ABORTED ? d->error : "failed");
	w->fn(w->ud, &r);
}

static int delete_session(struct writer *w, int64_t id, struct wdoc *doc)
{
	for (size_t i = 0; i < N_CONTENT_TABLES; i++) {
		sqlite3_bind_int64(w->del[i], 1, id);
		if (step(w, w->del[i], doc) < 0)
			return -1;
	}
	return 0;
}

static int run_with_id(struct writer *w, int which, int64_t id, struct wdoc *doc)
{
	sqlite3_bind_int64(w->st[which], 1, id);
	return step(w, w->st[which], doc);
}

static int derive_one(struct writer *w, int64_t sid, struct wdoc *doc)
{
	if (run_with_id(w, S_RECV, sid, doc) < 0 || run_with_id(w, S_TALLY_DEL, sid, doc) < 0 ||
	    run_with_id(w, S_TALLY_INS, sid, doc) < 0 || run_with_id(w, S_STALLY_DEL, sid, doc) < 0 ||
	    run_with_id(w, S_STALLY_INS, sid, doc) < 0 || run_with_id(w, S_APPLAUSE, sid, doc) < 0)
		return -1;
	return 0;
}

static int derive_all(struct writer *w, struct wdoc *doc)
{
	sqlite3_stmt *q = w->st[S_LIVE_IDS];
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_reset(q);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = derive_one(w, ids[i], doc);
	free(ids);
	return rc;
}

/* Ends a document's part of the shared transaction: commit, and begin again for the others. */
static int end_doc(struct writer *w, struct wdoc *d)
{
	d->used = 0;
	w->open_docs--;
	int rc = tx_commit(w, d);
	if (w->open_docs > 0 && tx_begin(w, NULL) < 0)
		rc = -1;
	return rc;
}

static void discard(struct writer *w, struct wdoc *d)
{
	if (w->open_docs == 1 && w->commits == d->commits_at_begin) {
		/* nothing of it was ever committed: a rollback undoes it all */
		tx_rollback(w);
		d->used = 0;
		w->open_docs--;
		return;
	}
	if (d->kind == STORE_PROTOCOL && d->session_id) {
		char keep[sizeof d->error];
		memcpy(keep, d->error, sizeof keep);
		int failed = d->failed;
		if (tx_begin(w, NULL) == 0)
			delete_session(w, d->session_id, NULL); /* else left live = 0: removed by the next writer */
		memcpy(d->error, keep, sizeof keep);
		d->failed = failed;
	}
	end_doc(w, d);
}

/* Where a finished document was downloaded from (pointers into the op block). */
struct wfetch {
	const char *url, *etag, *lm, *hash;
	int ulen, elen, llen, hlen;
};

static int put_fetch(struct writer *w, struct wdoc *d, const struct wfetch *f)
{
	if (!f || !f->url)
		return 0;
	sqlite3_stmt *st = w->st[S_FETCH_PUT];
	sqlite3_bind_text(st, 1, f->url, f->ulen, SQLITE_STATIC);
	if (f->etag)
		sqlite3_bind_text(st, 2, f->etag, f->elen, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	if (f->lm)
		sqlite3_bind_text(st, 3, f->lm, f->llen, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, f->hash, f->hlen, SQLITE_STATIC);
	if (d->kind == STORE_PROTOCOL) {
		sqlite3_bind_int(st, 5, d->wahlperiode);
		sqlite3_bind_int(st, 6, d->sitzung);
	} else {
		sqlite3_bind_null(st, 5);
		sqlite3_bind_null(st, 6);
	}
	return step(w, st, d);
}

/* An unchanged document costs no protocol write; only new validators are remembered, alone. */
static int remember_fetch(struct writer *w, struct wdoc *d, const struct wfetch *f)
{
	if (!f || !f->url)
		return 0;
	if (tx_begin(w, d) < 0 || put_fetch(w, d, f) < 0)
		return -1;
	return w->open_docs == 0 ? tx_commit(w, d) : 0;
}

static void finish_protocol(struct writer *w, struct wdoc *d, const char *hash, int hlen, int64_t bytes,
			    int64_t unmapped, int64_t speeches, int64_t kommentare, const struct wfetch *fetch)
{
	sqlite3_stmt *st = w->st[S_FIND_LIVE];
	int64_t old = 0;
	int same = 0;
	sqlite3_bind_int(st, 1, d->wahlperiode);
	sqlite3_bind_int(st, 2, d->sitzung);
	if (sqlite3_step(st) == SQLITE_ROW) {
		old = sqlite3_column_int64(st, 0);
		const char *h = (const char *)sqlite3_column_text(st, 1);
		same = h && (int)strlen(h) == hlen && memcmp(h, hash, (size_t)hlen) == 0;
	}
	sqlite3_reset(st);
	if (same) {
		struct wdoc copy = *d;
		discard(w, d);
		copy.failed = 0;
		copy.error[0] = '\0';
		if (remember_fetch(w, &copy, fetch) < 0)
			report(w, &copy, STORE_FAILED, bytes, unmapped, 0, 0, 0);
		else
			report(w, &copy, STORE_UNCHANGED, bytes, unmapped, speeches, kommentare, 0);
		return;
	}
	if ((old && delete_session(w, old, d) < 0) || put_fetch(w, d, fetch) < 0)
		goto fail;
	st = w->st[S_MAKE_LIVE];
	sqlite3_bind_int64(st, 1, d->session_id);
	sqlite3_bind_text(st, 2, hash, hlen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, bytes);
	sqlite3_bind_int64(st, 4, unmapped);
	if (step(w, st, d) < 0)
		goto fail;
	if (sqlite3_changes(w->db->h) != 1) {
		d->failed = 1;
		snprintf(d->error, sizeof d->error, "internal error: its session row was lost");
		goto fail;
	}
	struct wdoc copy = *d;
	if (end_doc(w, d) < 0) {
		copy.failed = 1;
		memcpy(copy.error, d->error, sizeof copy.error); /* set by the failed commit */
		report(w, &copy, STORE_FAILED, bytes, unmapped, 0, 0, 0);
		return;
	}
	report(w, &copy, old ? STORE_UPDATED : STORE_NEW, bytes, unmapped, speeches, kommentare, 0);
	return;
fail:;
	struct wdoc failed = *d;
	discard(w, d);
	report(w, &failed, STORE_FAILED, bytes, 0, 0, 0, 0);
}

static void finish_mdb(struct writer *w, struct wdoc *d, const char *hash, int hlen, int64_t members,
		       const struct wfetch *fetch)
{
	sqlite3_stmt *st = w->st[S_MDB_HASH];
	int same = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 0);
		same = h && (int)strlen(h) == hlen && memcmp(h, hash, (size_t)hlen) == 0;
	}
	sqlite3_reset(st);
	struct wdoc copy = *d;
	if (same) {
		tx_rollback(w);
		d->used = 0;
		w->open_docs--;
		if (remember_fetch(w, &copy, fetch) < 0)
			report(w, &copy, STORE_FAILED, 0, 0, 0, 0, 0);
		else
			report(w, &copy, STORE_UNCHANGED, 0, 0, 0, 0, members);
		return;
	}
	st = w->st[S_MDB_PUT];
	sqlite3_bind_text(st, 1, hash, hlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->source, -1, SQLITE_TRANSIENT);
	/* members of the government get their factions from here: re-derive every session */
	if (step(w, st, d) < 0 || put_fetch(w, d, fetch) < 0 || derive_all(w, d) < 0 || end_doc(w, d) < 0) {
		copy = *d;
		if (d->used)
			discard(w, d);
		if (!copy.error[0])
			describe(w, copy.error, sizeof copy.error);
		report(w, &copy, STORE_FAILED, 0, 0, 0, 0, 0);
		return;
	}
	report(w, &copy, STORE_UPDATED, 0, 0, 0, 0, members);
}

/* ---- operations ---- */

static void op_begin(struct writer *w, struct dec *dc, int64_t doc)
{
	int64_t tag = d_i64(dc);
	struct wdoc *d = open_doc(w, doc, tag, STORE_PROTOCOL);
	int64_t sid = d_i64(dc);
	int64_t wp = d_i64(dc), nr = d_i64(dc);
	sqlite3_stmt *st = w->st[S_SESSION_INS];
	sqlite3_bind_int64(st, 1, sid);
	sqlite3_bind_int64(st, 2, wp);
	sqlite3_bind_int64(st, 3, nr);
	bind_str(st, 4, dc);
	bind_str(st, 5, dc);
	bind_str(st, 6, dc);
	int n;
	const char *src = d_str(dc, &n);
	sqlite3_bind_text(st, 7, src ? src : "", src ? n : 0, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, d_i64(dc));
	if (!d) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return; /* more than MAX_DOCS open: cannot happen with bounded jobs */
	}
	d->session_id = sid;
	d->wahlperiode = (int)wp;
	d->sitzung = (int)nr;
	snprintf(d->source, sizeof d->source, "%.*s", src ? n : 0, src ? src : "");
	if (tx_begin(w, d) < 0) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return;
	}
	step(w, st, d);
}

static void op_person(struct writer *w, struct dec *dc, struct wdoc *d, int which)
{
	int64_t id = d_i64(dc);
	sqlite3_stmt *st = w->st[which];
	int skip = which == S_PERSON_UPSERT && persons_has(w, id);
	sqlite3_bind_int64(st, 1, id);
	for (int i = 2; i <= 7; i++) {
		if (which == S_MDB_PERSON && i == 7) {
			int n;
			d_str(dc, &n); /* the master data has no role */
			continue;
		}
		bind_str(st, i, dc);
	}
	if (skip || d->failed) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return;
	}
	if (step(w, st, d) == 0 && which == S_PERSON_UPSERT)
		persons_add(w, id);
}

static void op_kommentar(struct writer *w, struct dec *dc, struct wdoc *d)
{
	sqlite3_stmt *st = w->st[S_KOMM_INS];
	int64_t id = d_i64(dc), sid = id >> 24;
	sqlite3_bind_int64(st, 1, id);
	bind_str(st, 2, dc);
	bind_id(st, 3, d_i64(dc));
	bind_id(st, 4, d_i64(dc));
	bind_id(st, 5, d_i64(dc));
	bind_str(st, 6, dc);
	int failed = d->failed || step(w, st, d) < 0;
	int64_t n = d_i64(dc);
	st = w->st[S_REACT_INS];
	for (int64_t i = 0; i < n; i++) {
		int kind = (int)d_i64(dc), scope = (int)d_i64(dc), faction = (int)d_i64(dc);
		int plen;
		const char *person = d_str(dc, &plen);
		if (failed)
			continue;
		sqlite3_bind_int64(st, 1, (sid << 24) + ++d->reactions);
		sqlite3_bind_int64(st, 2, id);
		sqlite3_bind_text(st, 3, reaction_kind_name(kind), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, reaction_scope_name(scope), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, reaction_faction_label(faction), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, person ? person : "", person ? plen : 0, SQLITE_STATIC);
		if (step(w, st, d) < 0)
			failed = 1;
	}
}

/* Binds an operation's fields and runs its statement; a failed document's fields are still
 * decoded (to stay in step with the block) but not written. */
static void execute(struct writer *w, int op, struct dec *dc, struct wdoc *d)
{
	sqlite3_stmt *st;
	switch (op) {
	case OP_AGENDA:
		st = w->st[S_AGENDA_INS];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		bind_str(st, 2, dc);
		break;
	case OP_AGENDA_TITLE:
		st = w->st[S_AGENDA_TITLE];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		bind_str(st, 2, dc);
		break;
	case OP_SPEECH:
		st = w->st[S_SPEECH_INS];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		bind_id(st, 2, d_i64(dc));
		bind_str(st, 3, dc);
		break;
	case OP_SPEECH_SPK:
		st = w->st[S_SPEECH_SPK];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		bind_id(st, 2, d_i64(dc));
		bind_id(st, 3, d_i64(dc));
		break;
	case OP_TURN:
		st = w->st[S_TURN_INS];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		bind_id(st, 2, d_i64(dc));
		bind_str(st, 3, dc);
		bind_id(st, 4, d_i64(dc));
		bind_str(st, 5, dc);
		bind_str(st, 6, dc);
		bind_str(st, 7, dc);
		bind_str(st, 8, dc);
		bind_str(st, 9, dc);
		sqlite3_bind_int64(st, 10, d_i64(dc));
		bind_str(st, 11, dc);
		break;
	case OP_TALLY:
		st = w->st[S_TALLY_ROW];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		for (int i = 2; i <= 6; i++)
			bind_str(st, i, dc);
		sqlite3_bind_int64(st, 7, d_i64(dc));
		sqlite3_bind_int64(st, 8, d_i64(dc));
		break;
	case OP_STALLY:
		st = w->st[S_STALLY_ROW];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		sqlite3_bind_int64(st, 2, d_i64(dc));
		bind_str(st, 3, dc);
		bind_str(st, 4, dc);
		sqlite3_bind_int64(st, 5, d_i64(dc));
		break;
	case OP_APPLAUSE:
		st = w->st[S_APPLAUSE_ROW];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		sqlite3_bind_int64(st, 2, d_i64(dc));
		break;
	case OP_PARA:
		st = w->st[S_PARA_INS];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		bind_str(st, 2, dc);
		bind_id(st, 3, d_i64(dc));
		bind_id(st, 4, d_i64(dc));
		bind_id(st, 5, d_i64(dc));
		bind_str(st, 6, dc);
		bind_str(st, 7, dc);
		break;
	case OP_KOMM_TURN:
		st = w->st[S_KOMM_TURN];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		bind_id(st, 2, d_i64(dc));
		break;
	case OP_MEMBER:
		st = w->st[S_MEMBER_INS];
		sqlite3_bind_int64(st, 1, d_i64(dc));
		sqlite3_bind_int64(st, 2, d_i64(dc));
		bind_str(st, 3, dc);
		bind_str(st, 4, dc);
		bind_str(st, 5, dc);
		bind_str(st, 6, dc);
		break;
	case OP_PERSON:
		op_person(w, dc, d, S_PERSON_UPSERT);
		return;
	case OP_MDB_PERSON:
		op_person(w, dc, d, S_MDB_PERSON);
		return;
	case OP_KOMM:
		op_kommentar(w, dc, d);
		return;
	default:
		return;
	}
	if (d->failed) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return;
	}
	step(w, st, d);
}

void writer_run(struct writer *w, const unsigned char *buf, size_t len)
{
	struct dec dc = { buf, buf + len };
	while (dc.p < dc.end) {
		int op = *dc.p++;
		int64_t doc = d_i64(&dc);
		if (op == OP_BEGIN) {
			op_begin(w, &dc, doc);
			continue;
		}
		if (op == OP_MDB_BEGIN) {
			int64_t tag = d_i64(&dc);
			int n;
			const char *src = d_str(&dc, &n);
			struct wdoc *d = open_doc(w, doc, tag, STORE_MDB);
			if (!d)
				continue;
			snprintf(d->source, sizeof d->source, "%.*s", src ? n : 0, src ? src : "");
			if (w->open_docs > 1) {
				d->failed = 1;
				snprintf(d->error, sizeof d->error, "the master data cannot be imported alongside protocols");
			} else if (tx_begin(w, d) == 0) {
				exec(w, "DELETE FROM membership", d);
			}
			continue;
		}
		struct wdoc *d = find_doc(w, doc);
		if (!d) {
			/* cannot happen: every op follows its document's begin */
			w->broken = 1;
			return;
		}
		if (op == OP_FINISH) {
			int hlen;
			const char *hash = d_str(&dc, &hlen);
			int64_t bytes = d_i64(&dc), unmapped = d_i64(&dc), speeches = d_i64(&dc),
				kommentare = d_i64(&dc), members = d_i64(&dc);
			struct wfetch f = { 0 };
			f.url = d_str(&dc, &f.ulen);
			f.etag = d_str(&dc, &f.elen);
			f.lm = d_str(&dc, &f.llen);
			f.hash = hash ? hash : "";
			f.hlen = hash ? hlen : 0;
			if (d->failed) {
				struct wdoc copy = *d;
				discard(w, d);
				report(w, &copy, STORE_FAILED, bytes, 0, 0, 0, 0);
			} else if (d->kind == STORE_MDB) {
				finish_mdb(w, d, hash ? hash : "", hash ? hlen : 0, members, &f);
			} else {
				finish_protocol(w, d, hash ? hash : "", hash ? hlen : 0, bytes, unmapped, speeches,
						kommentare, &f);
			}
			continue;
		}
		if (op == OP_ABORT) {
			int n;
			const char *err = d_str(&dc, &n);
			struct wdoc copy = *d;
			if (err)
				snprintf(copy.error, sizeof copy.error, "%.*s", n, err);
			discard(w, d);
			report(w, &copy, err ? STORE_FAILED : STORE_ABORTED, 0, 0, 0, 0, 0);
			continue;
		}
		execute(w, op, &dc, d);
	}
}

struct writer *writer_new(struct db *db, writer_result_fn fn, void *ud)
{
	struct writer *w = xcalloc(1, sizeof *w);
	w->db = db;
	w->fn = fn;
	w->ud = ud;
	for (int i = 0; i < S_COUNT; i++)
		if (!(w->st[i] = db_prepare(db, sql[i])))
			goto fail;
	for (size_t i = 0; i < N_CONTENT_TABLES; i++) {
		char q[128];
		int range = 0;
		for (size_t k = 0; k < sizeof range_tables / sizeof *range_tables; k++)
			range |= strcmp(content_tables[i], range_tables[k]) == 0;
		if (range)
			snprintf(q, sizeof q, "DELETE FROM %s WHERE id >= (?1 << 24) AND id < ((?1 + 1) << 24)",
				 content_tables[i]);
		else
			snprintf(q, sizeof q, "DELETE FROM %s WHERE %s = ?1", content_tables[i],
				 strcmp(content_tables[i], "session") == 0 ? "id" : "session_id");
		if (!(w->del[i] = db_prepare(db, q)))
			goto fail;
	}
	return w;
fail:
	writer_free(w);
	return NULL;
}

const char *writer_error(const struct writer *w) { return w->broken_msg[0] ? w->broken_msg : "database error"; }

int writer_free(struct writer *w)
{
	if (!w)
		return 0;
	int rc = w->broken ? -1 : 0;
	/* documents never finished (a caller bug or an interrupted run): roll back */
	tx_rollback(w);
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(w->st[i]);
	for (size_t i = 0; i < N_CONTENT_TABLES; i++)
		sqlite3_finalize(w->del[i]);
	free(w->persons);
	free(w);
	return rc;
}
