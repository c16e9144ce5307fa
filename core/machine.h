/*
 * machine.h — the simulated machine the model runs on: the heap, goroutine
 * stacks, cores with caches, and the tracer that records it all.
 *
 * Model code touches simulated memory only through touch_read, touch_write
 * and touch_atomic, and allocates through machine_alloc; these are the
 * recording helpers.  With GMV_NO_TRACE they compile to nothing (no events,
 * no cache simulation), which is the build the benchmarks compare with Go.
 *
 * Invariant: once main runs, cur_g names a live goroutine, cur_core < ncores, and the heap
 * allocates from the mcache of cur_core (Go's P).
 */
#ifndef GMV_MACHINE_H
#define GMV_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "cache.h"
#include "heap.h"
#include "stack.h"
#include "trace.h"

#define MACHINE_MAX_G 64
#define MACHINE_MAX_CORES 8

struct Sched;

typedef struct Machine {
    Tracer *tr;               /* NULL: not recording */
    Heap heap;
    Cpu *cpu;                 /* NULL: no cache simulation */
    struct Sched *sched;      /* NULL: one goroutine at a time, no preemption */
    unsigned ncores;
    unsigned line_size;       /* accesses are split at line boundaries */
    Stack *g[MACHINE_MAX_G];  /* goroutine stacks, by id */
    unsigned ng;
    unsigned cur_g, cur_core;
    uint64_t accesses;
    uint64_t cycles;          /* estimated, from the cache cost model */
    uint64_t rng;             /* fastrand state: seeded at init, so runs repeat */
} Machine;

typedef struct {
    unsigned ncores;          /* 1..8 */
    bool cache;               /* simulate caches and MESI */
    uint32_t cache_size, ways, line_size;
} MachineConfig;

MachineConfig machine_config_default(void);
void machine_init(Machine *m, Tracer *tr, const MachineConfig *cfg);
void machine_free(Machine *m);

/* Start goroutine running fn on core; returns its id. */
unsigned machine_go(Machine *m, const char *fn, unsigned core);
/* Make goroutine g current (running on its core). */
void machine_switch(Machine *m, unsigned g, unsigned core);
Stack *machine_stack(Machine *m);

/* mallocgc on behalf of the current goroutine (and its P). */
uint64_t machine_alloc(Machine *m, uint64_t size, bool noscan, ObjKind kind,
                       const char *type);

/* Models runtime.fastrand (stubs.go:128): the machine's deterministic random
 * source (hash seeds, iteration starts).  xorshift64*, high half. */
static inline uint32_t machine_rand(Machine *m)
{
    m->rng ^= m->rng >> 12;
    m->rng ^= m->rng << 25;
    m->rng ^= m->rng >> 27;
    return (uint32_t)((m->rng * 0x2545f4914f6cdd1dull) >> 32);
}

/* Name a field of the object at obj (for reports and the viewer). */
static inline void machine_field(Machine *m, uint64_t obj, uint64_t offset,
                                 uint64_t size, const char *name)
{
    TRACE(m->tr, FIELD, obj, offset, size, TRACE_STR(m->tr, name));
    (void)m, (void)obj, (void)offset, (void)size, (void)name;
}

/* Resolve and record one access (split per cache line). */
void machine_access(Machine *m, uint64_t addr, uint32_t size, unsigned flags);

static inline void touch_read(Machine *m, uint64_t addr, uint32_t size)
{
#ifndef GMV_NO_TRACE
    if (m->tr || m->cpu)
        machine_access(m, addr, size, 0);
#else
    (void)m, (void)addr, (void)size;
#endif
}

static inline void touch_write(Machine *m, uint64_t addr, uint32_t size)
{
#ifndef GMV_NO_TRACE
    if (m->tr || m->cpu)
        machine_access(m, addr, size, ACCESS_WRITE);
#else
    (void)m, (void)addr, (void)size;
#endif
}

/* An atomic read-modify-write (LOCK XADD/CMPXCHG): a write for coherence. */
static inline void touch_atomic(Machine *m, uint64_t addr, uint32_t size)
{
#ifndef GMV_NO_TRACE
    if (m->tr || m->cpu)
        machine_access(m, addr, size, ACCESS_WRITE | ACCESS_ATOMIC);
#else
    (void)m, (void)addr, (void)size;
#endif
}

#endif
