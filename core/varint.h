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

static inline uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

#endif
