/* Streaming XXH64: the content hash of a protocol (change detection, not security). */
#ifndef BT_HASH64_H
#define BT_HASH64_H
#include <stddef.h>
#include <stdint.h>

struct hash64 {
	uint64_t v[4];
	uint64_t total;
	unsigned char buf[32];
	size_t buflen;
};

void hash64_init(struct hash64 *h);
void hash64_update(struct hash64 *h, const void *data, size_t n);
uint64_t hash64_final(const struct hash64 *h);

/* The content hash of a document: line ends normalised (CR dropped) and a leading BOM skipped,
 * so the same protocol published with CRLF or LF hashes the same. */
struct content_hash {
	struct hash64 h;
	int started;
};
void content_hash_init(struct content_hash *c);
void content_hash_update(struct content_hash *c, const char *data, size_t n);
/* 16 lower-case hex digits + NUL */
void content_hash_hex(const struct content_hash *c, char out[17]);

#endif
