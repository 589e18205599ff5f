/* Protocol writer: prepared statements reused for every row, one transaction per protocol. */
#include "bt/store.h"
#include "bt/faction.h"
#include "bt/util.h"
#include <string.h>
#include <unistd.h>

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
	S_COUNT
};

static const char *const sql[S_COUNT] = {
	[S_SESSION_INS] = "INSERT INTO session(wahlperiode, sitzung, date, start_time, end_time, source,"
			  " content_hash, bytes, imported_at, live, owner)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, ?7)",
	[S_AGENDA_INS] = "INSERT INTO agenda_item(session_id, ord, top_id) VALUES (?1, ?2, ?3)",
	[S_AGENDA_TITLE] = "UPDATE agenda_item SET title = ?2 WHERE id = ?1",
	[S_SPEECH_INS] = "INSERT INTO speech(session_id, agenda_item_id, ord, rede_id) VALUES (?1, ?2, ?3, ?4)",
	[S_SPEECH_SPK] = "UPDATE speech SET speaker_id = ?2, turn_id = ?3 WHERE id = ?1",
	[S_TURN_INS] = "INSERT INTO turn(session_id, speech_id, role, person_id, name, faction_raw, faction,"
		       " role_text, bdland, government, recv_faction)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?7)",
	[S_PERSON_UPSERT] = "INSERT INTO person(id, title, first_name, last_name, name_affix, place, role)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET"
			    " title = excluded.title, first_name = excluded.first_name,"
			    " last_name = excluded.last_name, name_affix = excluded.name_affix,"
			    " place = excluded.place, role = coalesce(excluded.role, person.role)",
	[S_PARA_INS] = "INSERT INTO paragraph(session_id, seq, part, agenda_item_id, speech_id, turn_id, klasse, text)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_KOMM_INS] = "INSERT INTO kommentar(session_id, seq, part, agenda_item_id, speech_id, turn_id, text)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_KOMM_TURN] = "UPDATE kommentar SET turn_id = ?2 WHERE id = ?1",
	[S_REACT_INS] = "INSERT INTO reaction(session_id, kommentar_id, kind, scope, faction, person)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_FIND_LIVE] = "SELECT id, content_hash FROM session WHERE wahlperiode = ?1 AND sitzung = ?2 AND live",
	[S_MAKE_LIVE] = "UPDATE session SET live = 1, owner = NULL, content_hash = ?2, bytes = ?3, unmapped = ?4"
			" WHERE id = ?1",
	/* The receiving faction: as printed, else the master data's on the session date. */
	[S_RECV] = "UPDATE turn SET recv_faction = coalesce(faction, ("
		   " SELECT m.faction FROM membership m, session s"
		   " WHERE s.id = turn.session_id AND m.person_id = turn.person_id AND m.faction IS NOT NULL"
		   " AND s.date BETWEEN m.from_date AND m.to_date ORDER BY m.from_date DESC LIMIT 1))"
		   " WHERE session_id = ?1 AND faction IS NULL AND person_id IS NOT NULL",
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
		"  WHERE r.session_id = ?1 AND r.faction <> ''"
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
		"  WHERE r.session_id = ?1 AND r.kind = 'beifall' AND r.faction <> ''"
		"  GROUP BY k.id, giver HAVING giver IS NOT NULL"
		" ) GROUP BY speech_id, giver, scope",
	[S_APPLAUSE] = "UPDATE speech SET applause = coalesce((SELECT sum(n) FROM speech_tally st"
		       " WHERE st.speech_id = speech.id), 0) WHERE session_id = ?1",
};

static const char *const content_tables[] = { "reaction", "kommentar", "paragraph", "turn", "speech",
					       "agenda_item", "tally", "speech_tally", "session" };
#define N_CONTENT_TABLES (sizeof content_tables / sizeof *content_tables)

struct store {
	struct db *db;
	sqlite3_stmt *st[S_COUNT];
	sqlite3_stmt *del[N_CONTENT_TABLES];
	int open_docs;
	unsigned commits; /* commit counter: tells a doc whether a commit happened while it was open */
	/* person ids upserted in the current transaction (open addressing, 0 = empty) */
	int64_t *persons;
	size_t persons_cap, persons_n;
};

struct store_doc {
	struct store *s;
	int64_t session_id;
	int wahlperiode, sitzung;
	int seq, agenda_ord, speech_ord;
	unsigned commits_at_begin;
	int64_t speeches, kommentare;
	int unmapped;
};

struct db *store_db(struct store *s) { return s->db; }

struct store *store_new(struct db *db)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->db = db;
	for (int i = 0; i < S_COUNT; i++)
		if (!(s->st[i] = db_prepare(db, sql[i])))
			goto fail;
	for (size_t i = 0; i < N_CONTENT_TABLES; i++) {
		char q[96];
		snprintf(q, sizeof q, "DELETE FROM %s WHERE %s = ?1", content_tables[i],
			 strcmp(content_tables[i], "session") == 0 ? "id" : "session_id");
		if (!(s->del[i] = db_prepare(db, q)))
			goto fail;
	}
	return s;
fail:
	store_free(s);
	return NULL;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	for (size_t i = 0; i < N_CONTENT_TABLES; i++)
		sqlite3_finalize(s->del[i]);
	free(s->persons);
	free(s);
}

static void persons_clear(struct store *s)
{
	if (s->persons)
		memset(s->persons, 0, s->persons_cap * sizeof *s->persons);
	s->persons_n = 0;
}

/* Returns 1 if id was already present, else inserts it. */
static int persons_seen(struct store *s, int64_t id)
{
	if (s->persons_n * 2 >= s->persons_cap) {
		size_t oldcap = s->persons_cap;
		int64_t *old = s->persons;
		s->persons_cap = oldcap ? oldcap * 2 : 1024;
		s->persons = xcalloc(s->persons_cap, sizeof *s->persons);
		s->persons_n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				persons_seen(s, old[i]);
		free(old);
	}
	size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 20) & (s->persons_cap - 1);
	while (s->persons[i]) {
		if (s->persons[i] == id)
			return 1;
		i = (i + 1) & (s->persons_cap - 1);
	}
	s->persons[i] = id;
	s->persons_n++;
	return 0;
}

static int tx_begin(struct store *s) { return db_begin(s->db); }

static int tx_commit(struct store *s)
{
	if (db_commit(s->db) < 0) {
		persons_clear(s);
		return -1;
	}
	s->commits++;
	return 0;
}

static void tx_rollback(struct store *s)
{
	db_rollback(s->db);
	persons_clear(s);
}

struct store_doc *store_begin(struct store *s, const struct session_meta *m)
{
	if (tx_begin(s) < 0)
		return NULL;
	sqlite3_stmt *st = s->st[S_SESSION_INS];
	sqlite3_bind_int(st, 1, m->wahlperiode);
	sqlite3_bind_int(st, 2, m->sitzung);
	db_bind_text(st, 3, m->date);
	db_bind_text(st, 4, m->start_time);
	db_bind_text(st, 5, m->end_time);
	db_bind_text(st, 6, m->source);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)getpid());
	if (db_run(s->db, st) < 0) {
		if (s->open_docs == 0)
			tx_rollback(s);
		return NULL;
	}
	struct store_doc *d = xcalloc(1, sizeof *d);
	d->s = s;
	d->session_id = sqlite3_last_insert_rowid(s->db->h);
	d->wahlperiode = m->wahlperiode;
	d->sitzung = m->sitzung;
	d->commits_at_begin = s->commits;
	s->open_docs++;
	return d;
}

static int64_t insert_id(struct store_doc *d, sqlite3_stmt *st)
{
	if (db_run(d->s->db, st) < 0)
		return -1;
	return sqlite3_last_insert_rowid(d->s->db->h);
}

int64_t store_agenda_item(struct store_doc *d, const char *top_id)
{
	sqlite3_stmt *st = d->s->st[S_AGENDA_INS];
	sqlite3_bind_int64(st, 1, d->session_id);
	sqlite3_bind_int(st, 2, ++d->agenda_ord);
	db_bind_text(st, 3, top_id ? top_id : "");
	return insert_id(d, st);
}

int store_agenda_title(struct store_doc *d, int64_t id, const char *title)
{
	sqlite3_stmt *st = d->s->st[S_AGENDA_TITLE];
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, title);
	return db_run(d->s->db, st);
}

int64_t store_speech(struct store_doc *d, int64_t agenda_item_id, const char *rede_id)
{
	sqlite3_stmt *st = d->s->st[S_SPEECH_INS];
	sqlite3_bind_int64(st, 1, d->session_id);
	db_bind_id(st, 2, agenda_item_id);
	sqlite3_bind_int(st, 3, ++d->speech_ord);
	db_bind_text(st, 4, rede_id);
	d->speeches++;
	return insert_id(d, st);
}

int store_speech_speaker(struct store_doc *d, int64_t speech_id, int64_t person_id, int64_t turn_id)
{
	sqlite3_stmt *st = d->s->st[S_SPEECH_SPK];
	sqlite3_bind_int64(st, 1, speech_id);
	db_bind_id(st, 2, person_id);
	db_bind_id(st, 3, turn_id);
	return db_run(d->s->db, st);
}

int64_t store_turn(struct store_doc *d, const struct turn_info *t)
{
	sqlite3_stmt *st = d->s->st[S_TURN_INS];
	sqlite3_bind_int64(st, 1, d->session_id);
	db_bind_id(st, 2, t->speech_id);
	db_bind_text(st, 3, t->role);
	db_bind_id(st, 4, t->person_id);
	db_bind_text(st, 5, t->name ? t->name : "");
	db_bind_text(st, 6, t->faction_raw);
	db_bind_text(st, 7, t->faction ? faction_label(t->faction) : NULL);
	db_bind_text(st, 8, t->role_text);
	db_bind_text(st, 9, t->bdland);
	sqlite3_bind_int(st, 10, t->government);
	return insert_id(d, st);
}

int store_person(struct store_doc *d, const struct person_info *p)
{
	if (p->id <= 0 || persons_seen(d->s, p->id))
		return 0;
	sqlite3_stmt *st = d->s->st[S_PERSON_UPSERT];
	sqlite3_bind_int64(st, 1, p->id);
	db_bind_text(st, 2, p->title);
	db_bind_text(st, 3, p->first_name);
	db_bind_text(st, 4, p->last_name);
	db_bind_text(st, 5, p->name_affix);
	db_bind_text(st, 6, p->place);
	db_bind_text(st, 7, p->role);
	return db_run(d->s->db, st);
}

int store_paragraph(struct store_doc *d, const char *part, int64_t agenda_item_id, int64_t speech_id,
		    int64_t turn_id, const char *klasse, const char *text)
{
	sqlite3_stmt *st = d->s->st[S_PARA_INS];
	sqlite3_bind_int64(st, 1, d->session_id);
	sqlite3_bind_int(st, 2, ++d->seq);
	sqlite3_bind_text(st, 3, part, -1, SQLITE_STATIC);
	db_bind_id(st, 4, agenda_item_id);
	db_bind_id(st, 5, speech_id);
	db_bind_id(st, 6, turn_id);
	db_bind_text(st, 7, klasse);
	sqlite3_bind_text(st, 8, text, -1, SQLITE_STATIC);
	return db_run(d->s->db, st);
}

int64_t store_kommentar(struct store_doc *d, const char *part, int64_t agenda_item_id, int64_t speech_id,
			int64_t turn_id, const char *text, const struct reaction_list *rl)
{
	sqlite3_stmt *st = d->s->st[S_KOMM_INS];
	sqlite3_bind_int64(st, 1, d->session_id);
	sqlite3_bind_int(st, 2, ++d->seq);
	sqlite3_bind_text(st, 3, part, -1, SQLITE_STATIC);
	db_bind_id(st, 4, agenda_item_id);
	db_bind_id(st, 5, speech_id);
	db_bind_id(st, 6, turn_id);
	sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
	int64_t kid = insert_id(d, st);
	if (kid < 0)
		return -1;
	d->kommentare++;
	st = d->s->st[S_REACT_INS];
	for (size_t i = 0; rl && i < rl->n; i++) {
		const struct reaction *r = &rl->v[i];
		sqlite3_bind_int64(st, 1, d->session_id);
		sqlite3_bind_int64(st, 2, kid);
		sqlite3_bind_text(st, 3, reaction_kind_name(r->kind), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, reaction_scope_name(r->scope), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, reaction_faction_label(r->faction), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, r->person, -1, SQLITE_STATIC);
		if (db_run(d->s->db, st) < 0)
			return -1;
	}
	return kid;
}

int store_kommentar_turn(struct store_doc *d, int64_t kommentar_id, int64_t turn_id)
{
	sqlite3_stmt *st = d->s->st[S_KOMM_TURN];
	sqlite3_bind_int64(st, 1, kommentar_id);
	db_bind_id(st, 2, turn_id);
	return db_run(d->s->db, st);
}

void store_count_unmapped(struct store_doc *d) { d->unmapped++; }
int64_t store_doc_speeches(const struct store_doc *d) { return d->speeches; }
int64_t store_doc_kommentare(const struct store_doc *d) { return d->kommentare; }
int store_doc_unmapped(const struct store_doc *d) { return d->unmapped; }

static int delete_session(struct store *s, int64_t id)
{
	for (size_t i = 0; i < N_CONTENT_TABLES; i++) {
		sqlite3_bind_int64(s->del[i], 1, id);
		if (db_run(s->db, s->del[i]) < 0)
			return -1;
	}
	return 0;
}

static int run_with_id(struct store *s, int which, int64_t id)
{
	sqlite3_bind_int64(s->st[which], 1, id);
	return db_run(s->db, s->st[which]);
}

static int derive_one(struct store *s, int64_t sid)
{
	if (run_with_id(s, S_RECV, sid) < 0 || run_with_id(s, S_TALLY_DEL, sid) < 0 ||
	    run_with_id(s, S_TALLY_INS, sid) < 0 || run_with_id(s, S_STALLY_DEL, sid) < 0 ||
	    run_with_id(s, S_STALLY_INS, sid) < 0 || run_with_id(s, S_APPLAUSE, sid) < 0)
		return -1;
	return 0;
}

int store_derive(struct store *s, int64_t session_id)
{
	if (session_id > 0)
		return derive_one(s, session_id);
	sqlite3_stmt *q = db_prepare(s->db, "SELECT id FROM session WHERE live ORDER BY id");
	if (!q)
		return -1;
	int rc = 0;
	while (rc == 0 && sqlite3_step(q) == SQLITE_ROW)
		rc = derive_one(s, sqlite3_column_int64(q, 0));
	sqlite3_finalize(q);
	return rc;
}

/* Ends a doc's part of the shared transaction: commit when no other protocol is open, otherwise
 * commit and start a new transaction for the others. */
static int end_doc(struct store_doc *d)
{
	struct store *s = d->s;
	s->open_docs--;
	int rc = tx_commit(s);
	if (s->open_docs > 0 && tx_begin(s) < 0)
		rc = -1;
	free(d);
	return rc;
}

void store_abort(struct store_doc *d)
{
	struct store *s = d->s;
	if (s->open_docs == 1 && s->commits == d->commits_at_begin) {
		/* Nothing of it was ever committed: a rollback undoes it all. */
		tx_rollback(s);
		s->open_docs--;
		free(d);
		return;
	}
	if (!s->db->in_tx && tx_begin(s) < 0) {
		s->open_docs--;
		free(d);
		return; /* left live = 0: removed by the next writer */
	}
	delete_session(s, d->session_id);
	end_doc(d);
}

int store_finish(struct store_doc *d, const char *hash, int64_t bytes, enum store_outcome *outcome)
{
	struct store *s = d->s;
	sqlite3_stmt *st = s->st[S_FIND_LIVE];
	int64_t old = 0;
	int same = 0;
	sqlite3_bind_int(st, 1, d->wahlperiode);
	sqlite3_bind_int(st, 2, d->sitzung);
	if (sqlite3_step(st) == SQLITE_ROW) {
		old = sqlite3_column_int64(st, 0);
		same = strcmp((const char *)sqlite3_column_text(st, 1), hash) == 0;
	}
	sqlite3_reset(st);
	if (same) {
		*outcome = STORE_UNCHANGED;
		store_abort(d);
		return 0;
	}
	if ((old && delete_session(s, old) < 0) || derive_one(s, d->session_id) < 0)
		goto fail;
	st = s->st[S_MAKE_LIVE];
	sqlite3_bind_int64(st, 1, d->session_id);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, bytes);
	sqlite3_bind_int(st, 4, d->unmapped);
	if (db_run(s->db, st) < 0)
		goto fail;
	*outcome = old ? STORE_UPDATED : STORE_NEW;
	return end_doc(d);
fail:
	store_abort(d);
	return -1;
}
