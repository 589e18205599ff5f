/* Writing protocols into the database. A protocol is written under a new session row with
 * live = 0; store_finish() either discards it (same content already stored), or swaps it in for the
 * older version and makes it live, in one commit. Several protocols may be open at once (sync
 * parses parallel downloads): they share the writer's transaction and each becomes visible only
 * at its own finish. */
#ifndef BT_STORE_H
#define BT_STORE_H
#include <stdint.h>
#include "bt/db.h"
#include "bt/reaction.h"

struct store;
struct store_doc;

struct session_meta {
	int wahlperiode, sitzung;
	char date[11];
	const char *start_time, *end_time;
	const char *source;
};

struct turn_info {
	int64_t speech_id;
	const char *role; /* main zwischenfrage chair member */
	int64_t person_id;
	const char *name;
	const char *faction_raw;
	int faction; /* FACTION_*, 0 if none or unmapped */
	const char *role_text;
	const char *bdland;
	int government;
};

struct person_info {
	int64_t id;
	const char *title, *first_name, *last_name, *name_affix, *place, *role;
};

enum store_outcome { STORE_NEW, STORE_UPDATED, STORE_UNCHANGED };

struct store *store_new(struct db *db);
void store_free(struct store *s);
struct db *store_db(struct store *s);

struct store_doc *store_begin(struct store *s, const struct session_meta *m);
int64_t store_agenda_item(struct store_doc *d, const char *top_id);
int store_agenda_title(struct store_doc *d, int64_t id, const char *title);
int64_t store_speech(struct store_doc *d, int64_t agenda_item_id, const char *rede_id);
int store_speech_speaker(struct store_doc *d, int64_t speech_id, int64_t person_id, int64_t turn_id);
int64_t store_turn(struct store_doc *d, const struct turn_info *t);
int store_person(struct store_doc *d, const struct person_info *p);
int store_paragraph(struct store_doc *d, const char *part, int64_t agenda_item_id, int64_t speech_id,
		    int64_t turn_id, const char *klasse, const char *text);
int64_t store_kommentar(struct store_doc *d, const char *part, int64_t agenda_item_id, int64_t speech_id,
			int64_t turn_id, const char *text, const struct reaction_list *reactions);
/* Hands a kommentar to another turn (applause greeting the next speaker). */
int store_kommentar_turn(struct store_doc *d, int64_t kommentar_id, int64_t turn_id);
void store_count_unmapped(struct store_doc *d);
/* Counters of the protocol being written. */
int64_t store_doc_speeches(const struct store_doc *d);
int64_t store_doc_kommentare(const struct store_doc *d);
int store_doc_unmapped(const struct store_doc *d);

/* Completes the protocol; returns 0 and sets *outcome, or -1 (then the protocol is discarded). */
int store_finish(struct store_doc *d, const char *content_hash, int64_t bytes, enum store_outcome *outcome);
/* Discards everything written for this protocol. */
void store_abort(struct store_doc *d);

/* Recomputes receiving factions and the tallies of one session (0 = all sessions), e.g. after the
 * master data changed. */
int store_derive(struct store *s, int64_t session_id);

#endif
