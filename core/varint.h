/*
 * varint.h — LEB128 unsigned varints and zigzag signed ones.
 *
 * Invariant: an encoded varint is at most 10 bytes; the decoder never reads
 * past `end` and rejects encodings longer than 10 bytes.
 */
#ifndef GMV_VARINT_H
#define GMV_VARINT_H

#include <stdint.h>

#define VARINT_MAX 10

static inline uint8_t *varint_put(uint8_t *p, uint64_t v)
{
    if (v < 0x80) { /* most fields */
        *p = (uint8_t)v;
        return p + 1;
    }
    if (v < 0x4000) { /* most address deltas */
        p[0] = (uint8_t)(v | 0x80);
        p[1] = (uint8_t)(v >> 7);
        return p + 2;
    }
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

/* Returns the position after the varint, or NULL if it is truncated or too
 * long. */
static inline const uint8_t *varint_get(const uint8_t *p, const uint8_t *end,
                                        uint64_t *out)
{
    if (end - p >= VARINT_MAX) { /* far from the end: no per-byte checks */
        uint64_t b = p[0], v;
        if (b < 0x80) {
            *out = b;
            return p + 1;
        }
        v = b & 0x7f;
        b = p[1];
        v |= (b & 0x7f) << 7;
        if (b < 0x80) {
            *out = v;
            return p + 2;
        }
        for (unsigned i = 2, shift = 14; i < VARINT_MAX; i++, shift += 7) {
            b = p[i];
            v |= (b & 0x7f) << shift;
            if (b < 0x80) {
                *out = v;
                return p + i + 1;
            }
        }
        return NULL;
    }
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
        if (p >= end)
            return NULL;
        uint8_t b = *p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return p;
        }
    }
    return NULL;
}

/*
 * Branchless forms for the event hot paths.  A varint's length in a trace is
 * as random as the address deltas it carries, so the branches of the plain
 * forms mispredict; these write or read a whole word and pick the length
 * arithmetically.  They fall back to the plain forms past 28 bits (4 bytes),
 * which is rare, and on big-endian hosts, where the word trick does not
 * match the byte order of the format.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VARINT_WORD_TRICK 1
#else
#define VARINT_WORD_TRICK 0
#endif

/* Like varint_put, but may write up to 4 bytes past the varint's end
 * (VARINT_SLACK): the caller's buffer must have that room. */
#define VARINT_SLACK 4
static inline uint8_t *varint_put_fast(uint8_t *p, uint64_t v)
{
    if (!VARINT_WORD_TRICK || __builtin_expect(v >= (1u << 28), 0))
        return varint_put(p, v);
    static const uint8_t len_of_bits[33] = {
        1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3,
        3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5};
    static const uint32_t cont[5] = {0, 0, 0x80, 0x8080, 0x808080};
    uint32_t x = (uint32_t)v;
    uint32_t w = (x & 0x7f) | (x << 1 & 0x7f00) | (x << 2 & 0x7f0000) |
                 (x << 3 & 0x7f000000);
    unsigned len = len_of_bits[32 - __builtin_clz(x | 1)];
    w |= cont[len];
    __builtin_memcpy(p, &w, 4);
    return p + len;
}

/* Like varint_get, for a p with at least 8 readable bytes after it (the
 * caller checks once per event instead of once per byte). */
const uint8_t *varint_get_slow(const uint8_t *p, const uint8_t *end,
                               uint64_t *out); /* varint_get, out of line */

static inline __attribute__((always_inline)) const uint8_t *
varint_get_fast(const uint8_t *p, const uint8_t *end, uint64_t *out)
{
    if (!VARINT_WORD_TRICK)
        return varint_get(p, end, out);
    uint64_t x;
    __builtin_memcpy(&x, p, 8);
    uint64_t stop = ~x & 0x80808080u; /* end bits in the first 4 bytes */
    if (__builtin_expect(stop == 0, 0))
        return varint_get_slow(p, end, out);
    unsigned t = (unsigned)__builtin_ctzll(stop); /* 7, 15, 23 or 31 */
    x &= (2ull << t) - 1;
    *out = (x & 0x7f) | (x >> 1 & 0x3f80) | (x >> 2 & 0x1fc000) |
           (x >> 3 & 0xfe00000);
    return p + (t + 1) / 8;
}

/* For fields that are nearly always one byte: test that byte first. */
static inline __attribute__((always_inline)) const uint8_t *varint_get_small(const uint8_t *p,
                                              const uint8_t *end, uint64_t *out)
{
    if (__builtin_expect(*p < 0x80, 1)) {
        *out = *p;
        return p + 1;
    }
    return varint_get_fast(p, end, out);
}

static inline uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

#endif
