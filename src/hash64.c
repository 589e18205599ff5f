/* XXH64 (Yann Collet's public algorithm), streaming form. */
#include "bt/hash64.h"
#include <stdio.h>
#include <string.h>

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v; /* little-endian hosts only; the hash is stored, so the choice is fixed */
}

static inline uint32_t rd32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t round64(uint64_t acc, uint64_t in)
{
	acc += in * P2;
	acc = rotl(acc, 31);
	return acc * P1;
}

static inline uint64_t merge(uint64_t acc, uint64_t v)
{
	acc ^= round64(0, v);
	return acc * P1 + P4;
}

void hash64_init(struct hash64 *h)
{
	memset(h, 0, sizeof *h);
	h->v[0] = P1 + P2;
	h->v[1] = P2;
	h->v[2] = 0;
	h->v[3] = (uint64_t)0 - P1;
}

static void stripe(struct hash64 *h, const unsigned char *p)
{
	h->v[0] = round64(h->v[0], rd64(p));
	h->v[1] = round64(h->v[1], rd64(p + 8));
	h->v[2] = round64(h->v[2], rd64(p + 16));
	h->v[3] = round64(h->v[3], rd64(p + 24));
}

void hash64_update(struct hash64 *h, const void *data, size_t n)
{
	const unsigned char *p = data;
	h->total += n;
	if (h->buflen) {
		size_t k = 32 - h->buflen;
		if (k > n)
			k = n;
		memcpy(h->buf + h->buflen, p, k);
		h->buflen += k;
		p += k;
		n -= k;
		if (h->buflen < 32)
			return;
		stripe(h, h->buf);
		h->buflen = 0;
	}
	while (n >= 32) {
		stripe(h, p);
		p += 32;
		n -= 32;
	}
	memcpy(h->buf, p, n);
	h->buflen = n;
}

uint64_t hash64_final(const struct hash64 *h)
{
	uint64_t r;
	if (h->total >= 32) {
		r = rotl(h->v[0], 1) + rotl(h->v[1], 7) + rotl(h->v[2], 12) + rotl(h->v[3], 18);
		for (int i = 0; i < 4; i++)
			r = merge(r, h->v[i]);
	} else {
		r = h->v[2] + P5;
	}
	r += h->total;
	const unsigned char *p = h->buf;
	size_t n = h->buflen;
	while (n >= 8) {
		r ^= round64(0, rd64(p));
		r = rotl(r, 27) * P1 + P4;
		p += 8;
		n -= 8;
	}
	if (n >= 4) {
		r ^= (uint64_t)rd32(p) * P1;
		r = rotl(r, 23) * P2 + P3;
		p += 4;
		n -= 4;
	}
	while (n--) {
		r ^= (*p++) * P5;
		r = rotl(r, 11) * P1;
	}
	r ^= r >> 33;
	r *= P2;
	r ^= r >> 29;
	r *= P3;
	r ^= r >> 32;
	return r;
}

void content_hash_init(struct content_hash *c)
{
	hash64_init(&c->h);
	c->started = 0;
}

void content_hash_update(struct content_hash *c, const char *data, size_t n)
{
	if (!c->started && n > 0) {
		/* Skip a leading UTF-8 BOM (the first chunk is always at least 3 bytes long in practice;
		 * a BOM split across chunks is simply hashed). */
		if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
			data += 3;
			n -= 3;
		}
		c->started = 1;
	}
	while (n > 0) {
		const char *cr = memchr(data, '\r', n);
		size_t k = cr ? (size_t)(cr - data) : n;
		hash64_update(&c->h, data, k);
		if (!cr)
			break;
		data += k + 1;
		n -= k + 1;
	}
}

void content_hash_hex(const struct content_hash *c, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)hash64_final(&c->h));
}
