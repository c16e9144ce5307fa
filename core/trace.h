/*
 * trace.h — the Tracer: records events into a .gmvt file (format v3,
 * docs/trace-format.md) or into a null sink.
 *
 * Model code records through the TRACE() macro, which checks the number of
 * fields against the schema at compile time and compiles to nothing when
 * GMV_NO_TRACE is defined.  A NULL Tracer* means "not recording".
 *
 * Invariants: events are numbered from 0 in the order they are emitted; a
 * string id is written to the file (in a STRS chunk) before the first EVTS
 * chunk that refers to it; the output depends only on the calls made, never
 * on time, pointers or the host, so the same scenario gives the same bytes.
 */
#ifndef GMV_TRACE_H
#define GMV_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "varint.h"

#define TRACE_MAGIC "\x89GMV\r\n\x1a\n"
#define TRACE_VERSION 3   /* 2: ALLOC.rounded relative to size ('r');
                             3: the packed ACCESS form */
#define TRACE_HEADER_SIZE 48
#define TRACE_BOM 0x01020304u
#define TRACE_CHUNK_TARGET (64u * 1024u)   /* writer flushes around here */
#define TRACE_CHUNK_MAX (1024u * 1024u)     /* reader rejects larger */
#define TRACE_FLAG_CACHE 1u                /* recorded with cache simulation */

/* Machine parameters stored in the header. */
typedef struct {
    uint8_t ncores;
    uint16_t line_size;
    uint32_t cache_size;
    uint16_t ways;
    uint32_t page_size;
    uint64_t heap_base;
    uint32_t flags;
} TraceParams;

TraceParams trace_params_default(void);

typedef struct {
    char **str;          /* id -> string (id 0 is "") */
    uint32_t n, cap;
    uint32_t *slots;     /* open-addressing hash: id+1, 0 = empty */
    uint32_t nslots;
} StrTab;

typedef struct Tracer {
    FILE *out;           /* NULL: null sink (encode, count, discard) */
    struct TraceWriter *writer; /* writes chunks on another core, or NULL */
    bool own_out;
    uint8_t *buf;        /* events of the open chunk: buf .. pos */
    uint8_t *pos;
    uint8_t *limit;      /* flush when pos reaches it (room for one more event) */
    uint64_t last_addr;  /* delta base for 'a' fields, reset per chunk */
    uint64_t ctx[EV_COUNT][EVENT_MAX_CTX]; /* last context fields per type */
    uint8_t ctx_valid[EV_COUNT];           /* ... set in this chunk? */
    uint64_t nevents;    /* events emitted so far */
    uint64_t chunk_first; /* index of the open chunk's first event */
    uint64_t bytes;      /* bytes written (or that would have been) */
    StrTab strs;
    uint32_t strs_flushed;
    int error;           /* first errno seen while writing, 0 if none */
} Tracer;

/* Open a tracer writing to path (NULL: null sink).  Writes the header.
 * Returns 0, or -1 with errno set. */
int tracer_open(Tracer *t, const char *path, const TraceParams *params);
/* Same, on a stream the caller owns (e.g. tmpfile()). */
int tracer_open_stream(Tracer *t, FILE *out, const TraceParams *params);
/* Flush, write the end chunk, close.  Returns 0, or -1 if any write failed. */
int tracer_close(Tracer *t);

/* Intern a string; equal strings get equal ids.  "" and NULL are id 0. */
uint32_t tracer_str(Tracer *t, const char *s);

/* Write the open chunk (and any new strings) now. */
void tracer_flush(Tracer *t);

/*
 * The packed ACCESS form (version 3).  ACCESS is most of any trace, so it
 * gets a fixed layout that is written and read without a branch per field:
 * a wire byte 0x40 | L << 4 | size code, then 3 + L bytes, little-endian:
 * info (9 bits), core (2), g (5), and the zigzag address delta in the rest
 * (8, 16, 24 or 32 bits).  It is used when the values fit, which is nearly
 * always; otherwise ACCESS is written field by field as before.  It neither
 * uses nor changes the context fields' "same as before" state.
 */
#define TRACE_PACKED 0x40u       /* wire byte & 0xc0 == 0x40: packed ACCESS */
static const uint8_t trace_packed_sizes[16] = {1,  2,  3,  4,  5,  6,  7,  8,
                                               16, 24, 32, 40, 48, 56, 64, 128};

/* The code of an access size in trace_packed_sizes, or 16 if it has none. */
static inline unsigned trace_packed_code(uint64_t size)
{
    if (size - 1 < 8)
        return (unsigned)size - 1;
    if (size <= 64 && !(size & 7))
        return 6 + (unsigned)(size >> 3);
    return size == 128 ? 15 : 16;
}

/* Writes the packed form at p and returns its end, or NULL when the event
 * does not fit it.  Writes 8 bytes, up to 4 past the end (the chunk buffer
 * has room for a whole generic event past its limit). */
static inline __attribute__((always_inline)) uint8_t *
trace_pack_access(uint8_t *p, const uint64_t *f, uint64_t last)
{
    uint64_t z = zigzag((int64_t)(f[2] - last));
    unsigned code = trace_packed_code(f[3]);
    if ((f[0] >> 2 | f[1] >> 5 | f[4] >> 9 | z >> 32 | code >> 4) != 0)
        return NULL; /* one test: core < 4, g < 32, info < 512, ... */
    unsigned l = (unsigned)(63 - __builtin_clzll(z | 1)) >> 3; /* L: 0..3 */
    /* wire byte and payload in one word: the payload is at most 48 bits */
    uint64_t w = TRACE_PACKED | l << 4 | code |
                 (f[4] | f[0] << 9 | f[1] << 11 | z << 16) << 8;
    if (VARINT_WORD_TRICK)
        __builtin_memcpy(p, &w, 8);
    else
        for (unsigned i = 0; i < 8; i++)
            p[i] = (uint8_t)(w >> (8 * i));
    return p + 4 + l;
}

/* Encode one event.  f holds info->nfields values.  Inline, so that with a
 * constant type the kind tests fold away. */
static inline __attribute__((always_inline)) void
tracer_emit(Tracer *t, unsigned type, const uint64_t *f, unsigned n)
{
    uint8_t *p = t->pos;
    if (type == EV_ACCESS) {
        uint8_t *q = trace_pack_access(p, f, t->last_addr);
        if (__builtin_expect(q != NULL, 1)) {
            t->last_addr = f[2];
            t->pos = q;
            t->nevents++;
            if (q >= t->limit)
                tracer_flush(t);
            return;
        }
    }
    const char *k = event_kinds[type];
    unsigned nc = event_nctx(type); /* both fold for a constant type */
    bool same = false;
    if (nc) {
        same = t->ctx_valid[type] && t->ctx[type][0] == f[0] &&
               (nc < 2 || t->ctx[type][1] == f[1]);
        if (!same) {
            t->ctx[type][0] = f[0];
            t->ctx[type][1] = nc > 1 ? f[1] : 0;
            t->ctx_valid[type] = 1;
        }
    }
    *p++ = (uint8_t)(type | (same ? EVENT_CTX_SAME : 0));
    uint64_t last = t->last_addr;
#pragma GCC unroll 8
    for (unsigned i = 0; i < n; i++) { /* i is a constant in each copy */
        uint64_t v = f[i];
        if (k[i] == 'c' && same)
            continue;
        if (k[i] == 'a') {
            uint64_t d = zigzag((int64_t)(v - last));
            last = v;
            v = d;
        } else if (k[i] == 'i') {
            v = zigzag((int64_t)v);
        } else if (k[i] == 'r' && i > 0) { /* never first; says so to gcc */
            v = zigzag((int64_t)(v - f[i - 1]));
        }
        /* address deltas vary in length, so their branches mispredict;
         * other fields are nearly always one byte (buf has VARINT_SLACK) */
        p = k[i] == 'a' ? varint_put_fast(p, v) : varint_put(p, v);
    }
    t->last_addr = last;
    t->pos = p;
    t->nevents++;
    if (p >= t->limit)
        tracer_flush(t);
}

/* Field counts per event, for the compile-time check in TRACE(). */
enum {
#define GMV_EV_NF(id, name, kinds, fields) EVN_##id = sizeof(kinds) - 1,
    GMV_EVENTS(GMV_EV_NF)
#undef GMV_EV_NF
};

#ifdef GMV_NO_TRACE
#define TRACE(t, ID, ...) ((void)(t))
#define TRACE_STR(t, s) ((void)(t), 0u)
#else
/* TRACE(tracer, ALLOC, addr, size, ...): record an EV_ALLOC event. */
#define TRACE(t, ID, ...)                                                      \
    do {                                                                       \
        Tracer *t_ = (t);                                                      \
        if (t_) {                                                              \
            const uint64_t f_[] = {__VA_ARGS__};                               \
            _Static_assert(sizeof f_ / sizeof f_[0] == EVN_##ID,               \
                           "wrong field count for EV_" #ID);                   \
            tracer_emit(t_, EV_##ID, f_, EVN_##ID);                            \
        }                                                                      \
    } while (0)
#define TRACE_STR(t, s) ((t) ? tracer_str((t), (s)) : 0u)
#endif

#endif
