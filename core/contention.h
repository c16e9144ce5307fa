/*
 * contention.h — per-line coherence statistics, in the spirit of perf c2c.
 *
 * The cache model (cache.c) opens a LineStats record for a line the first
 * time the line is contended: the first invalidation or HITM it suffers.
 * From then on every access any core makes to the line is counted here.
 * Lines that were never contended cost nothing, so a benchmark that streams
 * through gigabytes pays only for the lines that actually ping-pong.
 *
 * Invariant: ids are dense (0 .. count-1) and stable for the table's life, so
 * a cache line may remember its id instead of searching on every hit; the
 * hash maps each line address to exactly one id.
 */
#ifndef GMV_CONTENTION_H
#define GMV_CONTENTION_H

#include <stddef.h>
#include <stdint.h>

/* The most cores the cache model supports (masks and arrays are sized by it). */
#define CPU_MAX_CORES 8

/* No LineStats record: the line has never been contended. */
#define CONTENTION_NONE UINT32_MAX

typedef struct {
    uint64_t line;                       /* line address */
    uint64_t inval_false;                /* invalidations classified false sharing */
    uint64_t inval_true;                 /* invalidations classified true sharing */
    uint64_t hitm;                       /* accesses served from another core's M copy */
    uint64_t reads[CPU_MAX_CORES];       /* since the record was opened */
    uint64_t writes[CPU_MAX_CORES];      /* atomics count as writes */
    uint64_t touched[CPU_MAX_CORES];     /* union of byte offsets, bit i = byte i */
} LineStats;

typedef struct {
    LineStats *v;        /* id -> record */
    uint32_t count, cap;
    uint32_t *slots;     /* open addressing: id + 1, 0 = empty */
    uint32_t nslots;     /* power of two, or 0 before the first record */
} ContentionTable;

void contention_init(ContentionTable *t);
void contention_free(ContentionTable *t);

/* The id of line's record, or CONTENTION_NONE. */
uint32_t contention_find(const ContentionTable *t, uint64_t line);

/* The id of line's record, creating a zeroed one if absent.  Existing ids
 * stay valid; LineStats pointers do not (the array may move). */
uint32_t contention_open(ContentionTable *t, uint64_t line);

static inline LineStats *contention_get(ContentionTable *t, uint32_t id)
{
    return &t->v[id];
}

/* How contended a record is: invalidations plus HITMs.  The sort key. */
uint64_t contention_score(const LineStats *s);

/* Copy the n most contended records into out, most contended first (ties:
 * lower line address first, so the order is deterministic).  Returns how many
 * were copied: min(n, records). */
size_t contention_top(const ContentionTable *t, LineStats *out, size_t n);

#endif
