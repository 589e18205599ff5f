/* The reaction grammar (DESIGN.md section 2): a kommentar text becomes rows
 * (kind, scope, faction, person). */
#ifndef BT_REACTION_H
#define BT_REACTION_H
#include <stddef.h>

enum reaction_kind {
	RK_BEIFALL,
	RK_ZURUF,
	RK_HEITERKEIT,
	RK_LACHEN,
	RK_WIDERSPRUCH,
	RK_ZUSTIMMUNG,
	RK_UNRUHE,
	RK_COUNT
};

enum reaction_scope { RS_FULL, RS_PARTIAL, RS_INDIVIDUAL, RS_COUNT };

/* faction: FACTION_* from faction.h, 0 for none, REACTION_HOUSE for the whole house ('*'). */
#define REACTION_HOUSE 99

struct reaction {
	int kind;
	int scope;
	int faction;
	char person[120];
};

struct reaction_list {
	struct reaction *v;
	size_t n, cap;
};

/* Parses one kommentar text (with or without the enclosing parentheses); replaces out's rows. */
void reaction_parse(const char *text, struct reaction_list *out);
void reaction_list_free(struct reaction_list *l);
/* The same, remembering recent texts: about half of all kommentare repeat an earlier one
 * ("(Beifall bei der AfD)"). Not thread-safe: for the one parsing thread. */
void reaction_parse_cached(const char *text, size_t len, struct reaction_list *out);

const char *reaction_kind_name(int kind);
int reaction_kind_from_name(const char *name); /* -1 if unknown */
const char *reaction_scope_name(int scope);
int reaction_scope_from_name(const char *name); /* -1 if unknown */
/* "CDU/CSU", "*", or "" */
const char *reaction_faction_label(int faction);

#endif
