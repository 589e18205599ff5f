/* The members' master data (MDB_STAMMDATEN.XML): faction membership per Wahlperiode with dates,
 * used to credit reactions to members of the government, who speak without a <fraktion>. */
#include "bt/document.h"
#include "bt/faction.h"
#include "bt/membership.h"
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
	struct store *store;
	struct store_doc *sd;
	struct membership *members; /* for the protocols parsed after it */
	enum field field;
	struct strbuf f[F_COUNT];
	/* the current name: the one without HISTORIE_BIS wins */
	struct strbuf name[F_HIST_BIS];
	int have_current_name;
};

static void *mdb_open(struct document *doc, struct store *s, const char **attrs, int64_t tag)
{
	(void)attrs;
	struct mdb *m = xcalloc(1, sizeof *m);
	m->doc = doc;
	m->store = s;
	m->members = membership_new();
	m->sd = store_begin_mdb(s, document_source(doc), tag);
	return m;
}

static void mdb_free(struct mdb *m)
{
	for (int i = 0; i < F_COUNT; i++)
		sb_free(&m->f[i]);
	for (int i = 0; i < F_HIST_BIS; i++)
		sb_free(&m->name[i]);
	membership_free(m->members);
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

static const char *nz(const struct strbuf *b) { return b->len ? b->buf : NULL; }

static void end_institution(struct mdb *m)
{
	if (strcmp(sb_str(&m->f[F_INSART]), "Fraktion/Gruppe") != 0)
		return;
	char wv[11], wb[11], iv[11], ib[11];
	const char *wp_from = iso(&m->f[F_WP_VON], wv, "1949-01-01");
	const char *wp_to = iso(&m->f[F_WP_BIS], wb, "9999-12-31");
	struct member_info mi = {
		.person_id = strtoll(sb_str(&m->f[F_ID]), NULL, 10),
		.wahlperiode = atoi(sb_str(&m->f[F_WP])),
		.faction = faction_from_mdb(sb_str(&m->f[F_INS])),
		.faction_raw = sb_str(&m->f[F_INS]),
		.from_date = iso(&m->f[F_INS_VON], iv, wp_from),
		.to_date = iso(&m->f[F_INS_BIS], ib, wp_to),
	};
	store_member(m->sd, &mi);
	membership_add(m->members, mi.person_id, mi.faction, mi.from_date, mi.to_date);
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
	struct strbuf affix = STRBUF_INIT;
	sb_add(&affix, sb_str(&m->name[F_ADEL]), m->name[F_ADEL].len);
	if (m->name[F_PRAEFIX].len) {
		if (affix.len)
			sb_addc(&affix, ' ');
		sb_add(&affix, m->name[F_PRAEFIX].buf, m->name[F_PRAEFIX].len);
	}
	struct person_info pi = {
		.id = strtoll(sb_str(&m->f[F_ID]), NULL, 10),
		.title = nz(&m->name[F_TITEL]),
		.first_name = nz(&m->name[F_VORNAME]),
		.last_name = nz(&m->name[F_NACHNAME]),
		.name_affix = nz(&affix),
		.place = nz(&m->name[F_ORTSZUSATZ]),
	};
	store_mdb_person(m->sd, &pi);
	sb_free(&affix);
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
	store_abort(m->sd, NULL);
	mdb_free(m);
}

static void mdb_finish(void *h, const char *hash, int64_t bytes, const struct fetch_info *fetch)
{
	struct mdb *m = h;
	store_finish(m->sd, hash, bytes, fetch);
	membership_sort(m->members);
	store_set_membership(m->store, m->members);
	m->members = NULL;
	mdb_free(m);
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
