/* The members' master data (MDB_STAMMDATEN.XML): faction membership per Wahlperiode with dates,
 * used to credit reactions to members of the government, who speak without a <fraktion>. */
#include "bt/document.h"
#include "bt/faction.h"
#include "bt/util.h"
#include <string.h>

enum field { F_NONE, F_ID, F_NACHNAME, F_VORNAME, F_ADEL, F_PRAEFIX, F_TITEL, F_ORTSZUSATZ, F_HIST_BIS, F_WP,
	     F_WP_VON, F_WP_BIS, F_INSART, F_INS, F_INS_VON, F_INS_BIS, F_COUNT };

static const char *const field_names[F_COUNT] = {
	[F_ID] = "ID", [F_NACHNAME] = "NACHNAME", [F_VORNAME] = "VORNAME", [F_ADEL] = "ADEL",
	[F_PRAEFIX] = "PRAEFIX", [F_TITEL] = "ANREDE_TITEL", [F_ORTSZUSATZ] = "ORTSZUSATZ",
	[F_HIST_BIS] = "HISTORIE_BIS", [F_WP] = "WP", [F_WP_VON] = "MDBWP_VON", [F_WP_BIS] = "MDBWP_BIS",
	[F_INSART] = "INSART_LANG", [F_INS] = "INS_LANG", [F_INS_VON] = "MDBINS_VON", [F_INS_BIS] = "MDBINS_BIS",
};

struct mdb {
	struct document *doc;
	struct db *db;
	struct store *store;
	sqlite3_stmt *ins_member, *ins_person, *find_hash, *put_hash;
	enum field field;
	struct strbuf f[F_COUNT];
	/* the current name (the one without HISTORIE_BIS wins) */
	struct strbuf name[F_HIST_BIS];
	int have_current_name;
	int64_t members;
};

static void *mdb_open(struct document *doc, struct store *s, const char **attrs)
{
	(void)attrs;
	struct mdb *m = xcalloc(1, sizeof *m);
	m->doc = doc;
	m->store = s;
	m->db = store_db(s);
	m->ins_member = db_prepare(m->db, "INSERT INTO membership(person_id, wahlperiode, faction, faction_raw,"
					  " from_date, to_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	m->ins_person = db_prepare(m->db, "INSERT INTO person(id, title, first_name, last_name, name_affix, place)"
					  " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO NOTHING");
	m->find_hash = db_prepare(m->db, "SELECT content_hash FROM dataset WHERE name = 'mdb'");
	m->put_hash = db_prepare(m->db, "INSERT OR REPLACE INTO dataset(name, content_hash, source, imported_at)"
					" VALUES ('mdb', ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
	if (!m->ins_member || !m->ins_person || !m->find_hash || !m->put_hash || db_begin(m->db) < 0 ||
	    db_exec(m->db, "DELETE FROM membership") < 0) {
		sqlite3_finalize(m->ins_member);
		sqlite3_finalize(m->ins_person);
		sqlite3_finalize(m->find_hash);
		sqlite3_finalize(m->put_hash);
		db_rollback(m->db);
		free(m);
		return NULL;
	}
	return m;
}

static void mdb_free(struct mdb *m)
{
	sqlite3_finalize(m->ins_member);
	sqlite3_finalize(m->ins_person);
	sqlite3_finalize(m->find_hash);
	sqlite3_finalize(m->put_hash);
	for (int i = 0; i < F_COUNT; i++)
		sb_free(&m->f[i]);
	for (int i = 0; i < F_HIST_BIS; i++)
		sb_free(&m->name[i]);
	free(m);
}

static void mdb_start(void *h, const char *name, const char **attrs)
{
	(void)attrs;
	struct mdb *m = h;
	m->field = F_NONE;
	if (strcmp(name, "MDB") == 0) {
		for (int i = 0; i < F_COUNT; i++)
			sb_reset(&m->f[i]);
		for (int i = 0; i < F_HIST_BIS; i++)
			sb_reset(&m->name[i]);
		m->have_current_name = 0;
		return;
	}
	if (strcmp(name, "INSTITUTION") == 0) {
		for (int i = F_INSART; i <= F_INS_BIS; i++)
			sb_reset(&m->f[i]);
		return;
	}
	for (int i = 1; i < F_COUNT; i++)
		if (strcmp(name, field_names[i]) == 0) {
			m->field = (enum field)i;
			sb_reset(&m->f[i]);
			return;
		}
}

static void mdb_text(void *h, const char *s, int len)
{
	struct mdb *m = h;
	if (m->field != F_NONE)
		sb_add(&m->f[m->field], s, (size_t)len);
}

static const char *iso(const struct strbuf *de, char out[11], const char *fallback)
{
	if (de->len && date_de_to_iso(de->buf, out) == 0)
		return out;
	return fallback;
}

static void end_institution(struct mdb *m)
{
	if (strcmp(sb_str(&m->f[F_INSART]), "Fraktion/Gruppe") != 0)
		return;
	char wv[11], wb[11], iv[11], ib[11];
	const char *wp_from = iso(&m->f[F_WP_VON], wv, "1949-01-01");
	const char *wp_to = iso(&m->f[F_WP_BIS], wb, "9999-12-31");
	int faction = faction_from_mdb(sb_str(&m->f[F_INS]));
	sqlite3_stmt *st = m->ins_member;
	sqlite3_bind_int64(st, 1, strtoll(sb_str(&m->f[F_ID]), NULL, 10));
	sqlite3_bind_int(st, 2, atoi(sb_str(&m->f[F_WP])));
	db_bind_text(st, 3, faction ? faction_label(faction) : NULL);
	db_bind_text(st, 4, sb_str(&m->f[F_INS]));
	db_bind_text(st, 5, iso(&m->f[F_INS_VON], iv, wp_from));
	db_bind_text(st, 6, iso(&m->f[F_INS_BIS], ib, wp_to));
	if (db_run(m->db, st) < 0)
		document_fail(m->doc, "cannot write to the database");
}

static void end_name(struct mdb *m)
{
	if (m->have_current_name)
		return;
	for (int i = F_NACHNAME; i < F_HIST_BIS; i++) {
		sb_reset(&m->name[i]);
		sb_add(&m->name[i], sb_str(&m->f[i]), m->f[i].len);
	}
	if (m->f[F_HIST_BIS].len == 0)
		m->have_current_name = 1;
}

static void end_member(struct mdb *m)
{
	sqlite3_stmt *st = m->ins_person;
	struct strbuf affix = STRBUF_INIT;
	sb_add(&affix, sb_str(&m->name[F_ADEL]), m->name[F_ADEL].len);
	if (m->name[F_PRAEFIX].len) {
		if (affix.len)
			sb_addc(&affix, ' ');
		sb_add(&affix, m->name[F_PRAEFIX].buf, m->name[F_PRAEFIX].len);
	}
	sqlite3_bind_int64(st, 1, strtoll(sb_str(&m->f[F_ID]), NULL, 10));
	db_bind_text(st, 2, m->name[F_TITEL].len ? m->name[F_TITEL].buf : NULL);
	db_bind_text(st, 3, m->name[F_VORNAME].len ? m->name[F_VORNAME].buf : NULL);
	db_bind_text(st, 4, m->name[F_NACHNAME].len ? m->name[F_NACHNAME].buf : NULL);
	db_bind_text(st, 5, affix.len ? affix.buf : NULL);
	db_bind_text(st, 6, m->name[F_ORTSZUSATZ].len ? m->name[F_ORTSZUSATZ].buf : NULL);
	sb_free(&affix);
	if (db_run(m->db, st) < 0)
		document_fail(m->doc, "cannot write to the database");
	m->members++;
}

static void mdb_end(void *h, const char *name)
{
	struct mdb *m = h;
	m->field = F_NONE;
	if (strcmp(name, "INSTITUTION") == 0)
		end_institution(m);
	else if (strcmp(name, "NAME") == 0)
		end_name(m);
	else if (strcmp(name, "MDB") == 0)
		end_member(m);
}

static void mdb_abort(void *h)
{
	struct mdb *m = h;
	db_rollback(m->db);
	mdb_free(m);
}

static int mdb_finish(void *h, const char *hash, int64_t bytes, struct doc_result *res)
{
	(void)bytes;
	struct mdb *m = h;
	res->type = DOC_MDB;
	res->members = m->members;
	int same = 0;
	if (sqlite3_step(m->find_hash) == SQLITE_ROW)
		same = strcmp((const char *)sqlite3_column_text(m->find_hash, 0), hash) == 0;
	sqlite3_reset(m->find_hash);
	if (same) {
		res->outcome = STORE_UNCHANGED;
		mdb_abort(m);
		return 0;
	}
	res->outcome = STORE_UPDATED;
	sqlite3_bind_text(m->put_hash, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(m->put_hash, 2, document_source(m->doc), -1, SQLITE_TRANSIENT);
	/* Factions of members of the government change with the master data: re-derive every session. */
	if (db_run(m->db, m->put_hash) < 0 || store_derive(m->store, 0) < 0 || db_commit(m->db) < 0) {
		mdb_abort(m);
		return -1;
	}
	mdb_free(m);
	return 0;
}

const struct doc_handler mdb_handler = {
	.root = "DOCUMENT",
	.open = mdb_open,
	.start = mdb_start,
	.end = mdb_end,
	.text = mdb_text,
	.finish = mdb_finish,
	.abort = mdb_abort,
};
