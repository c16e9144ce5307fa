/*
 * bench_syncmap.c — `gomemviz bench syncmap`: sync.Map against its
 * alternatives on the model, per operation: heap allocations and bytes,
 * cache misses, invalidations and estimated cycles (the cache cost model),
 * for new-key stores, existing-key stores and loads, with 1, 2 and 4
 * goroutines each bound to its own core.
 *
 * Keys and values are ints >= 1<<20, so converting them to `any` for
 * sync.Map costs an 8-byte box each (as in bench/syncmap_go); the other
 * maps are map[int64]int64.  The lock-based maps are presized for every key
 * the run inserts.  Everything is deterministic (fixed scheduler seed).
 *
 * Invariant: every figure is a delta of the model's own counters (heap
 * MemStats, per-core cache statistics, machine cycles) over the measured
 * operations only; set-up (prefill, presizing) is outside the deltas.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anymap.h"
#include "cli.h"
#include "sched.h"

#define BIG (1 << 20)
enum { PREFILL = 4096, OPS = 1500 };

typedef enum { OP_STORE_NEW, OP_STORE_EXISTING, OP_LOAD, NOPS } BenchOp;

static const char *const op_names[NOPS] = {"store-new", "store-existing", "load"};
static const char *const impl_names[ANYMAP_NKINDS] = {"sync.Map", "map+Mutex", "map+RWMutex",
                                               "arena map", "fixed table"};

typedef struct {
    AnyMap *s;
    BenchOp op;
    int g;
} Job;

static int64_t new_key(int g, int i)
{
    return BIG + PREFILL + (int64_t)g * OPS + i;
}

static int64_t old_key(int g, int i)
{
    return BIG + (i * 7 + g * 997) % PREFILL;
}

static void worker(Machine *m, void *arg)
{
    Job *j = arg;
    for (int i = 0; i < OPS; i++) {
        if (j->op == OP_STORE_NEW)
            anymap_store(m, j->s, new_key(j->g, i), BIG + i);
        else if (j->op == OP_STORE_EXISTING)
            anymap_store(m, j->s, old_key(j->g, i), BIG + i);
        else
            anymap_load(m, j->s, old_key(j->g, i));
    }
}

/* Make the subject and prefill keys BIG..BIG+PREFILL (sync.Map: promoted
 * into read by Range, its steady state for a read-mostly cache). */
static void subject_init(AnyMap *s, Machine *m, AnyMapKind impl, int ngor)
{
    memset(s, 0, sizeof *s);
    s->kind = impl;
    uint64_t total = PREFILL + (uint64_t)ngor * OPS;
    maptype_init(&s->t, &GOTYPE_INT64, &GOTYPE_INT64);
    if (impl == ANYMAP_SYNC) {
        boxmem_init(&s->bm);
        syncmap_new(&s->sm, m, &s->bm);
    } else if (impl == ANYMAP_MUTEX || impl == ANYMAP_RWMUTEX) {
        rwmap_init(&s->rm, m, &s->t, impl == ANYMAP_MUTEX ? RWMAP_MUTEX : RWMAP_RWMUTEX,
                   (int64_t)total);
    } else if (impl == ANYMAP_ARENA) {
        arenamap_init(&s->am, m, 1, 4u << 20, total);
    } else {
        int64_t *keys = malloc(total * sizeof *keys);
        for (uint64_t i = 0; i < total; i++)
            keys[i] = BIG + (int64_t)i;
        staticmap_init(&s->st, STATICMAP_BASE, keys, (uint32_t)total);
        free(keys);
    }
    for (int64_t k = 0; k < PREFILL; k++)
        anymap_store(m, s, BIG + k, BIG + k);
    if (impl == ANYMAP_SYNC)
        syncmap_range(m, &s->sm, NULL, NULL);
}

typedef struct {
    double allocs, bytes, misses, invals, cycles;
} PerOp;

static void totals(const Machine *m, uint64_t *misses, uint64_t *invals)
{
    *misses = *invals = 0;
    for (unsigned c = 0; c < m->ncores; c++) {
        const CoreStats *cs = cpu_core_stats(m->cpu, (int)c);
        for (int o = 0; o < CACHE_NOUTCOMES; o++)
            *misses += o == CACHE_HIT ? 0 : cs->outcomes[o];
        *invals += cs->inval_sent;
    }
}

static PerOp run_one(AnyMapKind impl, BenchOp op, int ngor)
{
    MachineConfig cfg = machine_config_default();
    cfg.ncores = (unsigned)ngor;
    cfg.cache = true;
    Machine m;
    machine_init(&m, NULL, &cfg);
    AnyMap s;
    subject_init(&s, &m, impl, ngor);
    HeapStats h0 = m.heap.stats;
    uint64_t c0 = m.cycles, mi0, in0, mi1, in1;
    totals(&m, &mi0, &in0);
    Sched sc;
    sched_init(&sc, &m, 2023, 4);
    Job jobs[MACHINE_MAX_CORES];
    for (int g = 0; g < ngor; g++) {
        jobs[g] = (Job){&s, op, g};
        sched_go(&sc, "main.worker", (unsigned)g, true, worker, &jobs[g]);
    }
    int rc = sched_run(&sc);
    sched_free(&sc);
    totals(&m, &mi1, &in1);
    double n = (double)OPS * ngor;
    PerOp r = {(m.heap.stats.mallocs - h0.mallocs) / n,
               (m.heap.stats.total_alloc - h0.total_alloc) / n, (mi1 - mi0) / n,
               (in1 - in0) / n, (m.cycles - c0) / n};
    if (rc != 0)
        r.cycles = -1;
    anymap_free(&s);
    machine_free(&m);
    return r;
}

int bench_syncmap(void)
{
    printf("model bench: %d ops per goroutine, %d keys prefilled, keys/values >= 1<<20\n",
           OPS, PREFILL);
    printf("%-15s %-12s %3s %8s %8s %8s %8s %9s\n", "op", "impl", "g", "allocs", "bytes",
           "misses", "invals", "cycles");
    for (int op = 0; op < NOPS; op++)
        for (int g = 1; g <= 4; g *= 2)
            for (int impl = 0; impl < ANYMAP_NKINDS; impl++) {
                PerOp r = run_one((AnyMapKind)impl, (BenchOp)op, g);
                printf("%-15s %-12s %3d %8.2f %8.1f %8.2f %8.2f %9.1f\n", op_names[op],
                       impl_names[impl], g, r.allocs, r.bytes, r.misses, r.invals, r.cycles);
            }
    return EXIT_OK;
}
