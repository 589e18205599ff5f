/* Reads ZIP archives in place (from a file or a memory buffer): entries are inflated with zlib
 * and streamed chunk by chunk to a callback, never extracted to disk or held whole in memory. */
#ifndef BT_ZIP_H
#define BT_ZIP_H
#include <stddef.h>
#include <stdint.h>
#include "bt/strbuf.h"

struct zip_entry {
	char *name;
	uint32_t crc;
	uint64_t csize, usize;
	uint16_t method; /* 0 stored, 8 deflated */
	uint64_t local_offset;
};

struct zip_archive;

/* Returns NULL and fills err on failure. */
struct zip_archive *zip_open_file(const char *path, struct strbuf *err);
struct zip_archive *zip_open_memory(const void *data, size_t len, struct strbuf *err);
void zip_close(struct zip_archive *z);
size_t zip_count(const struct zip_archive *z);
const struct zip_entry *zip_entry_at(const struct zip_archive *z, size_t i);

/* Called with each inflated chunk; a non-zero return stops the stream (returned as is). */
typedef int (*zip_chunk_fn)(void *ud, const char *buf, size_t n);

/* Streams entry i; returns 0, the callback's non-zero value, or -1 with err filled
 * (corrupt data, CRC or size mismatch, unsupported method). */
int zip_stream(struct zip_archive *z, size_t i, zip_chunk_fn fn, void *ud, struct strbuf *err);

/* True if the first bytes look like a ZIP local header. */
int zip_magic(const void *head, size_t n);

#endif
