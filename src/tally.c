/* Per-protocol reaction counts, kept in small hash tables; see tally.h for the counting rule. */
#include "bt/tally.h"
#include "bt/faction.h"
#include "bt/util.h"
#include <string.h>

static const char *const role_names[ROLE_COUNT] = { "main", "zwischenfrage", "chair", "member" };
const char *turn_role_name(int r) { return r >= 0 && r < ROLE_COUNT ? role_names[r] : ""; }

/* uint64 -> int64 counter map, open addressing; key 0 is never used (keys are offset by 1). */
struct map {
	uint64_t *k;
	int64_t *v;
	size_t cap, n;
};

static void map_add(struct map *m, uint64_t key, int64_t by);

static void map_grow(struct map *m)
{
	struct map old = *m;
	m->cap = old.cap ? old.cap * 2 : 256;
	m->k = xcalloc(m->cap, sizeof *m->k);
	m->v = xcalloc(m->cap, sizeof *m->v);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.k[i])
			map_add(m, old.k[i] - 1, old.v[i]);
	free(old.k);
	free(old.v);
}

static void map_add(struct map *m, uint64_t key, int64_t by)
{
	if ((m->n + 1) * 2 > m->cap)
		map_grow(m);
	key += 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 17) & (m->cap - 1);
	while (m->k[i] && m->k[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->k[i]) {
		m->k[i] = key;
		m->n++;
	}
	m->v[i] += by;
}

static void map_free(struct map *m)
{
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof *m);
}

struct turn {
	int64_t speech_id;
	int role, government, receiver;
};

/* one kommentar's contribution: (kind, giver) -> broadest scope */
struct contrib {
	unsigned char kind, giver, scope;
};

struct tally {
	int seated[FACTION_COUNT];
	int nseated;
	struct turn *turns;
	size_t nturns, capturns;
	struct map acc; /* (turn, kind, giver, scope) -> n */
	struct contrib *held;
	size_t nheld, capheld;
};

struct tally *tally_new(const int *seated, int nseated)
{
	struct tally *t = xcalloc(1, sizeof *t);
	for (int i = 0; i < nseated && i < FACTION_COUNT; i++)
		t->seated[t->nseated++] = seated[i];
	return t;
}

void tally_free(struct tally *t)
{
	if (!t)
		return;
	free(t->turns);
	free(t->held);
	map_free(&t->acc);
	free(t);
}

int tally_turn(struct tally *t, int64_t speech_id, int role, int government, int receiver)
{
	if (t->nturns == t->capturns) {
		t->capturns = t->capturns ? t->capturns * 2 : 256;
		t->turns = xrealloc(t->turns, t->capturns * sizeof *t->turns);
	}
	t->turns[t->nturns] = (struct turn){ speech_id, role, government, receiver };
	return (int)t->nturns++;
}

/* The kommentar's (kind, giver, broadest scope) set, whole house expanded. */
static size_t contributions(const struct tally *t, const struct reaction_list *rl, struct contrib *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < rl->n; i++) {
		const struct reaction *r = &rl->v[i];
		int givers[FACTION_COUNT], ng = 0;
		if (r->faction == REACTION_HOUSE) {
			for (int k = 0; k < t->nseated; k++)
				givers[ng++] = t->seated[k];
		} else if (r->faction > 0 && r->faction < FACTION_COUNT) {
			givers[ng++] = r->faction;
		}
		for (int g = 0; g < ng; g++) {
			size_t j = 0;
			while (j < n && !(out[j].kind == r->kind && out[j].giver == givers[g]))
				j++;
			if (j == n) {
				if (n == cap)
					continue;
				out[n++] = (struct contrib){ (unsigned char)r->kind, (unsigned char)givers[g],
							     (unsigned char)r->scope };
			} else if (r->scope < out[j].scope) {
				out[j].scope = (unsigned char)r->scope; /* full < partial < individual */
			}
		}
	}
	return n;
}

static uint64_t acc_key(int ti, int kind, int giver, int scope)
{
	return (uint64_t)ti << 16 | (uint64_t)kind << 8 | (uint64_t)giver << 2 | (uint64_t)scope;
}

enum { MAX_CONTRIB = RK_COUNT * FACTION_COUNT };

void tally_credit(struct tally *t, int ti, const struct reaction_list *rl)
{
	if (ti < 0 || (size_t)ti >= t->nturns)
		return;
	struct contrib c[MAX_CONTRIB];
	size_t n = contributions(t, rl, c, MAX_CONTRIB);
	for (size_t i = 0; i < n; i++)
		map_add(&t->acc, acc_key(ti, c[i].kind, c[i].giver, c[i].scope), 1);
}

void tally_hold(struct tally *t, const struct reaction_list *rl)
{
	struct contrib c[MAX_CONTRIB];
	size_t n = contributions(t, rl, c, MAX_CONTRIB);
	if (t->nheld + n + 1 > t->capheld) {
		t->capheld = (t->nheld + n + 1) * 2;
		t->held = xrealloc(t->held, t->capheld * sizeof *t->held);
	}
	memcpy(t->held + t->nheld, c, n * sizeof *c);
	t->nheld += n;
}

void tally_release(struct tally *t, int ti)
{
	if (ti >= 0 && (size_t)ti < t->nturns)
		for (size_t i = 0; i < t->nheld; i++)
			map_add(&t->acc, acc_key(ti, t->held[i].kind, t->held[i].giver, t->held[i].scope), 1);
	t->nheld = 0;
}

void tally_emit(struct tally *t, struct store_doc *d)
{
	struct map rows = { 0 }, speech = { 0 }, applause = { 0 };
	for (size_t i = 0; i < t->acc.cap; i++) {
		if (!t->acc.k[i])
			continue;
		uint64_t k = t->acc.k[i] - 1;
		int ti = (int)(k >> 16), kind = (int)(k >> 8 & 0xFF), giver = (int)(k >> 2 & 0x3F), scope = (int)(k & 3);
		int64_t n = t->acc.v[i];
		const struct turn *tu = &t->turns[ti];
		map_add(&rows,
			(uint64_t)kind << 24 | (uint64_t)scope << 20 | (uint64_t)giver << 14 | (uint64_t)tu->receiver << 8 |
				(uint64_t)tu->role << 4 | (uint64_t)tu->government,
			n);
		if (kind == RK_BEIFALL && tu->role == ROLE_MAIN && tu->speech_id > 0) {
			map_add(&speech, (uint64_t)tu->speech_id << 8 | (uint64_t)giver << 2 | (uint64_t)scope, n);
			map_add(&applause, (uint64_t)tu->speech_id, n);
		}
	}
	for (size_t i = 0; i < rows.cap; i++) {
		if (!rows.k[i])
			continue;
		uint64_t k = rows.k[i] - 1;
		store_tally(d, (int)(k >> 24 & 0xFF), (int)(k >> 20 & 0xF), (int)(k >> 14 & 0x3F), (int)(k >> 8 & 0x3F),
			    turn_role_name((int)(k >> 4 & 0xF)), (int)(k & 0xF), rows.v[i]);
	}
	for (size_t i = 0; i < speech.cap; i++) {
		if (!speech.k[i])
			continue;
		uint64_t k = speech.k[i] - 1;
		store_speech_tally(d, (int64_t)(k >> 8), (int)(k >> 2 & 0x3F), (int)(k & 3), speech.v[i]);
	}
	for (size_t i = 0; i < applause.cap; i++)
		if (applause.k[i])
			store_speech_applause(d, (int64_t)(applause.k[i] - 1), applause.v[i]);
	map_free(&rows);
	map_free(&speech);
	map_free(&applause);
}
