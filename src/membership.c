/* Membership and seating tables in memory: sorted arrays, binary search by person. */
#include "bt/membership.h"
#include "bt/util.h"
#include <string.h>

struct mrow {
	int64_t person;
	int faction;
	char from[11], to[11];
};

struct membership {
	struct mrow *v;
	size_t n, cap;
};

struct membership *membership_new(void) { return xcalloc(1, sizeof(struct membership)); }

void membership_add(struct membership *m, int64_t person, int faction, const char *from, const char *to)
{
	if (!faction || !from || !to)
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->v = xrealloc(m->v, m->cap * sizeof *m->v);
	}
	struct mrow *r = &m->v[m->n++];
	r->person = person;
	r->faction = faction;
	snprintf(r->from, sizeof r->from, "%s", from);
	snprintf(r->to, sizeof r->to, "%s", to);
}

static int cmp_row(const void *a, const void *b)
{
	const struct mrow *x = a, *y = b;
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	return strcmp(x->from, y->from);
}

void membership_sort(struct membership *m)
{
	if (m->n > 1)
		qsort(m->v, m->n, sizeof *m->v, cmp_row);
}

struct membership *membership_load(struct db *db)
{
	struct membership *m = membership_new();
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->h,
			       "SELECT person_id, faction, from_date, to_date FROM membership WHERE faction IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK) {
		membership_free(m);
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		membership_add(m, sqlite3_column_int64(st, 0),
			       faction_from_label((const char *)sqlite3_column_text(st, 1)),
			       (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	membership_sort(m);
	return m;
}

int membership_faction(const struct membership *m, int64_t person, const char *date)
{
	if (!m || person <= 0 || !date)
		return 0;
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->v[mid].person < person)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the latest stint that covers the date, as the SQL derivation does */
	int found = 0;
	for (size_t i = lo; i < m->n && m->v[i].person == person; i++)
		if (strcmp(date, m->v[i].from) >= 0 && strcmp(date, m->v[i].to) <= 0)
			found = m->v[i].faction;
	return found;
}


void membership_free(struct membership *m)
{
	if (!m)
		return;
	free(m->v);
	free(m);
}

struct seat {
	int faction;
	char from[11], to[11];
};

struct seating {
	struct seat *v;
	size_t n;
};

struct seating *seating_load(struct db *db)
{
	struct seating *s = xcalloc(1, sizeof *s);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->h, "SELECT faction, from_date, to_date FROM faction_seat", -1, &st, NULL) !=
	    SQLITE_OK) {
		free(s);
		return NULL;
	}
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (s->n == cap) {
			cap = cap ? cap * 2 : 16;
			s->v = xrealloc(s->v, cap * sizeof *s->v);
		}
		struct seat *r = &s->v[s->n++];
		r->faction = faction_from_label((const char *)sqlite3_column_text(st, 0));
		snprintf(r->from, sizeof r->from, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(r->to, sizeof r->to, "%s", (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	return s;
}

int seating_on(const struct seating *s, const char *date, int out[FACTION_COUNT])
{
	int n = 0;
	for (size_t i = 0; s && i < s->n; i++) {
		if (!s->v[i].faction || strcmp(date, s->v[i].from) < 0 || strcmp(date, s->v[i].to) > 0)
			continue;
		int dup = 0;
		for (int k = 0; k < n; k++)
			dup |= out[k] == s->v[i].faction;
		if (!dup && n < FACTION_COUNT)
			out[n++] = s->v[i].faction;
	}
	return n;
}

void seating_free(struct seating *s)
{
	if (!s)
		return;
	free(s->v);
	free(s);
}
