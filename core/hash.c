/*
 * hash.c — hash_bytes: 8 bytes at a time through a multiply-rotate round,
 * then the tail, then a finaliser (the structure of MurmurHash3/xxHash).
 *
 * Invariant: see hash.h.  Loads go through memcpy, so any alignment works
 * and the result does not depend on the host's alignment rules; bytes are
 * combined little-endian explicitly so it does not depend on byte order.
 */
#include "hash.h"

static uint64_t load_le(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint64_t rotl(uint64_t x, unsigned r)
{
    return x << r | x >> (64 - r);
}

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *b = p;
    if (n == 8)
        return hash_u64(load_le(b, 8), seed); /* the common int64 key */
    uint64_t h = hash_fmix64(seed + 0x9e3779b97f4a7c15ull) ^ (n * 0x87c37b91114253d5ull);
    for (; n >= 8; b += 8, n -= 8) {
        uint64_t k = load_le(b, 8) * 0x87c37b91114253d5ull;
        h ^= rotl(k, 31) * 0x4cf5ad432745937full;
        h = rotl(h, 27) * 5 + 0x52dce729;
    }
    if (n > 0) {
        uint64_t k = load_le(b, n) * 0x4cf5ad432745937full;
        h ^= rotl(k, 33) * 0x87c37b91114253d5ull;
    }
    return hash_fmix64(h);
}
