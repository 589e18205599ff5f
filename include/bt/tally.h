/* Counting reactions while a protocol is parsed: who (giving faction, whole house expanded) reacted
 * how (kind, scope) to whom (the turn that held the floor). One count per kommentar, kind and
 * giving faction; where a faction appears with several scopes in one kommentar, the broadest
 * counts. At the end the counts are written as the tally (per receiving faction, for the
 * matrices) and the speech tally (applause per speech, for top-speeches). */
#ifndef BT_TALLY_H
#define BT_TALLY_H
#include <stdint.h>
#include "bt/reaction.h"
#include "bt/store.h"

enum turn_role { ROLE_MAIN, ROLE_ZWISCHENFRAGE, ROLE_CHAIR, ROLE_MEMBER, ROLE_COUNT };
const char *turn_role_name(int role);

struct tally;

/* seated: the factions and groups that "the whole house" stands for on this session's date */
struct tally *tally_new(const int *seated, int nseated);
void tally_free(struct tally *t);
/* Registers a turn, returns its index. receiver: the faction credited (0 if none). */
int tally_turn(struct tally *t, int64_t speech_id, int role, int government, int receiver);
/* Credits a kommentar's reactions to turn index ti. */
void tally_credit(struct tally *t, int ti, const struct reaction_list *rl);
/* Holds a kommentar's reactions back until tally_release() names who received them. */
void tally_hold(struct tally *t, const struct reaction_list *rl);
void tally_release(struct tally *t, int ti);
/* Writes the counts of this protocol to the store. */
void tally_emit(struct tally *t, struct store_doc *d);

#endif
