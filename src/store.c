/* The producer side of the store pipeline: allocates row ids, encodes records into blocks and
 * hands full blocks to the writer thread through a bounded queue. */
#include "bt/store.h"
#include "bt/faction.h"
#include "bt/membership.h"
#include "bt/reaction.h"
#include "bt/util.h"
#include "bt/writer.h"
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

enum { BLOCK_SIZE = 256 * 1024, QUEUE_BLOCKS = 16 };

struct block {
	unsigned char *buf;
	size_t len, cap;
	struct block *next;
};

struct result_node {
	struct store_result r;
	struct result_node *next;
};

struct store {
	struct db *db;
	struct writer *writer;
	int threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv_items, cv_space, cv_results;
	struct block *head, *tail; /* queued for the writer */
	int queued;
	int quit;
	double wait_space, wait_items; /* seconds each side waited on the other (BT_TIMING) */
	struct block *cur; /* being filled */
	struct block *free_blocks;
	/* results */
	struct result_node *rhead, *rtail;
	int64_t pending_docs; /* begun, result not yet taken */
	struct membership *members;
	struct seating *seating;
	/* ids */
	int64_t next_session, next_doc;
};

struct store_doc {
	struct store *s;
	int64_t doc;
	int64_t session_id;
	int64_t base; /* session_id << 24: the session's rowid range */
	int seq, agenda_ord, speech_ord, turns;
	int64_t speeches, kommentare;
	int unmapped;
	int mdb;
	int64_t members;
};

/* ---- queue ---- */

static struct block *block_get(struct store *s, size_t need)
{
	struct block *b = NULL;
	if (need <= BLOCK_SIZE) {
		pthread_mutex_lock(&s->mu);
		b = s->free_blocks;
		if (b)
			s->free_blocks = b->next;
		pthread_mutex_unlock(&s->mu);
	}
	if (!b) {
		b = xcalloc(1, sizeof *b);
		b->cap = need > BLOCK_SIZE ? need : BLOCK_SIZE;
		b->buf = xmalloc(b->cap);
	}
	b->len = 0;
	b->next = NULL;
	return b;
}

static void block_put(struct store *s, struct block *b)
{
	if (b->cap > BLOCK_SIZE) {
		free(b->buf);
		free(b);
		return;
	}
	pthread_mutex_lock(&s->mu);
	b->next = s->free_blocks;
	s->free_blocks = b;
	pthread_mutex_unlock(&s->mu);
}

static void submit(struct store *s)
{
	struct block *b = s->cur;
	s->cur = NULL;
	if (!b || b->len == 0) {
		if (b)
			block_put(s, b);
		return;
	}
	if (!s->threaded) {
		writer_run(s->writer, b->buf, b->len);
		block_put(s, b);
		return;
	}
	pthread_mutex_lock(&s->mu);
	if (s->queued >= QUEUE_BLOCKS) {
		double t = now_seconds();
		while (s->queued >= QUEUE_BLOCKS)
			pthread_cond_wait(&s->cv_space, &s->mu);
		s->wait_space += now_seconds() - t;
	}
	if (s->tail)
		s->tail->next = b;
	else
		s->head = b;
	s->tail = b;
	s->queued++;
	pthread_cond_signal(&s->cv_items);
	pthread_mutex_unlock(&s->mu);
}

static void *writer_main(void *arg)
{
	struct store *s = arg;
	pthread_setname_np(pthread_self(), "bt-writer");
	for (;;) {
		pthread_mutex_lock(&s->mu);
		if (!s->head && !s->quit) {
			double t = now_seconds();
			while (!s->head && !s->quit)
				pthread_cond_wait(&s->cv_items, &s->mu);
			s->wait_items += now_seconds() - t;
		}
		struct block *b = s->head;
		if (!b) {
			pthread_mutex_unlock(&s->mu);
			if (getenv("BT_TIMING")) {
				/* for the benchmark: how busy the writer was */
				struct rusage ru;
				getrusage(RUSAGE_THREAD, &ru);
				fprintf(stderr, "writer thread: %.2f s user, %.2f s system, %.2f s waiting for work;"
					" the parser waited %.2f s for queue space\n",
					ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
					ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, s->wait_items, s->wait_space);
			}
			return NULL;
		}
		s->head = b->next;
		if (!s->head)
			s->tail = NULL;
		s->queued--;
		pthread_cond_signal(&s->cv_space);
		pthread_mutex_unlock(&s->mu);
		writer_run(s->writer, b->buf, b->len);
		block_put(s, b);
	}
}

static void on_result(void *ud, const struct store_result *r)
{
	struct store *s = ud;
	struct result_node *n = xmalloc(sizeof *n);
	n->r = *r;
	n->next = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->rtail)
		s->rtail->next = n;
	else
		s->rhead = n;
	s->rtail = n;
	pthread_cond_broadcast(&s->cv_results);
	pthread_mutex_unlock(&s->mu);
}

/* ---- encoding ---- */

static unsigned char *reserve(struct store *s, size_t n)
{
	if (s->cur && s->cur->len + n > s->cur->cap)
		submit(s);
	if (!s->cur)
		s->cur = block_get(s, n);
	unsigned char *p = s->cur->buf + s->cur->len;
	s->cur->len += n;
	return p;
}

/* An op is encoded in two passes: its size first, so it never straddles blocks. */
struct enc {
	size_t size;
	unsigned char *p;
	/* string lengths measured in the sizing pass, reused in the writing pass */
	uint32_t lens[32];
	int nlen, ilen;
};

static void e_i64(struct enc *e, int64_t v)
{
	if (e->p) {
		memcpy(e->p, &v, 8);
		e->p += 8;
	}
	e->size += 8;
}

static void e_str(struct enc *e, const char *s)
{
	uint32_t n;
	if (!e->p) {
		n = s ? (uint32_t)strlen(s) : STR_NULL;
		if (e->nlen < 32)
			e->lens[e->nlen++] = n;
	} else {
		n = e->ilen < e->nlen ? e->lens[e->ilen++] : (s ? (uint32_t)strlen(s) : STR_NULL);
	}
	if (e->p) {
		memcpy(e->p, &n, 4);
		e->p += 4;
		if (s) {
			memcpy(e->p, s, n);
			e->p += n;
		}
	}
	e->size += 4 + (s ? n : 0);
}

static void e_op(struct enc *e, int op, int64_t doc)
{
	if (e->p)
		*e->p++ = (unsigned char)op;
	e->size += 1;
	e_i64(e, doc);
}

/* ENCODE(s, stmt-using-e): runs the encoding statements once to size, once to write. */
#define ENCODE(S, BODY)                                                    \
	do {                                                               \
		struct enc e_ = { 0, NULL, { 0 }, 0, 0 };                  \
		struct enc *e = &e_;                                       \
		BODY;                                                      \
		e_.p = reserve((S), e_.size);                              \
		e_.size = 0;                                               \
		BODY;                                                      \
	} while (0)

/* ---- lifecycle ---- */

static int64_t max_id(struct db *db, const char *table)
{
	char sql[64];
	snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s", table);
	sqlite3_stmt *st = NULL;
	int64_t v = 0;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct store *store_new(struct db *db, int threaded)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->db = db;
	/* above every session id in use, and above rows whose session row a failed run lost */
	s->next_session = max_id(db, "session");
	static const char *const ranged[] = { "paragraph", "kommentar", "reaction", "turn", "speech", "agenda_item" };
	for (size_t i = 0; i < sizeof ranged / sizeof *ranged; i++) {
		int64_t m = max_id(db, ranged[i]) >> 24;
		if (m > s->next_session)
			s->next_session = m;
	}
	s->next_session++;
	s->next_doc = 1;
	s->members = membership_load(db);
	s->seating = seating_load(db);
	if (!s->members || !s->seating) {
		error("cannot read database '%s': %s", db->path, db_errmsg(db));
		membership_free(s->members);
		seating_free(s->seating);
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv_items, NULL);
	pthread_cond_init(&s->cv_space, NULL);
	pthread_cond_init(&s->cv_results, NULL);
	s->writer = writer_new(db, on_result, s);
	if (!s->writer) {
		membership_free(s->members);
		seating_free(s->seating);
		free(s);
		return NULL;
	}
	s->threaded = threaded;
	if (threaded && pthread_create(&s->thread, NULL, writer_main, s) != 0)
		s->threaded = 0;
	return s;
}

static void drain(struct store *s)
{
	submit(s);
	if (!s->threaded)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = 1;
	pthread_cond_signal(&s->cv_items);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	s->threaded = 0;
}

int store_free(struct store *s, char *err, size_t errlen)
{
	if (!s)
		return 0;
	if (getenv("BT_TIMING")) {
		struct rusage ru;
		getrusage(RUSAGE_THREAD, &ru);
		fprintf(stderr, "parser thread: %.2f s user, %.2f s system\n",
			ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	}
	drain(s);
	if (err && errlen)
		snprintf(err, errlen, "%s", writer_error(s->writer));
	int rc = writer_free(s->writer);
	while (s->free_blocks) {
		struct block *b = s->free_blocks;
		s->free_blocks = b->next;
		free(b->buf);
		free(b);
	}
	while (s->rhead) {
		struct result_node *n = s->rhead;
		s->rhead = n->next;
		free(n);
	}
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv_items);
	pthread_cond_destroy(&s->cv_space);
	pthread_cond_destroy(&s->cv_results);
	membership_free(s->members);
	seating_free(s->seating);
	free(s);
	return rc;
}

int store_poll(struct store *s, struct store_result *r, int wait)
{
	if (wait)
		submit(s); /* what is waited for must reach the writer */
	pthread_mutex_lock(&s->mu);
	while (!s->rhead && wait && s->pending_docs > 0 && s->threaded)
		pthread_cond_wait(&s->cv_results, &s->mu);
	struct result_node *n = s->rhead;
	if (n) {
		s->rhead = n->next;
		if (!s->rhead)
			s->rtail = NULL;
		s->pending_docs--;
	}
	pthread_mutex_unlock(&s->mu);
	if (!n)
		return 0;
	*r = n->r;
	free(n);
	return 1;
}

/* ---- documents ---- */

static struct store_doc *new_doc(struct store *s)
{
	struct store_doc *d = xcalloc(1, sizeof *d);
	d->s = s;
	d->doc = s->next_doc++;
	pthread_mutex_lock(&s->mu);
	s->pending_docs++;
	pthread_mutex_unlock(&s->mu);
	return d;
}

struct store_doc *store_begin(struct store *s, const struct session_meta *m, int64_t tag)
{
	struct store_doc *d = new_doc(s);
	d->session_id = s->next_session++;
	d->base = d->session_id << 24;
	ENCODE(s, {
		e_op(e, OP_BEGIN, d->doc);
		e_i64(e, tag);
		e_i64(e, d->session_id);
		e_i64(e, m->wahlperiode);
		e_i64(e, m->sitzung);
		e_str(e, m->date);
		e_str(e, m->start_time);
		e_str(e, m->end_time);
		e_str(e, m->source);
		e_i64(e, (int64_t)getpid());
	});
	return d;
}

int64_t store_agenda_item(struct store_doc *d, const char *top_id)
{
	int ord = ++d->agenda_ord;
	int64_t id = d->base + ord;
	ENCODE(d->s, {
		e_op(e, OP_AGENDA, d->doc);
		e_i64(e, id);
		e_str(e, top_id ? top_id : "");
	});
	return id;
}

void store_agenda_title(struct store_doc *d, int64_t id, const char *title)
{
	ENCODE(d->s, {
		e_op(e, OP_AGENDA_TITLE, d->doc);
		e_i64(e, id);
		e_str(e, title);
	});
}

int64_t store_speech(struct store_doc *d, int64_t agenda_item_id, const char *rede_id)
{
	int ord = ++d->speech_ord;
	int64_t id = d->base + ord;
	d->speeches++;
	ENCODE(d->s, {
		e_op(e, OP_SPEECH, d->doc);
		e_i64(e, id);
		e_i64(e, agenda_item_id);
		e_str(e, rede_id);
	});
	return id;
}

void store_speech_speaker(struct store_doc *d, int64_t speech_id, int64_t person_id, int64_t turn_id)
{
	ENCODE(d->s, {
		e_op(e, OP_SPEECH_SPK, d->doc);
		e_i64(e, speech_id);
		e_i64(e, person_id);
		e_i64(e, turn_id);
	});
}

int64_t store_turn(struct store_doc *d, const struct turn_info *t)
{
	int64_t id = d->base + ++d->turns;
	ENCODE(d->s, {
		e_op(e, OP_TURN, d->doc);
		e_i64(e, id);
		e_i64(e, t->speech_id);
		e_str(e, t->role);
		e_i64(e, t->person_id);
		e_str(e, t->name ? t->name : "");
		e_str(e, t->faction_raw);
		e_str(e, t->faction ? faction_label(t->faction) : NULL);
		e_str(e, t->role_text);
		e_str(e, t->bdland);
		e_i64(e, t->government);
		e_str(e, t->receiver ? faction_label(t->receiver) : NULL);
	});
	return id;
}

static void encode_person(struct store_doc *d, int op, const struct person_info *p)
{
	ENCODE(d->s, {
		e_op(e, op, d->doc);
		e_i64(e, p->id);
		e_str(e, p->title);
		e_str(e, p->first_name);
		e_str(e, p->last_name);
		e_str(e, p->name_affix);
		e_str(e, p->place);
		e_str(e, p->role);
	});
}

void store_person(struct store_doc *d, const struct person_info *p)
{
	if (p->id > 0)
		encode_person(d, OP_PERSON, p);
}

void store_paragraph(struct store_doc *d, const char *part, int64_t agenda_item_id, int64_t speech_id,
		     int64_t turn_id, const char *klasse, const char *text)
{
	int seq = ++d->seq;
	ENCODE(d->s, {
		e_op(e, OP_PARA, d->doc);
		e_i64(e, d->base + seq);
		e_str(e, part);
		e_i64(e, agenda_item_id);
		e_i64(e, speech_id);
		e_i64(e, turn_id);
		e_str(e, klasse);
		e_str(e, text);
	});
}

int64_t store_kommentar(struct store_doc *d, const char *part, int64_t agenda_item_id, int64_t speech_id,
			int64_t turn_id, const char *text, const struct reaction_list *rl)
{
	int seq = ++d->seq;
	int64_t id = d->base + seq;
	size_t n = rl ? rl->n : 0;
	d->kommentare++;
	ENCODE(d->s, {
		e_op(e, OP_KOMM, d->doc);
		e_i64(e, id);
		e_str(e, part);
		e_i64(e, agenda_item_id);
		e_i64(e, speech_id);
		e_i64(e, turn_id);
		e_str(e, text);
		e_i64(e, (int64_t)n);
		for (size_t i = 0; i < n; i++) {
			e_i64(e, rl->v[i].kind);
			e_i64(e, rl->v[i].scope);
			e_i64(e, rl->v[i].faction);
			e_str(e, rl->v[i].person);
		}
	});
	return id;
}

void store_kommentar_turn(struct store_doc *d, int64_t kommentar_id, int64_t turn_id)
{
	ENCODE(d->s, {
		e_op(e, OP_KOMM_TURN, d->doc);
		e_i64(e, kommentar_id);
		e_i64(e, turn_id);
	});
}

void store_count_unmapped(struct store_doc *d) { d->unmapped++; }

void store_tally(struct store_doc *d, int kind, int scope, int giver, int receiver, const char *role, int government,
		 int64_t n)
{
	ENCODE(d->s, {
		e_op(e, OP_TALLY, d->doc);
		e_i64(e, d->session_id);
		e_str(e, reaction_kind_name(kind));
		e_str(e, reaction_scope_name(scope));
		e_str(e, faction_label(giver));
		e_str(e, faction_label(receiver));
		e_str(e, role);
		e_i64(e, government);
		e_i64(e, n);
	});
}

void store_speech_tally(struct store_doc *d, int64_t speech_id, int giver, int scope, int64_t n)
{
	ENCODE(d->s, {
		e_op(e, OP_STALLY, d->doc);
		e_i64(e, d->session_id);
		e_i64(e, speech_id);
		e_str(e, faction_label(giver));
		e_str(e, reaction_scope_name(scope));
		e_i64(e, n);
	});
}

void store_speech_applause(struct store_doc *d, int64_t speech_id, int64_t n)
{
	ENCODE(d->s, {
		e_op(e, OP_APPLAUSE, d->doc);
		e_i64(e, speech_id);
		e_i64(e, n);
	});
}

int store_seated(const struct store *s, const char *date, int out[]) { return seating_on(s->seating, date, out); }

int store_member_faction(const struct store *s, int64_t person_id, const char *date)
{
	return membership_faction(s->members, person_id, date);
}

void store_set_membership(struct store *s, struct membership *m)
{
	membership_free(s->members);
	s->members = m;
}

struct store_doc *store_begin_mdb(struct store *s, const char *source, int64_t tag)
{
	struct store_doc *d = new_doc(s);
	d->mdb = 1;
	ENCODE(s, {
		e_op(e, OP_MDB_BEGIN, d->doc);
		e_i64(e, tag);
		e_str(e, source);
	});
	return d;
}

void store_member(struct store_doc *d, const struct member_info *m)
{
	ENCODE(d->s, {
		e_op(e, OP_MEMBER, d->doc);
		e_i64(e, m->person_id);
		e_i64(e, m->wahlperiode);
		e_str(e, m->faction ? faction_label(m->faction) : NULL);
		e_str(e, m->faction_raw);
		e_str(e, m->from_date);
		e_str(e, m->to_date);
	});
}

void store_mdb_person(struct store_doc *d, const struct person_info *p)
{
	d->members++;
	encode_person(d, OP_MDB_PERSON, p);
}

void store_finish(struct store_doc *d, const char *hash, int64_t bytes, const struct fetch_info *fetch)
{
	ENCODE(d->s, {
		e_op(e, OP_FINISH, d->doc);
		e_str(e, hash);
		e_i64(e, bytes);
		e_i64(e, d->unmapped);
		e_i64(e, d->speeches);
		e_i64(e, d->kommentare);
		e_i64(e, d->members);
		e_str(e, fetch ? fetch->url : NULL);
		e_str(e, fetch ? fetch->etag : NULL);
		e_str(e, fetch ? fetch->last_modified : NULL);
	});
	free(d);
}

void store_abort(struct store_doc *d, const char *err)
{
	ENCODE(d->s, {
		e_op(e, OP_ABORT, d->doc);
		e_str(e, err);
	});
	free(d);
}
