/* Faction membership from the members' master data, in memory: who sat in which faction when.
 * Used while parsing, to credit reactions to members of the government (who speak without a
 * <fraktion>), and the seating plan of factions and groups to expand "the whole house". */
#ifndef BT_MEMBERSHIP_H
#define BT_MEMBERSHIP_H
#include <stdint.h>
#include "bt/db.h"
#include "bt/faction.h"

struct membership;

struct membership *membership_new(void);
/* Loads the membership table (canonical factions only); NULL on a read error. */
struct membership *membership_load(struct db *db);
void membership_add(struct membership *m, int64_t person_id, int faction, const char *from, const char *to);
/* Call after the last add, before lookups. */
void membership_sort(struct membership *m);
/* The person's faction on an ISO date; 0 if not known. */
int membership_faction(const struct membership *m, int64_t person_id, const char *date);
void membership_free(struct membership *m);

/* The factions and groups seated on a date (faction_seat); returns how many were written. */
struct seating;
struct seating *seating_load(struct db *db);
int seating_on(const struct seating *s, const char *date, int out[FACTION_COUNT]);
void seating_free(struct seating *s);

#endif
