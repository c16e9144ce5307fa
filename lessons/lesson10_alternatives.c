/*
 * lesson10_alternatives.c — Lesson 10: what the alternatives to sync.Map
 * save, and what they cost.
 *
 * Two goroutines on two cores share one table: each stores 16 new keys,
 * then reads 32.  The keys are ints >= 1<<20, all known before the run.
 * The same job runs four ways: sync.Map, a presized map behind an RWMutex,
 * a map whose buckets come from an arena, and a fixed-key table in static
 * data.  For each, the lesson counts heap allocations, the objects a GC
 * then frees, cache invalidations, and what each one asks in return.
 *
 * Invariant: every number stated is a claim on a delta of the model's heap
 * statistics, heap_gc's result or the per-core cache statistics over that
 * variant's job; set-up happens before the measured window and is claimed
 * separately when the lesson talks about it.
 */
#include <stdio.h>
#include <string.h>

#include "anymap.h"
#include "lesson.h"
#include "sched.h"

enum { NEW = 16, READS = 32, G = 2, KEYS = NEW * G };
#define BIG (1 << 20)
#define CHUNK (16u << 10) /* the arena's chunk */

static const char source[] =
    "// the same job, four ways: keys big+0..31 (big = 1<<20), known up front\n" /* 1 */
    "var a = new(sync.Map)\n"
    "var b = newRWMap(64) // &RWMap{m: make(map[int]int, 64)}: mu RWMutex, m\n"
    "var c = arenaMap(arena.NewArena(), 64) // buckets carved from the arena\n"
    "var d = [64]struct{ k int; v atomic.Int64 }{ /* built for the 32 keys */ }\n"
    "\n"                                                                 /* 6 */
    "func worker(g int) { // on core g\n"
    "    for i := 0; i < 16; i++ { store(key(g, i), big+i) } // boxed: >= 256\n"
    "    for i := 0; i < 32; i++ { load(key(g, i%16)) }\n"
    "}\n";

enum { S_JOB, S_SYNC, S_RW, S_ARENA, S_RELEASE, S_FIXED, S_FIXED_COST, S_SUMMARY, S_NSTEPS };
static const LessonText steps[S_NSTEPS] = {
    {"One job, four tables",
     "Two goroutines, two cores. Each stores 16 new keys, then reads them "
     "twice. All 32 keys are known before the run.", 1},
    {"Baseline: sync.Map",
     "Every new key costs 5 allocations: the key's and the value's boxes, "
     "Store's value moved to heap, newEntry's copy of it, the entry. Store's "
     "copy is garbage at once: the GC has work. (The counters above include "
     "new(sync.Map) itself.)", 2},
    {"Presized map + RWMutex",
     "make(map, 64) allocates the buckets once, before the job: no "
     "allocation per Store. The price: the lock's line moves between the "
     "cores on every operation.", 3},
    {"Arena map",
     "Buckets are carved from a 16 KiB arena chunk: no mallocgc per Store "
     "and nothing for the GC to trace object by object. (Arenas are Go "
     "1.20's GOEXPERIMENT=arenas, not in 1.19; Go has no arena map, so "
     "arenaMap is a hand-written table.)", 4},
    {"Releasing the arena",
     "The price: the whole chunk is held until the arena is freed, used or "
     "not, and then it all goes at once. A pointer kept past that is a bug.", 4},
    {"Fixed-key table",
     "A table in static data, built for the 32 keys: no heap object, ever. "
     "Loads take no lock; a Store is one atomic write of the value.", 5},
    {"What it cannot do",
     "The price: the keys must be known up front. Storing any other key "
     "fails: there is no slot for it.", 5},
    {"What each saves, what each costs",
     "sync.Map: flexible, but allocations and garbage. RWMutex map: no "
     "allocations, but a shared lock line. Arena: no GC work, memory held. "
     "Fixed table: nothing at all, fixed keys.", 0},
};

static const LessonQuestion ask_arena = {
    "The arena map never calls mallocgc for a Store. When is its memory "
    "given back?",
    "By the GC, object by object\nAll at once, when the arena is freed\n"
    "Never", 2,
    "arena.Free drops every chunk at once; until then the chunk is held, "
    "even the parts no bucket uses."};


typedef struct {
    uint64_t allocs, bytes, freed, inval;
} Cost;

static int64_t key(int g, int i)
{
    return BIG + g * NEW + i;
}

typedef struct {
    AnyMap *t;
    int g;
} Job;

static void worker(Machine *m, void *arg)
{
    Job *j = arg;
    for (int i = 0; i < NEW; i++)
        anymap_store(m, j->t, key(j->g, i), BIG + i);
    for (int i = 0; i < READS; i++)
        anymap_load(m, j->t, key(j->g, i % NEW));
}

static uint64_t invalidations(const Machine *m)
{
    uint64_t n = 0;
    for (unsigned c = 0; c < m->ncores; c++)
        n += cpu_core_stats(m->cpu, (int)c)->inval_sent;
    return n;
}

/* Run the job on t; then a GC, whose freed objects count as its work. */
static Cost job(Machine *m, AnyMap *t)
{
    HeapStats h0 = m->heap.stats;
    uint64_t i0 = invalidations(m);
    Job jobs[G];
    Sched s;
    sched_init(&s, m, 5, 2);
    for (int g = 0; g < G; g++) {
        jobs[g] = (Job){t, g};
        sched_go(&s, "main.worker", (unsigned)g, true, worker, &jobs[g]);
    }
    int rc = sched_run(&s);
    sched_free(&s);
    Cost c = {m->heap.stats.mallocs - h0.mallocs, m->heap.stats.total_alloc - h0.total_alloc,
              heap_gc(&m->heap), invalidations(m) - i0};
    if (rc != 0)
        c.allocs = UINT64_MAX; /* fails the claims */
    return c;
}

static void claim_cost(LessonCtx *lc, const char *who, Cost c, uint64_t allocs_lo,
                       uint64_t allocs_hi)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s: %llu allocation%s, %llu B; GC then freed %llu object%s "
             "(model)", who, (unsigned long long)c.allocs, c.allocs == 1 ? "" : "s",
             (unsigned long long)c.bytes, (unsigned long long)c.freed, c.freed == 1 ? "" : "s");
    lesson_claim(lc, buf, c.allocs >= allocs_lo && c.allocs <= allocs_hi &&
                              (c.allocs == 0) == (c.freed == 0));
}

static Cost sync_variant(LessonCtx *lc, AnyMap *t)
{
    lesson_variant(lc, 0, "sync.Map");
    lesson_step(lc, &steps[S_SYNC]);
    t->kind = ANYMAP_SYNC;
    boxmem_init(&t->bm);
    syncmap_new(&t->sm, lc->m, &t->bm);
    Cost c = job(lc->m, t);
    claim_cost(lc, "sync.Map", c, 5 * KEYS, 5 * KEYS + 8);
    lesson_claim_range(lc, "objects the GC freed: one escaped value per Store, or more",
                       c.freed, KEYS, 5 * KEYS);
    if (!syncmap_check(&t->sm))
        lesson_claim(lc, "sync.Map invariants hold", false);
    anymap_free(t);
    return c;
}

static Cost rw_variant(LessonCtx *lc, AnyMap *t)
{
    Machine *m = lc->m;
    lesson_variant(lc, 1, "map+RWMutex, presized");
    lesson_step(lc, &steps[S_RW]);
    t->kind = ANYMAP_RWMUTEX;
    maptype_init(&t->t, &GOTYPE_INT64, &GOTYPE_INT64);
    uint64_t b0 = m->heap.stats.total_alloc;
    rwmap_init(&t->rm, m, &t->t, RWMAP_RWMUTEX, 64);
    /* Go 1.19 measures the same (tests/diff, allocs case rwmap-new-64) */
    lesson_claim_eq(lc, "bytes allocated up front: b's struct, then make(map, 64)'s hmap, "
                    "buckets and mapextra", m->heap.stats.total_alloc - b0, 2792);
    Cost c = job(m, t);
    claim_cost(lc, "map+RWMutex", c, 0, 0);
    lesson_claim_range(lc, "invalidations (the lock's line)", c.inval, KEYS, 100 * KEYS);
    anymap_free(t);
    return c;
}

static Cost arena_variant(LessonCtx *lc, AnyMap *t)
{
    Machine *m = lc->m;
    lesson_variant(lc, 2, "arena map");
    lesson_step(lc, &steps[S_ARENA]);
    t->kind = ANYMAP_ARENA;
    arenamap_init(&t->am, m, 1, CHUNK, 64);
    Cost c = job(m, t);
    claim_cost(lc, "arena map", c, 0, 0);

    lesson_ask(lc, &ask_arena);
    lesson_step(lc, &steps[S_RELEASE]);
    char buf[160];
    snprintf(buf, sizeof buf, "arena: %llu B used of %u B held (model)",
             (unsigned long long)t->am.arena.bytes, CHUNK);
    lesson_claim(lc, buf, t->am.arena.nchunks == 1 && t->am.arena.bytes < CHUNK / 2);
    arenamap_release(&t->am);
    lesson_claim_eq(lc, "objects the GC frees after arena.Free (the chunk)",
                    heap_gc(&m->heap), 1);
    anymap_free(t);
    return c;
}

static Cost fixed_variant(LessonCtx *lc, AnyMap *t)
{
    Machine *m = lc->m;
    lesson_variant(lc, 3, "fixed-key table");
    lesson_step(lc, &steps[S_FIXED]);
    t->kind = ANYMAP_FIXED;
    int64_t keys[KEYS];
    for (int g = 0; g < G; g++)
        for (int i = 0; i < NEW; i++)
            keys[g * NEW + i] = key(g, i);
    uint64_t a0 = m->heap.stats.mallocs;
    staticmap_init(&t->st, STATICMAP_BASE, keys, KEYS);
    staticmap_record(m, &t->st, "main.d [64]struct{ k int; v atomic.Int64 }");
    Cost c = job(m, t);
    lesson_claim_eq(lc, "heap allocations, building the table included",
                    m->heap.stats.mallocs - a0, 0);
    lesson_claim_eq(lc, "bytes of static data for 32 keys (64 slots of 16 B)",
                    staticmap_size(KEYS), 1024);

    lesson_step(lc, &steps[S_FIXED_COST]);
    StaticMapStatus st = staticmap_store(m, &t->st, BIG + 1000, 1);
    lesson_claim(lc, "storing a key outside the set fails (STATICMAP_NOKEY)",
                 st == STATICMAP_NOKEY);
    if (!staticmap_check(&t->st))
        lesson_claim(lc, "table invariants hold", false);
    anymap_free(t);
    return c;
}

static int run(LessonCtx *lc)
{
    AnyMap t;
    memset(&t, 0, sizeof t);
    lesson_step(lc, &steps[S_JOB]);
    lesson_claim_eq(lc, "keys in the job", KEYS, 32);
    Cost s = sync_variant(lc, &t);
    Cost r = rw_variant(lc, &t);
    Cost a = arena_variant(lc, &t);
    Cost f = fixed_variant(lc, &t);

    lesson_step(lc, &steps[S_SUMMARY]);
    char buf[200];
    snprintf(buf, sizeof buf, "allocations in the job, setup not counted: sync.Map %llu, "
             "RWMutex %llu, arena %llu, fixed %llu (model)", (unsigned long long)s.allocs,
             (unsigned long long)r.allocs, (unsigned long long)a.allocs,
             (unsigned long long)f.allocs);
    lesson_claim(lc, buf, s.allocs > 0 && r.allocs + a.allocs + f.allocs == 0);
    snprintf(buf, sizeof buf, "invalidations in the job, setup not counted: sync.Map %llu, "
             "RWMutex %llu, arena %llu, fixed %llu (model)", (unsigned long long)s.inval,
             (unsigned long long)r.inval, (unsigned long long)a.inval,
             (unsigned long long)f.inval);
    lesson_claim(lc, buf, f.inval < r.inval);
    return 0;
}

const Lesson lesson10 = {
    10, "alternatives", "The alternatives: what they save, what they cost", source, G,
    true, run,
};
