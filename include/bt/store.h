/* Writing protocols into the database, as a two-stage pipeline: the parser (producer) calls the
 * store_* functions, which encode each record into a bounded queue of blocks; a writer thread
 * (writer.c) executes them on SQLite. Parsing and writing thus run on two cores, and memory stays
 * bounded by the queue, whatever the input size.
 *
 * Row ids are allocated here, by the producer, so no call waits for the database. Outcomes
 * (stored new, updated, unchanged, failed) arrive later through store_poll().
 *
 * A protocol is written under a new session row with live = 0; its finish either discards it (the
 * same content is already stored), or swaps it in for the older version and makes it live, in one
 * commit. Several protocols may be open at once (sync parses parallel downloads): they share the
 * writer's transaction and each becomes visible only at its own finish. */
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
	int receiver; /* the faction credited with reactions: faction, else the master data's */
	const char *role_text;
	const char *bdland;
	int government;
};

struct person_info {
	int64_t id;
	const char *title, *first_name, *last_name, *name_affix, *place, *role;
};

struct member_info {
	int64_t person_id;
	int wahlperiode;
	int faction;
	const char *faction_raw, *from_date, *to_date;
};

/* STORE_ABORTED: the caller gave up on the document and has reported why itself. */
enum store_outcome { STORE_NEW, STORE_UPDATED, STORE_UNCHANGED, STORE_FAILED, STORE_ABORTED };
enum store_kind { STORE_PROTOCOL, STORE_MDB };

struct store_result {
	int64_t tag; /* the caller's tag given at begin */
	enum store_kind kind;
	enum store_outcome outcome;
	int wahlperiode, sitzung;
	int64_t speeches, kommentare, members, bytes;
	int unmapped;
	char source[512];
	char error[512]; /* set when outcome is STORE_FAILED */
};

/* threaded: run the writer on its own thread (else inline, when a queue block is full). */
struct store *store_new(struct db *db, int threaded);
/* Waits for the writer to finish everything queued; returns -1 if the writer hit a database error
 * that it could not contain, and says why in err. The db stays open. */
int store_free(struct store *s, char *err, size_t n);

struct store_doc *store_begin(struct store *s, const struct session_meta *m, int64_t tag);
int64_t store_agenda_item(struct store_doc *d, const char *top_id);
void store_agenda_title(struct store_doc *d, int64_t id, const char *title);
int64_t store_speech(struct store_doc *d, int64_t agenda_item_id, const char *rede_id);
void store_speech_speaker(struct store_doc *d, int64_t speech_id, int64_t person_id, int64_t turn_id);
int64_t store_turn(struct store_doc *d, const struct turn_info *t);
void store_person(struct store_doc *d, const struct person_info *p);
void store_paragraph(struct store_doc *d, const char *part, int64_t agenda_item_id, int64_t speech_id,
		     int64_t turn_id, const char *klasse, const char *text);
int64_t store_kommentar(struct store_doc *d, const char *part, int64_t agenda_item_id, int64_t speech_id,
			int64_t turn_id, const char *text, const struct reaction_list *reactions);
/* Hands a kommentar to another turn (applause greeting the next speaker). */
void store_kommentar_turn(struct store_doc *d, int64_t kommentar_id, int64_t turn_id);
void store_count_unmapped(struct store_doc *d);

/* Counts computed while parsing (tally.c). */
void store_tally(struct store_doc *d, int kind, int scope, int giver, int receiver, const char *role, int government,
		 int64_t n);
void store_speech_tally(struct store_doc *d, int64_t speech_id, int giver, int scope, int64_t n);
void store_speech_applause(struct store_doc *d, int64_t speech_id, int64_t n);

/* Lookups for the parser: the factions seated on a date, a member's faction on a date. */
int store_seated(const struct store *s, const char *date, int out[]);
int store_member_faction(const struct store *s, int64_t person_id, const char *date);
struct membership;
/* Replaces the membership used for lookups (the master data just parsed); takes ownership. */
void store_set_membership(struct store *s, struct membership *m);

/* The master data: replaces all memberships when finished (unless unchanged). */
struct store_doc *store_begin_mdb(struct store *s, const char *source, int64_t tag);
void store_member(struct store_doc *d, const struct member_info *m);
void store_mdb_person(struct store_doc *d, const struct person_info *p);

/* Where a downloaded document came from: stored with it (table fetch) when it is stored, or
 * alone when its content was unchanged, so the next sync can ask "has it changed?". */
struct fetch_info {
	const char *url, *etag, *last_modified;
};

/* Completes the document (the outcome follows through store_poll); frees d. fetch may be NULL. */
void store_finish(struct store_doc *d, const char *content_hash, int64_t bytes, const struct fetch_info *fetch);
/* Discards everything written for this document; frees d. error: reported through store_poll as
 * STORE_FAILED; NULL when the caller reports the failure itself (STORE_ABORTED). */
void store_abort(struct store_doc *d, const char *error);

/* Takes the next finished document's result: 1 if one was taken, 0 if none is ready. wait: block
 * until one is ready or nothing is pending. */
int store_poll(struct store *s, struct store_result *r, int wait);

#endif
