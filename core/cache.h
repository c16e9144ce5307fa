/*
 * cache.h — cores with private caches kept coherent by MESI.
 *
 * A Cpu is 1..8 cores.  Each core has a private set-associative cache with
 * true LRU replacement; all of them share one snooping bus and one memory.
 * cpu_access() runs one access through the protocol and reports everything
 * it caused in an AccessResult: where the data came from, the line's state
 * before and after, the eviction it forced, the copies it invalidated (each
 * classified as false or true sharing) and the copies it downgraded, and an
 * estimated cost in cycles.  The model records no trace events itself; the
 * machine layer turns AccessResults into events.  It tracks states, never
 * data: memory contents live in the address space.
 *
 * Invariant (mesi_check): a line held Modified or Exclusive by one core is
 * held by no other core; any number of cores may hold it Shared.
 *
 * Sharing classification: every core remembers, for each line it holds, the
 * bytes it has used (read or written) since it last acquired the line.  When
 * a write invalidates that copy, the bytes the writer wrote in this access
 * and the victim's used bytes are compared: disjoint → false sharing (the
 * victim lost a line it did not need to lose), overlapping → true sharing.
 */
#ifndef GMV_CACHE_H
#define GMV_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "contention.h" /* CPU_MAX_CORES, LineStats */

/* Byte masks are 64-bit, one bit per byte, so a line is at most 64 bytes. */
#define CACHE_MAX_LINE 64

/* Numerically equal to event.h's MESI_I..MESI_M. */
typedef enum { MESI_INVALID, MESI_SHARED, MESI_EXCLUSIVE, MESI_MODIFIED } MesiState;

/* Access flags; ACC_WRITE and ACC_ATOMIC equal event.h's ACCESS_WRITE and
 * ACCESS_ATOMIC. */
enum {
    ACC_READ = 0,
    ACC_WRITE = 1u << 0,
    ACC_ATOMIC = 1u << 1,   /* locked read-modify-write (LOCK XADD, CMPXCHG):
                               needs ownership, so it is always a write */
    ACC_PREFETCH = 1u << 2, /* bring the line in for reading, use no byte and
                               cost nothing (a prefetcher did it) */
};

/* Where the data came from.  Plus one, these are event.h's OUTCOME_* values. */
typedef enum {
    CACHE_HIT,        /* own copy was enough: no bus transaction */
    CACHE_MISS_MEM,   /* no other cache had it: served by memory */
    CACHE_HITM,       /* another cache had it Modified: it supplied the data */
    CACHE_MISS_CLEAN, /* another cache had a clean (E or S) copy and supplied
                         it; Intel forwards clean lines too (MESIF's F state,
                         the L3 snoop filter) but at a lower cost than HITM,
                         so it is counted on its own */
    CACHE_UPGRADE,    /* own copy was Shared and we write: invalidate the
                         others, no data moves (BusUpgr) */
    CACHE_NOUTCOMES
} CacheOutcome;

/* Estimated cycles per outcome, plus the extra for a locked RMW.  The field
 * order matches the COST_TABLE trace event. */
typedef struct {
    uint32_t outcome[CACHE_NOUTCOMES];
    uint32_t atomic_extra;
} CacheCosts;

/* The defaults, with their sources, are in cache.c and docs/cost-model.md. */
extern const CacheCosts CACHE_COSTS_DEFAULT;

typedef struct {
    int ncores;          /* 1 .. CPU_MAX_CORES */
    uint32_t cache_size; /* bytes per core */
    uint32_t ways;       /* associativity, 1 .. 64 */
    uint32_t line_size;  /* power of two, 8 .. CACHE_MAX_LINE */
    CacheCosts costs;
} CacheConfig;

/* 2 cores, 32 KiB, 8 ways, 64-byte lines, CACHE_COSTS_DEFAULT: one L1D of a
 * recent Intel or AMD core. */
CacheConfig cache_config_default(void);

/* NULL if cfg describes a machine we can model, else a one-line reason.
 * Check configs that come from users before calling cpu_init. */
const char *cache_config_check(const CacheConfig *cfg);

/* A copy another core lost to a write. */
typedef struct {
    int core;             /* the victim */
    MesiState before;     /* its state: S, E or M (dirty data moves to the writer) */
    uint64_t writer_mask; /* bytes the writer wrote in this access */
    uint64_t victim_mask; /* bytes the victim used since it last acquired the line */
    bool false_sharing;   /* (writer_mask & victim_mask) == 0 */
} Invalidation;

/* A copy another core kept, but only Shared, because we read it. */
typedef struct {
    int core;
    MesiState before;     /* E or M */
    bool writeback;       /* was M: the dirty line went back to memory */
} Downgrade;

/* The line our fill pushed out of the set. */
typedef struct {
    bool happened;
    uint64_t line;
    MesiState state;      /* state it was in */
    bool writeback;       /* was M */
} Eviction;

typedef struct {
    CacheOutcome outcome;
    int source;           /* core that supplied the data; -1: memory or hit */
    uint64_t line;        /* line address */
    uint64_t mask;        /* bytes of the line this access used */
    MesiState before, after; /* in the accessing core */
    Eviction evicted;
    int ninval;
    Invalidation inval[CPU_MAX_CORES - 1];
    int ndown;
    Downgrade down[CPU_MAX_CORES - 1];
    uint32_t cycles;
} AccessResult;

/* Running totals for one core. */
typedef struct {
    uint64_t outcomes[CACHE_NOUTCOMES];
    uint64_t reads, writes, atomics, prefetches;
    uint64_t inval_sent;      /* copies this core's writes invalidated */
    uint64_t false_sharing;   /* ... of which false sharing */
    uint64_t inval_received;  /* copies of this core invalidated by others */
    uint64_t downgrades;      /* copies of this core downgraded by others */
    uint64_t writebacks;      /* dirty lines this core wrote back */
    uint64_t evictions;
    uint64_t cycles;
} CoreStats;

/* One way of one set, but for its tag and LRU stamp.  Fields are private to
 * cache.c. */
typedef struct {
    uint64_t used;        /* bytes used since this core acquired the line */
    uint32_t stat;        /* LineStats id, or CONTENTION_NONE */
    uint8_t state;        /* MesiState */
} CacheLine;

/* Tags and stamps live apart from the rest of the way, so that a lookup and
 * a choice of victim each read one host cache line per set (8 x 8 bytes);
 * the rest of a way is touched only when it is the one. */
typedef struct {
    uint64_t *tags;       /* nsets * ways, set-major: line address, or
                             NO_LINE (odd) iff the way is Invalid */
    uint64_t *stamps;     /* LRU: the core's tick at the way's last use */
    CacheLine *lines;     /* same indexing */
    uint64_t tick;
    CoreStats stats;
} CoreCache;

/* Fields are private to cache.c; use the functions below. */
typedef struct {
    CacheConfig cfg;
    uint32_t nsets, line_shift;
    uint64_t line_mask;   /* offset bits within a line */
    CoreCache core[CPU_MAX_CORES];
    ContentionTable contention;
} Cpu;

/* Build the caches, all lines Invalid.  Returns false (and leaves nothing to
 * free) if cache_config_check(cfg) fails or memory runs out. */
bool cpu_init(Cpu *cpu, const CacheConfig *cfg);
void cpu_free(Cpu *cpu);

/* Run one access of size bytes at addr by core.  The bytes must lie in one
 * line (assert; split with cpu_access_span).  Fills *out completely. */
void cpu_access(Cpu *cpu, int core, uint64_t addr, uint32_t size, unsigned flags,
                AccessResult *out);

/* How many lines [addr, addr+size) touches; size >= 1. */
int cpu_span_lines(const Cpu *cpu, uint64_t addr, uint32_t size);

/* Run an access that may straddle lines as one access per line, in address
 * order.  out must have room for cpu_span_lines() results (assert, max is its
 * capacity).  Returns the number of results.  An atomic must not straddle
 * (Go's sync/atomic requires aligned operands; a real split lock would lock
 * the whole bus). */
int cpu_access_span(Cpu *cpu, int core, uint64_t addr, uint32_t size, unsigned flags,
                    AccessResult *out, int max);

static inline uint64_t cpu_line_of(const Cpu *cpu, uint64_t addr)
{
    return addr & ~cpu->line_mask;
}

/* core's state for the line holding addr. */
MesiState cpu_state(const Cpu *cpu, int core, uint64_t addr);

/* Bytes core has used in addr's line since it last acquired it (0 if it does
 * not hold the line). */
uint64_t cpu_used_mask(const Cpu *cpu, int core, uint64_t addr);

const CoreStats *cpu_core_stats(const Cpu *cpu, int core);

/* Contention record of addr's line, or NULL if it was never contended.  The
 * pointer is valid until the next cpu_access. */
const LineStats *cpu_line_stats(const Cpu *cpu, uint64_t addr);

/* Copy the n most contended lines (invalidations + HITMs) into out, most
 * contended first, ties by address.  Returns how many were copied. */
size_t cpu_top_lines(const Cpu *cpu, LineStats *out, size_t n);

/* Check the MESI invariant and the cache's own bookkeeping.  Returns false,
 * after printing the first violation to stderr, if anything is wrong. */
bool mesi_check(const Cpu *cpu);

const char *mesi_state_name(MesiState s);     /* "I", "S", "E", "M" */
const char *cache_outcome_name(CacheOutcome o); /* "hit", "miss_mem", ... */

#endif
