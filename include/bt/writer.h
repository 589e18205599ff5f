/* The writer side of the store pipeline: executes encoded operations on SQLite. Internal to
 * store.c and writer.c. */
#ifndef BT_WRITER_H
#define BT_WRITER_H
#include <stddef.h>
#include <stdint.h>
#include "bt/db.h"
#include "bt/store.h"

enum op {
	OP_BEGIN = 1,
	OP_AGENDA,
	OP_AGENDA_TITLE,
	OP_SPEECH,
	OP_SPEECH_SPK,
	OP_TURN,
	OP_PERSON,
	OP_PARA,
	OP_KOMM,
	OP_KOMM_TURN,
	OP_FINISH,
	OP_ABORT,
	OP_MDB_BEGIN,
	OP_MEMBER,
	OP_MDB_PERSON,
	OP_TALLY,
	OP_STALLY,
	OP_APPLAUSE,
};

struct writer;

/* Called by the writer for each finished document. */
typedef void (*writer_result_fn)(void *ud, const struct store_result *r);

struct writer *writer_new(struct db *db, writer_result_fn fn, void *ud);
/* Executes the operations in buf (a sequence of encoded ops). */
void writer_run(struct writer *w, const unsigned char *buf, size_t len);
/* Rolls back what is open; returns -1 if a database error could not be contained. */
int writer_free(struct writer *w);
/* Why, when writer_free() returned -1 (valid until then). */
const char *writer_error(const struct writer *w);

/* Encoding shared by both sides: op byte, doc id, then fields. Integers are 8 bytes (host order),
 * strings a 4-byte length (0xFFFFFFFF for NULL) and the bytes. */
#define STR_NULL 0xFFFFFFFFu

#endif
