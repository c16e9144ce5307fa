/*
 * trace.h — the Tracer: records events into a .gmvt file (format v2,
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
#define TRACE_VERSION 2   /* 2: ALLOC.rounded relative to size ('r') */
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

/* Encode one event.  f holds info->nfields values.  Inline, so that with a
 * constant type the kind tests fold away. */
static inline __attribute__((always_inline)) void
tracer_emit(Tracer *t, unsigned type, const uint64_t *f, unsigned n)
{
    uint8_t *p = t->pos;
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
        } else if (k[i] == 'r') {
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
