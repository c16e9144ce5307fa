/*
 * heap.h — a model of Go 1.19's mallocgc: size classes, 8 KiB pages, spans
 * per span class (size class x noscan), one mcache per P, large objects in
 * their own page runs, the tiny allocator, garbage and an explicit GC step.
 *
 * Invariants (heap_check): every page belongs to at most one span; a slot is
 * free, live or garbage; live+garbage slot counts match each span's count;
 * statistics equal the sums over the events emitted.
 */
#ifndef GMV_HEAP_H
#define GMV_HEAP_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "sizeclass.h"
#include "trace.h"

#define HEAP_BASE 0xc000000000ull
#define HEAP_MAX_P 8
/* Go's &zerobase: what every zero-size allocation returns. */
#define HEAP_ZEROBASE 0x5a1000ull

enum { SLOT_FREE, SLOT_LIVE, SLOT_GARBAGE };

typedef struct {
    uint64_t base;      /* address of the first page */
    uint32_t npages;
    uint16_t class;     /* 0 for a large object */
    bool noscan;
    bool in_use;
    uint32_t elemsize, nelems;
    uint32_t nlive, ngarbage;
    uint32_t freeindex; /* no free slot below this one */
    uint8_t *slot;      /* SLOT_* per object */
    uint8_t *tinylive;  /* tiny spans: live sub-objects per 16-byte block */
} Span;

typedef struct {
    int32_t cur[2 * SC_NUM_CLASSES];  /* current span per span class, -1 if none */
    uint64_t tiny;        /* current tiny block, 0 if none */
    uint64_t tinyoffset;
} MCache;

typedef struct {
    uint64_t mallocs;       /* like MemStats.Mallocs (tiny sub-allocs count) */
    uint64_t frees;
    uint64_t total_alloc;   /* like MemStats.TotalAlloc */
    uint64_t live_bytes;    /* bytes in live + garbage (not yet freed) slots */
    uint64_t peak_bytes;
    uint64_t gc_cycles;
} HeapStats;

typedef struct {
    Tracer *tr;
    unsigned cur_p;         /* the P (core) whose mcache allocates */
    unsigned cur_g;         /* goroutine charged in events */
    Span *spans;
    uint32_t nspans, spans_cap;
    int32_t *page_span;     /* page index -> span index, -1 = free page */
    uint32_t npages, pages_cap;
    MCache mcache[HEAP_MAX_P];
    HeapStats stats;
} Heap;

void heap_init(Heap *h, Tracer *tr);
void heap_free_all(Heap *h);

/* Allocate size bytes holding a Go value of type `type` (kind for colour).
 * Models runtime.mallocgc (malloc.go:905).  noscan: the type has no
 * pointers (enables the tiny allocator and noscan spans).  Returns the
 * address; HEAP_ZEROBASE for size 0, which allocates nothing. */
uint64_t heap_alloc(Heap *h, uint64_t size, bool noscan, ObjKind kind,
                    const char *type);
/* The program dropped its last reference to the object at addr. */
void heap_garbage(Heap *h, uint64_t addr);
/* A GC cycle: free every garbage object, release empty spans.  Returns the
 * number of objects freed. */
uint64_t heap_gc(Heap *h);
/* Rounded size of the live or garbage object at addr, 0 if none. */
uint64_t heap_object_size(const Heap *h, uint64_t addr);
/* Slot state of the object containing addr, SLOT_FREE if none. */
int heap_object_state(const Heap *h, uint64_t addr);
/* Check the invariants; returns false (and says why on stderr) if broken. */
bool heap_check(const Heap *h);

#endif
