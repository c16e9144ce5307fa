/*
 * probe_allocs.c — `gomemviz probe allocs --case NAME`: the heap
 * allocations of one operation, for the tests/diff group allocs.  Each case
 * prepares the same state as goprobe's case of that name
 * (tests/go/probe/allocs_cases.go) and measures it the same way: one
 * warm-up operation, then the Mallocs and TotalAlloc deltas of `runs`
 * operations divided by runs (integer division).
 *
 * Invariant: every number is read from the model's own heap statistics or
 * structures after running the model; nothing is a constant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "iface.h"
#include "probe.h"
#include "rwmap.h"
#include "slice.h"
#include "syncmap.h"

#define BIG (1 << 20) /* ints from here on are boxed when converted to any */

/* State of one allocs case (goprobe's prepare closure). */
typedef struct {
    Machine m;
    BoxMem bm;
    SyncMap *sms;      /* one or runs+1 sync.Maps */
    unsigned nsms;
    Map *h;            /* map cases */
    GoMutex mu;
    MapType t;
    bool steady;       /* map cases: no growth, no malloc'd overflow */
    uint64_t buckets0;
} Ctx;

typedef struct {
    const char *name;
    int runs;
    void (*prepare)(Ctx *c, int runs);
    void (*op)(Ctx *c, int i);
    bool (*valid)(Ctx *c);
} AllocCase;

static Eface num(Ctx *c, int64_t v)
{
    return iface_int(&c->m, &c->bm, v);
}
static Eface one(Ctx *c)
{
    return iface_int_const(&c->m, &c->bm, 1);
}

static SyncMap *new_syncmaps(Ctx *c, unsigned n)
{
    c->sms = calloc(n, sizeof *c->sms);
    c->nsms = n;
    uint64_t arr = machine_alloc(&c->m, (uint64_t)SYNCMAP_SIZE * n, false,
                                 OBJ_OTHER, "[]sync.Map");
    for (unsigned i = 0; i < n; i++)
        syncmap_init(&c->sms[i], &c->m, &c->bm, arr + (uint64_t)SYNCMAP_SIZE * i);
    return c->sms;
}

/* goprobe's amendedWithRoom(first): 4096 big keys stored, promoted by
 * Range and deleted, then `first` makes dirtyLocked presize dirty (B 10)
 * and expunge them all. */
static void prep_amended(Ctx *c, int runs)
{
    SyncMap *sm = new_syncmaps(c, 1);
    (void)runs;
    for (int64_t k = 1 << 30; k < (1 << 30) + 4096; k++)
        syncmap_store(&c->m, sm, num(c, k), one(c));
    syncmap_range(&c->m, sm, NULL, NULL);
    for (int64_t k = 1 << 30; k < (1 << 30) + 4096; k++)
        syncmap_delete(&c->m, sm, num(c, k));
    syncmap_store(&c->m, sm, num(c, 255), one(c));
    c->buckets0 = sm->dirty ? sm->dirty->buckets : 0;
}
static bool valid_amended(Ctx *c)
{
    const Map *d = c->sms[0].dirty;
    return d && d->B == 10 && d->buckets == c->buckets0 && !d->oldbuckets;
}

/* goprobe's readWith256: keys 0..255 stored and promoted by Range. */
static void prep_read256(Ctx *c, int runs)
{
    SyncMap *sm = new_syncmaps(c, 1);
    (void)runs;
    for (int64_t k = 0; k < 256; k++)
        syncmap_store(&c->m, sm, num(c, k), one(c));
    syncmap_range(&c->m, sm, NULL, NULL);
}

static void prep_dirty256(Ctx *c, int runs)
{
    SyncMap *sm = new_syncmaps(c, 1);
    (void)runs;
    for (int64_t k = 0; k < 256; k++)
        syncmap_store(&c->m, sm, num(c, k), one(c));
}
static bool valid_dirty256(Ctx *c)
{
    const SyncMap *sm = &c->sms[0];
    return sm->dirty && sm->dirty->count == 256 && sm->misses == 201 &&
           syncmap_read_len(sm) == 0;
}

static void prep_zero_maps(Ctx *c, int runs)
{
    new_syncmaps(c, (unsigned)runs + 1);
}
static void prep_promote(Ctx *c, int runs)
{
    new_syncmaps(c, (unsigned)runs + 1);
    for (unsigned i = 0; i < c->nsms; i++)
        syncmap_store(&c->m, &c->sms[i], one(c), one(c));
}
static bool valid_promote(Ctx *c)
{
    const SyncMap *sm = &c->sms[c->nsms - 1];
    return !sm->dirty && syncmap_read_len(sm) == 1 && !sm->read.amended;
}

static bool always(Ctx *c)
{
    (void)c;
    return true;
}

static void op_store_new(Ctx *c, int i)
{
    syncmap_store(&c->m, &c->sms[0], num(c, i), one(c));
}
static void op_store_new_boxed(Ctx *c, int i)
{
    syncmap_store(&c->m, &c->sms[0], num(c, BIG + i), num(c, BIG + i));
}
static void op_store_first(Ctx *c, int i)
{
    syncmap_store(&c->m, &c->sms[i], one(c), one(c));
}
static void op_store_existing(Ctx *c, int i)
{
    syncmap_store(&c->m, &c->sms[0], num(c, i & 255), one(c));
}
static void op_store_existing_boxed(Ctx *c, int i)
{
    syncmap_store(&c->m, &c->sms[0], num(c, i & 255), num(c, BIG + i));
}
static void op_load(Ctx *c, int i)
{
    Eface v;
    syncmap_load(&c->m, &c->sms[0], iface_int_temp(&c->m, &c->bm, i & 255, 0), &v);
}
static void op_load_i(Ctx *c, int i)
{
    Eface v;
    syncmap_load(&c->m, &c->sms[0], iface_int_temp(&c->m, &c->bm, i, 0), &v);
}
static void op_load_promote(Ctx *c, int i)
{
    Eface v;
    syncmap_load(&c->m, &c->sms[i], one(c), &v);
}

/* Map cases: mu.Lock(); m[k] = v; mu.Unlock() on a map made with hint
 * 1<<14 (escaping, constant hint). */
static void prep_map(Ctx *c, const GoType *k, const GoType *e)
{
    maptype_init(&c->t, k, e);
    if (k->size == EFACE_SIZE)
        iface_key_ops(&c->t, &c->bm);
    MakeSite site = {true, true, "m"};
    c->h = map_make(&c->m, &c->t, 1 << 14, site);
    uint64_t mu = machine_alloc(&c->m, MUTEX_SIZE, true, OBJ_OTHER, "sync.Mutex");
    mutex_init(&c->mu, mu);
    c->buckets0 = c->h->buckets;
    c->steady = true;
}
static void prep_map_int(Ctx *c, int runs)
{
    (void)runs;
    prep_map(c, &GOTYPE_INT64, &GOTYPE_INT64);
}
static void prep_map_any(Ctx *c, int runs)
{
    (void)runs;
    prep_map(c, &GOTYPE_ANY, &GOTYPE_ANY);
}
/* goprobe's hmapSteady: no growth, and no overflow bucket malloc'd (a
 * pointer-free map also records each overflow bucket in extra). */
static void check_steady(Ctx *c, uint16_t nov_before)
{
    const Map *h = c->h;
    if (h->buckets != c->buckets0 || h->oldbuckets)
        c->steady = false;
    if (h->noverflow != nov_before && (h->t->bucket_noscan || !h->next_overflow))
        c->steady = false;
}
static void op_map_int(Ctx *c, int i)
{
    uint16_t nov = c->h->noverflow;
    mutex_lock(&c->m, &c->mu);
    map_assign_i64(&c->m, c->h, i, i);
    mutex_unlock(&c->m, &c->mu);
    check_steady(c, nov);
}
static void op_map_any(Ctx *c, int i)
{
    uint16_t nov = c->h->noverflow;
    mutex_lock(&c->m, &c->mu);
    Eface k = num(c, BIG + i), v = num(c, BIG + i);
    map_assign(&c->m, c->h, &k, &v);
    mutex_unlock(&c->m, &c->mu);
    check_steady(c, nov);
}
static bool valid_steady(Ctx *c)
{
    return c->steady;
}

static void prep_none(Ctx *c, int runs)
{
    (void)c, (void)runs;
    c->steady = true;
}

/* A non-escaping make(map[int]int) with n inserts, in its own frame. */
static void local_map(Ctx *c, const char *fn, int n)
{
    Stack *s = machine_stack(&c->m);
    stack_push(s, fn);
    MakeSite site = {false, true, "m"};
    MapType *t = &c->t;
    maptype_init(t, &GOTYPE_INT64, &GOTYPE_INT64);
    Map *h = map_make(&c->m, t, 0, site);
    for (int k = 0; k < n; k++)
        map_assign_i64(&c->m, h, k, k);
    if (h->noverflow)
        c->steady = false; /* goprobe discards such samples */
    map_drop(h);
    stack_pop(s);
}
static void op_local8(Ctx *c, int i)
{
    (void)i;
    local_map(c, "main.localMap8", 8);
}
static void op_local9(Ctx *c, int i)
{
    (void)i;
    local_map(c, "main.localMap9", 9);
}

/* The set-ups the lessons declare: new(sync.Map), and &struct{mu; m}{m:
 * make(map[int]int, 64)} with either lock (core/rwmap.h), each escaping. */
static void op_syncmap_new(Ctx *c, int i)
{
    SyncMap sm;
    (void)i;
    syncmap_new(&sm, &c->m, &c->bm);
    syncmap_free(&sm);
}
static void new_lock_map(Ctx *c, RwMapLock kind)
{
    RwMap rm;
    maptype_init(&c->t, &GOTYPE_INT64, &GOTYPE_INT64);
    rwmap_init(&rm, &c->m, &c->t, kind, 64);
    rwmap_free(&rm);
}
static void op_rwmap_new(Ctx *c, int i)
{
    (void)i;
    new_lock_map(c, RWMAP_RWMUTEX);
}
static void op_mumap_new(Ctx *c, int i)
{
    (void)i;
    new_lock_map(c, RWMAP_MUTEX);
}

/* One call of goprobe's muMapLocal, in its own frame. */
static void op_mumap_local(Ctx *c, int i)
{
    Stack *s = machine_stack(&c->m);
    RwMap rm;
    int64_t k = i;
    stack_push(s, "main.muMapLocal");
    maptype_init(&c->t, &GOTYPE_INT64, &GOTYPE_INT64);
    rwmap_init_local(&rm, &c->m, &c->t, RWMAP_MUTEX, 64);
    rwmap_store(&c->m, &rm, &k, &k);
    map_drop(rm.h);
    stack_pop(s);
}

static const GoType GOTYPE_BYTE = {1, 1, false, "byte"};

static void local_slice(Ctx *c, const char *fn, const GoType *et, uint64_t n,
                        bool constant)
{
    Stack *s = machine_stack(&c->m);
    stack_push(s, fn);
    MakeSite site = {false, constant, "s"};
    Slice sl = slice_make(&c->m, et, n, n, site);
    slice_index(&c->m, sl, n - 1, true);
    slice_drop(&c->m, sl);
    stack_pop(s);
}
static void op_slice_var(Ctx *c, int i)
{
    (void)i;
    local_slice(c, "main.sliceMakeVar", &GOTYPE_INT64, 4, false);
}
static void op_slice_64k(Ctx *c, int i)
{
    (void)i;
    local_slice(c, "main.sliceMake64k", &GOTYPE_BYTE, 65536, true);
}
static void op_slice_64k1(Ctx *c, int i)
{
    (void)i;
    local_slice(c, "main.sliceMake64kPlus1", &GOTYPE_BYTE, 65537, true);
}

static const AllocCase cases[] = {
    {"syncmap-store-new", 200, prep_amended, op_store_new, valid_amended},
    {"syncmap-store-new-boxed", 1000, prep_amended, op_store_new_boxed, valid_amended},
    {"syncmap-store-first", 1000, prep_zero_maps, op_store_first, always},
    {"syncmap-store-existing", 1000, prep_read256, op_store_existing, always},
    {"syncmap-store-existing-boxed", 1000, prep_read256, op_store_existing_boxed, always},
    {"syncmap-load-hit", 1000, prep_read256, op_load, always},
    {"syncmap-load-dirty", 200, prep_dirty256, op_load_i, valid_dirty256},
    {"syncmap-load-promote", 1000, prep_promote, op_load_promote, valid_promote},
    {"map-assign-new-presized", 1000, prep_map_int, op_map_int, valid_steady},
    {"mapany-assign-new-boxed", 1000, prep_map_any, op_map_any, valid_steady},
    {"local-map-8", 1000, prep_none, op_local8, valid_steady},
    {"local-map-9", 100, prep_none, op_local9, valid_steady},
    {"syncmap-new", 1000, prep_none, op_syncmap_new, always},
    {"rwmap-new-64", 1000, prep_none, op_rwmap_new, always},
    {"mumap-new-64", 1000, prep_none, op_mumap_new, always},
    {"mumap-local-64", 1000, prep_none, op_mumap_local, always},
    {"slice-make-var", 1000, prep_none, op_slice_var, always},
    {"slice-make-64k", 1000, prep_none, op_slice_64k, always},
    {"slice-make-64k-plus-1", 1000, prep_none, op_slice_64k1, always},
};
enum { NCASES = sizeof cases / sizeof cases[0] };

static void ctx_free(Ctx *c)
{
    for (unsigned i = 0; i < c->nsms; i++)
        syncmap_free(&c->sms[i]);
    free(c->sms);
    map_free(c->h);
    boxmem_free(&c->bm);
    machine_free(&c->m);
}

/* One sample on fresh state; false if the state drifted. */
static bool sample(const AllocCase *ac, unsigned try, uint64_t *allocs, uint64_t *bytes)
{
    Ctx c;
    memset(&c, 0, sizeof c);
    machine_init(&c.m, NULL, NULL);
    c.m.rng ^= 0x9e3779b97f4a7c15ull * try; /* fresh hash seeds per try */
    boxmem_init(&c.bm);
    ac->prepare(&c, ac->runs);
    ac->op(&c, 0); /* warm-up, as AllocsPerRun */
    HeapStats before = c.m.heap.stats;
    for (int i = 1; i <= ac->runs; i++)
        ac->op(&c, i);
    *allocs = (c.m.heap.stats.mallocs - before.mallocs) / (uint64_t)ac->runs;
    *bytes = (c.m.heap.stats.total_alloc - before.total_alloc) / (uint64_t)ac->runs;
    bool ok = ac->valid(&c);
    ctx_free(&c);
    return ok;
}

int probe_allocs(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--case"))
        return cli_usage("probe");
    for (unsigned i = 0; i < NCASES; i++) {
        if (strcmp(argv[2], cases[i].name))
            continue;
        uint64_t allocs, bytes;
        for (unsigned try = 0; try < 20; try++)
            if (sample(&cases[i], try, &allocs, &bytes)) {
                printf("{\"probe\":\"allocs\",\"case\":\"%s\",\"allocs\":%llu,"
                       "\"bytes\":%llu}\n", cases[i].name, (unsigned long long)allocs,
                       (unsigned long long)bytes);
                return EXIT_OK;
            }
        return cli_error("probe allocs %s: no valid sample in 20 tries", argv[2]);
    }
    fprintf(stderr, "gomemviz: probe allocs: unknown case '%s'; cases:", argv[2]);
    for (unsigned i = 0; i < NCASES; i++)
        fprintf(stderr, " %s", cases[i].name);
    fputc('\n', stderr);
    return EXIT_USAGE;
}
