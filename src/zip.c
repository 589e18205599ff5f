/* ZIP reader: central directory first (so entries with data descriptors work), then each entry
 * streamed through zlib's raw inflate with CRC-32 and size checks. No ZIP64: protocol archives are
 * far below 4 GB; an archive that needs ZIP64 is reported as unsupported. */
#include "bt/zip.h"
#include "bt/util.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct zip_archive {
	int fd;                   /* -1 for memory archives */
	const unsigned char *mem; /* memory archive */
	uint64_t size;
	struct zip_entry *entries;
	size_t n;
};

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int zip_magic(const void *head, size_t n) { return n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0; }

/* Reads exactly n bytes at off; returns 0 or -1. */
static int read_at(struct zip_archive *z, uint64_t off, void *buf, size_t n)
{
	if (off > z->size || n > z->size - off)
		return -1;
	if (z->mem) {
		memcpy(buf, z->mem + off, n);
		return 0;
	}
	size_t done = 0;
	while (done < n) {
		ssize_t r = pread(z->fd, (char *)buf + done, n - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

static int read_directory(struct zip_archive *z, struct strbuf *err)
{
	/* The end-of-central-directory record sits in the last 22 + 65535 bytes. */
	uint64_t tail = z->size < 22 + 65535 ? z->size : 22 + 65535;
	if (z->size < 22) {
		sb_adds(err, "not a ZIP archive (too short)");
		return -1;
	}
	unsigned char *buf = xmalloc(tail);
	if (read_at(z, z->size - tail, buf, tail) < 0) {
		free(buf);
		sb_adds(err, "cannot read archive");
		return -1;
	}
	long eocd = -1;
	for (long i = (long)tail - 22; i >= 0; i--)
		if (le32(buf + i) == 0x06054b50) {
			eocd = i;
			break;
		}
	if (eocd < 0) {
		free(buf);
		sb_adds(err, "not a ZIP archive or truncated (no end of central directory)");
		return -1;
	}
	uint16_t count = le16(buf + eocd + 10);
	uint32_t cd_size = le32(buf + eocd + 12), cd_off = le32(buf + eocd + 16);
	free(buf);
	if (count == 0xFFFF || cd_off == 0xFFFFFFFFu) {
		sb_adds(err, "ZIP64 archives are not supported");
		return -1;
	}
	if ((uint64_t)cd_off + cd_size > z->size) {
		sb_adds(err, "truncated ZIP archive (central directory beyond end of file)");
		return -1;
	}
	unsigned char *cd = xmalloc(cd_size ? cd_size : 1);
	if (read_at(z, cd_off, cd, cd_size) < 0) {
		free(cd);
		sb_adds(err, "cannot read central directory");
		return -1;
	}
	z->entries = xcalloc(count, sizeof *z->entries);
	size_t p = 0;
	for (uint16_t i = 0; i < count; i++) {
		if (p + 46 > cd_size || le32(cd + p) != 0x02014b50) {
			free(cd);
			sb_adds(err, "corrupt central directory");
			return -1;
		}
		struct zip_entry *e = &z->entries[z->n];
		e->method = le16(cd + p + 10);
		e->crc = le32(cd + p + 16);
		e->csize = le32(cd + p + 20);
		e->usize = le32(cd + p + 24);
		uint16_t nlen = le16(cd + p + 28), xlen = le16(cd + p + 30), clen = le16(cd + p + 32);
		e->local_offset = le32(cd + p + 42);
		if (p + 46 + nlen + xlen + clen > cd_size) {
			free(cd);
			sb_adds(err, "corrupt central directory");
			return -1;
		}
		e->name = xstrndup((const char *)cd + p + 46, nlen);
		z->n++;
		p += 46 + (size_t)nlen + xlen + clen;
	}
	free(cd);
	return 0;
}

static struct zip_archive *finish_open(struct zip_archive *z, struct strbuf *err)
{
	if (read_directory(z, err) < 0) {
		zip_close(z);
		return NULL;
	}
	return z;
}

struct zip_archive *zip_open_file(const char *path, struct strbuf *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		sb_addf(err, "%s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		sb_addf(err, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	struct zip_archive *z = xcalloc(1, sizeof *z);
	z->fd = fd;
	z->size = (uint64_t)st.st_size;
	return finish_open(z, err);
}

struct zip_archive *zip_open_memory(const void *data, size_t len, struct strbuf *err)
{
	struct zip_archive *z = xcalloc(1, sizeof *z);
	z->fd = -1;
	z->mem = data;
	z->size = len;
	return finish_open(z, err);
}

void zip_close(struct zip_archive *z)
{
	if (!z)
		return;
	if (z->fd >= 0)
		close(z->fd);
	for (size_t i = 0; i < z->n; i++)
		free(z->entries[i].name);
	free(z->entries);
	free(z);
}

size_t zip_count(const struct zip_archive *z) { return z->n; }
const struct zip_entry *zip_entry_at(const struct zip_archive *z, size_t i) { return &z->entries[i]; }

enum { IN_CHUNK = 64 * 1024, OUT_CHUNK = 256 * 1024 };

int zip_stream(struct zip_archive *z, size_t i, zip_chunk_fn fn, void *ud, struct strbuf *err)
{
	const struct zip_entry *e = &z->entries[i];
	unsigned char lh[30];
	if (read_at(z, e->local_offset, lh, 30) < 0 || le32(lh) != 0x04034b50) {
		sb_adds(err, "corrupt ZIP entry (bad local header)");
		return -1;
	}
	uint64_t off = e->local_offset + 30 + le16(lh + 26) + le16(lh + 28);
	if (off + e->csize > z->size) {
		sb_adds(err, "truncated ZIP entry");
		return -1;
	}
	if (e->method != 0 && e->method != 8) {
		sb_addf(err, "unsupported ZIP compression method %u", e->method);
		return -1;
	}
	unsigned char *in = xmalloc(IN_CHUNK), *out = xmalloc(OUT_CHUNK);
	uLong crc = crc32(0L, Z_NULL, 0);
	uint64_t produced = 0, left = e->csize;
	int ret = 0, zinit = 0;
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (e->method == 8) {
		if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
			sb_adds(err, "cannot initialise zlib");
			ret = -1;
			goto out;
		}
		zinit = 1;
	}
	int zstatus = Z_OK;
	while (left > 0 || (e->method == 8 && zstatus != Z_STREAM_END && zs.avail_in > 0)) {
		size_t want = left < IN_CHUNK ? (size_t)left : IN_CHUNK;
		if (want > 0) {
			if (read_at(z, off, in, want) < 0) {
				sb_adds(err, "cannot read ZIP entry");
				ret = -1;
				goto out;
			}
			off += want;
			left -= want;
		}
		if (e->method == 0) {
			crc = crc32(crc, in, (uInt)want);
			produced += want;
			if ((ret = fn(ud, (const char *)in, want)) != 0)
				goto out;
			continue;
		}
		zs.next_in = in;
		zs.avail_in = (uInt)want;
		do {
			zs.next_out = out;
			zs.avail_out = OUT_CHUNK;
			zstatus = inflate(&zs, Z_NO_FLUSH);
			if (zstatus != Z_OK && zstatus != Z_STREAM_END && zstatus != Z_BUF_ERROR) {
				sb_addf(err, "corrupt ZIP entry (%s)", zs.msg ? zs.msg : "inflate failed");
				ret = -1;
				goto out;
			}
			size_t got = OUT_CHUNK - zs.avail_out;
			if (got) {
				crc = crc32(crc, out, (uInt)got);
				produced += got;
				if ((ret = fn(ud, (const char *)out, got)) != 0)
					goto out;
			}
			if (zstatus == Z_BUF_ERROR && got == 0)
				break;
		} while (zs.avail_out == 0 && zstatus != Z_STREAM_END);
		if (zstatus == Z_STREAM_END)
			break;
		if (want == 0)
			break;
	}
	if (e->method == 8 && zstatus != Z_STREAM_END) {
		sb_adds(err, "corrupt ZIP entry (deflate stream ends early)");
		ret = -1;
	} else if (produced != e->usize) {
		sb_addf(err, "corrupt ZIP entry (size %llu, expected %llu)", (unsigned long long)produced,
			(unsigned long long)e->usize);
		ret = -1;
	} else if ((uint32_t)crc != e->crc) {
		sb_adds(err, "corrupt ZIP entry (CRC-32 mismatch)");
		ret = -1;
	}
out:
	if (zinit)
		inflateEnd(&zs);
	free(in);
	free(out);
	return ret;
}
