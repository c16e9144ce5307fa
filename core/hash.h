/*
 * hash.h — the seeded 64-bit hash the map model uses in place of Go's
 * memhash/aeshash (runtime/alg.go).
 *
 * Go hashes keys with AES instructions and a per-process random key, so its
 * exact values cannot (and need not) be reproduced; what the map depends on
 * is that the hash is a good 64-bit mix of every key byte and the map's
 * hash0.  Invariant: hash_bytes is a pure function of (bytes, length, seed):
 * the same seed gives the same hash on every host, so traces are
 * byte-identical.
 */
#ifndef GMV_HASH_H
#define GMV_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Murmur3's finaliser: every input bit affects every output bit. */
static inline uint64_t hash_fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

/* The hash of an 8-byte key (the memhash64 of map_fast64.go). */
static inline uint64_t hash_u64(uint64_t key, uint64_t seed)
{
    return hash_fmix64(key ^ hash_fmix64(seed + 0x9e3779b97f4a7c15ull));
}

/* The hash of n bytes at p with seed; models t.hasher(key, h.hash0). */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);

#endif
