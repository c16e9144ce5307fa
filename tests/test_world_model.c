/*
 * test_world_model.c — the World the viewer rebuilds from a trace, against
 * the model that recorded it.  Every scenario runs (with its own machine,
 * then again with caches on), and at its end the World must hold what the
 * model holds: each core's valid cache lines with their MESI state and the
 * bytes used, every live and garbage heap object with its size, and the
 * heap's counters.  The viewer's tests otherwise check the World against
 * events written by hand; this is what ties it to the real recorder.
 */
#include "testutil.h"

#include <string.h>

#include "cache_internal.h"
#include "lesson.h"
#include "map_internal.h"
#include "scenario.h"
#include "syncmap.h"
#include "trace_read.h"
#include "world.h"

/* Start m on cfg, recording into mt. */
static void start(Machine *m, MemTrace *mt, MachineConfig cfg)
{
    TraceParams tp = trace_params_default();
    tp.ncores = (uint8_t)cfg.ncores;
    tp.flags = cfg.cache ? TRACE_FLAG_CACHE : 0;
    memtrace_open(mt, &tp);
    machine_init(m, &mt->tr, &cfg);
}

/* Stop recording (the model stays, for the comparison) and rebuild *w from
 * what m recorded into mt. */
static void rebuild(Machine *m, MemTrace *mt, World *w)
{
    m->tr = m->heap.tr = NULL;
    for (unsigned g = 0; g < m->ng; g++)
        if (m->g[g])
            m->g[g]->tr = NULL;
    memtrace_close(mt);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt->buf, mt->len), TRACE_OK);
    world_init(w, &r.params);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    while (trace_cursor_next(&c, &e))
        world_apply(w, &e);
    trace_cursor_free(&c);
    trace_close(&r);
    free(mt->buf);
}

/* Each core's valid lines, both ways round. */
static void check_caches(const char *name, const Cpu *cpu, unsigned ncores, const World *w)
{
    size_t model = 0, world = 0, ways = (size_t)cpu->nsets * cpu->cfg.ways;
    for (unsigned c = 0; c < ncores; c++) {
        const CoreCache *cc = &cpu->core[c];
        for (size_t i = 0; i < ways; i++) {
            if (cc->tags[i] == NO_LINE)
                continue;
            model++;
            const WLine *l = world_line(w, c, cc->tags[i]);
            if (!l || l->state != cc->lines[i].state || l->touched != cc->lines[i].used)
                fail_msg("%s: core %u line 0x%llx: model %s used 0x%llx, World %s used 0x%llx",
                         name, c, (unsigned long long)cc->tags[i],
                         mesi_state_name(cc->lines[i].state),
                         (unsigned long long)cc->lines[i].used,
                         l ? mesi_state_name(l->state) : "absent",
                         l ? (unsigned long long)l->touched : 0ull);
        }
    }
    for (size_t i = 0; i < (size_t)ncores * w->nsets * w->ways; i++)
        world += w->lines[i].state != MESI_I;
    if (model != world)
        fail_msg("%s: the model holds %zu valid lines, the World %zu", name, model, world);
}

static const int state_of[] = {[OBJ_LIVE] = SLOT_LIVE, [OBJ_GARBAGE] = SLOT_GARBAGE};

/* Every live or garbage heap object, both ways round, and the counters. */
static void check_heap(const char *name, const Heap *h, const World *w)
{
    size_t model = 0, world = 0;
    for (uint32_t s = 0; s < h->nspans; s++) {
        const Span *sp = &h->spans[s];
        for (uint32_t k = 0; sp->in_use && k < sp->nelems; k++) {
            if (sp->slot[k] == SLOT_FREE)
                continue;
            model++;
            uint64_t addr = sp->base + (uint64_t)k * sp->elemsize;
            const WObj *o = world_obj_at(w, addr, false);
            if (!o || state_of[o->state] != sp->slot[k] || o->rounded != heap_object_size(h, addr))
                fail_msg("%s: object at 0x%llx: model %s %llu B, World %s %u B", name,
                         (unsigned long long)addr, sp->slot[k] == SLOT_LIVE ? "live" : "garbage",
                         (unsigned long long)heap_object_size(h, addr),
                         !o ? "absent" : o->state == OBJ_LIVE ? "live" : "garbage",
                         o ? o->rounded : 0);
        }
    }
    const WObj *o;
    for (uint32_t i = 0; (o = wobj_next(w, &i)); i++)
        world += o->space == SPACE_HEAP || o->space == SPACE_LARGE;
    if (model != world)
        fail_msg("%s: the model holds %zu heap objects, the World %zu", name, model, world);
    assert_int_equal(w->c.live_bytes, h->stats.live_bytes);
    assert_int_equal(w->c.gc_cycles, h->stats.gc_cycles);
}

/* One bucket and its overflow chain: the World's record has the model's
 * tophash bytes and links (a bucket the trace never mentioned has no
 * record, and then every slot is still emptyRest). */
static void check_chain(const Map *h, const World *w, uint64_t addr)
{
    for (; addr; addr = bmap_overflow_peek(h, map_host(h, addr))) {
        const uint8_t *top = map_host(h, addr);
        uint64_t ovf = bmap_overflow_peek(h, top);
        const WBucket *b = world_bucket(w, addr);
        static const uint8_t none[8];
        if (b ? memcmp(b->tophash, top, 8) != 0 || b->overflow != ovf : memcmp(top, none, 8) != 0) {
            char mt[40] = "", wt[40] = "(no record)";
            for (int i = 0; i < 8; i++) {
                snprintf(mt + 3 * i, 4, "%02x ", top[i]);
                if (b)
                    snprintf(wt + 3 * i, 4, "%02x ", b->tophash[i]);
            }
            fail_msg("bucket 0x%llx: model tophash %s overflow 0x%llx, World %s overflow 0x%llx",
                     (unsigned long long)addr, mt, (unsigned long long)ovf, wt,
                     b ? (unsigned long long)b->overflow : 0ull);
        }
    }
}

/* The hmap and every bucket of both arrays, chains included. */
static void check_map(const Map *h, const World *w)
{
    const WMap *wm = world_map(w, h->addr);
    assert_non_null(wm);
    assert_int_equal(wm->B, h->B);
    assert_int_equal(wm->buckets, h->buckets);
    assert_int_equal(wm->oldbuckets, h->oldbuckets);
    assert_int_equal(wm->growing, h->oldbuckets != 0);
    assert_int_equal(wm->used, h->count);
    for (uint64_t i = 0; h->buckets && i < (1ull << h->B); i++)
        check_chain(h, w, h->buckets + i * h->t->bucketsize);
    uint64_t nold = h->oldbuckets ? noldbuckets(h) : 0;
    assert_int_equal(wm->noldbuckets, nold);
    for (uint64_t i = 0; i < nold; i++)
        check_chain(h, w, h->oldbuckets + i * h->t->bucketsize);
}

/* Random keys from [0, range): a third of the operations delete. */
static void random_ops(Machine *m, Map *h, uint64_t *seed, unsigned n, uint64_t range)
{
    for (unsigned i = 0; i < n; i++) {
        *seed ^= *seed << 13, *seed ^= *seed >> 7, *seed ^= *seed << 17;
        int64_t key = (int64_t)(*seed % range);
        if (*seed >> 60 < 5)
            map_delete_i64(m, h, key);
        else
            map_assign_i64(m, h, key, (int64_t)i);
    }
}

/* A window of 200 keys slides on (delete the oldest, insert a new one)
 * until the overflow buckets it leaves start a same-size growth. */
static void churn(Machine *m, Map *h)
{
    int64_t next = 0;
    while (next < 200)
        map_assign_i64(m, h, next++, 0);
    while (!(h->oldbuckets && same_size_grow(h)) && next < 100000) {
        map_delete_i64(m, h, next - 200);
        map_assign_i64(m, h, next++, 0);
    }
    assert_true(h->oldbuckets && same_size_grow(h));
}

enum { PLAIN, GROWING, CHURN };

/* Maps stopped at many points of their life: while the first bucket is
 * still nil, after growth, after deletes, 0-3 writes into a doubling or a
 * same-size growth (old and new arrays both live, some buckets evacuated).
 * Keys are random, so overflow chains form. */
static void test_maps(void **state)
{
    (void)state;
    static const struct { int mode; unsigned n, extra; } cases[] = {
        {PLAIN, 0, 0},     {PLAIN, 1, 0},      {PLAIN, 9, 0},     {PLAIN, 40, 0},
        {PLAIN, 300, 0},   {PLAIN, 3000, 0},   {GROWING, 8, 0},   {GROWING, 30, 1},
        {GROWING, 200, 0}, {GROWING, 200, 3},  {GROWING, 2000, 2}, {CHURN, 0, 0},
        {CHURN, 0, 1},     {CHURN, 0, 3},
    };
    MapType t;
    maptype_init(&t, &GOTYPE_INT64, &GOTYPE_INT64);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        Machine m;
        MemTrace mt;
        World w;
        start(&m, &mt, machine_config_default());
        stack_push(machine_stack(&m), "main.f");
        Map *h = map_make(&m, &t, 0, (MakeSite){true, false, "m"});
        uint64_t seed = 0x9e3779b97f4a7c15ull * (k + 1), range = cases[k].n < 100 ? 64 : cases[k].n;
        if (cases[k].mode == CHURN)
            churn(&m, h);
        else
            random_ops(&m, h, &seed, cases[k].n, range);
        for (unsigned i = 0; cases[k].mode == GROWING && !h->oldbuckets && i < 100000; i++)
            map_assign_i64(&m, h, (int64_t)(range + i), 0); /* new keys until it grows */
        random_ops(&m, h, &seed, cases[k].extra, range);
        assert_true(cases[k].mode == PLAIN || h->oldbuckets);
        rebuild(&m, &mt, &w);
        print_message("case %zu: B %u, %s, %llu keys\n", k, h->B,
                      !h->oldbuckets ? "not growing" : same_size_grow(h) ? "same-size growth" : "doubling",
                      (unsigned long long)h->count);
        check_map(h, &w);
        world_free(&w);
        map_free(h);
        machine_free(&m);
    }
}

/* The World's record of entry e of sync.Map sm, or NULL. */
static const WEntry *world_entry(const World *w, uint64_t sm, uint64_t e)
{
    for (uint32_t i = 0; i < w->entries.n; i++)
        if (w->entries.v[i].m == sm && w->entries.v[i].entry == e)
            return &w->entries.v[i];
    return NULL;
}

/* Every *entry held by map h (its elems) has the model's state and p. */
static void check_entries(const SyncMap *sm, const Map *h, const World *w)
{
    uint64_t arrays[2] = {h->buckets, h->oldbuckets};
    uint64_t counts[2] = {h->buckets ? 1ull << h->B : 0, h->oldbuckets ? noldbuckets(h) : 0};
    for (int a = 0; a < 2; a++)
        for (uint64_t i = 0; i < counts[a]; i++)
            for (uint64_t b = arrays[a] + i * h->t->bucketsize; b;
                 b = bmap_overflow_peek(h, map_host(h, b)))
                for (unsigned s = 0; s < BUCKET_CNT; s++) {
                    const uint8_t *bp = map_host(h, b);
                    if (bp[s] < TOPHASH_MIN)
                        continue;
                    uint64_t e = load64(bp + slot_elem_off(h->t, s));
                    uint64_t p = boxmem_get(sm->mem, e, 0);
                    unsigned st = p == 0 ? ENTRY_NIL : p == SYNCMAP_EXPUNGED ? ENTRY_EXPUNGED
                                                                             : ENTRY_VALUE;
                    const WEntry *we = world_entry(w, sm->addr, e);
                    if (!we || we->state != st || (st == ENTRY_VALUE && we->value != p))
                        fail_msg("entry 0x%llx: model state %u p 0x%llx, World %s %u p 0x%llx",
                                 (unsigned long long)e, st, (unsigned long long)p,
                                 we ? "" : "(none)", we ? we->state : 0,
                                 we ? (unsigned long long)we->value : 0ull);
                }
}

/* A sync.Map: read and dirty (both hmaps, entries included), amended,
 * misses and len(dirty). */
static void check_syncmap(const SyncMap *sm, const World *w)
{
    const WSyncMap *ws = NULL;
    for (uint32_t i = 0; i < w->sms.n; i++)
        ws = w->sms.v[i].m == sm->addr ? &w->sms.v[i] : ws;
    assert_non_null(ws);
    assert_int_equal(ws->readmap, sm->read.m ? sm->read.m->addr : 0);
    assert_int_equal(ws->amended, sm->read.amended);
    assert_int_equal(ws->dirty, sm->dirty ? sm->dirty->addr : 0);
    assert_int_equal(ws->misses, (uint64_t)sm->misses);
    assert_int_equal(world_sm_dirty_len(w, ws), sm->dirty ? (uint64_t)syncmap_dirty_len(sm) : 0);
    const Map *maps[2] = {sm->read.m, sm->dirty};
    for (int i = 0; i < 2; i++)
        if (maps[i]) {
            check_map(maps[i], w);
            check_entries(sm, maps[i], w);
        }
}

/* sync.Maps stopped after 0 to 3000 random operations on 40 keys (Load,
 * Store, LoadOrStore, Delete, LoadAndDelete): amended or not, misses
 * mounting, just promoted, entries nil and expunged. */
static void test_syncmaps(void **state)
{
    (void)state;
    static const unsigned ops[] = {0, 1, 2, 5, 9, 20, 33, 60, 100, 250, 1000, 3000};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        Machine m;
        MemTrace mt;
        World w;
        BoxMem bm;
        SyncMap sm;
        start(&m, &mt, machine_config_default());
        stack_push(machine_stack(&m), "main.f");
        boxmem_init(&bm);
        syncmap_new(&sm, &m, &bm);
        uint64_t seed = 0x2545f4914f6cdd1dull * (k + 1);
        for (unsigned i = 0; i < ops[k]; i++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            Eface key = iface_int(&m, &bm, (int64_t)(seed % 40)), v;
            switch (seed >> 61) {
            case 0: syncmap_store(&m, &sm, key, iface_int(&m, &bm, (int64_t)i)); break;
            case 1: syncmap_load_or_store(&m, &sm, key, iface_int(&m, &bm, (int64_t)i), &v); break;
            case 2: syncmap_delete(&m, &sm, key); break;
            case 3: syncmap_load_and_delete(&m, &sm, key, &v); break;
            default: syncmap_load(&m, &sm, key, &v); break;
            }
        }
        rebuild(&m, &mt, &w);
        print_message("case %zu: read %llu, dirty %lld, misses %lld, amended %d\n", k,
                      (unsigned long long)syncmap_read_len(&sm), (long long)syncmap_dirty_len(&sm),
                      (long long)sm.misses, sm.read.amended);
        check_syncmap(&sm, &w);
        world_free(&w);
        syncmap_free(&sm);
        boxmem_free(&bm);
        machine_free(&m);
    }
}

/* Each goroutine's frames (by sp, innermost last), and its stack. */
static void check_stacks(const char *name, const Machine *m, const World *w)
{
    for (unsigned g = 0; g < m->ng; g++) {
        const Stack *st = m->g[g];
        if (!st)
            continue;
        const WGoroutine *wg = world_g(w, st->id);
        if (!wg)
            fail_msg("%s: goroutine %u is not in the World", name, st->id);
        assert_int_equal(wg->stack_lo, st->lo);
        assert_int_equal(wg->stack_hi, st->hi);
        unsigned n = 0;
        for (uint32_t i = 0; i < w->frames.n; i++) {
            const WFrame *f = &w->frames.v[i];
            if (w->gs.v[f->g].id != st->id)
                continue;
            if (n >= st->nframes || f->sp != st->frames[n].top)
                fail_msg("%s: g%u frame %u: World sp 0x%llx, model %s", name, st->id, n,
                         (unsigned long long)f->sp, n < st->nframes ? "another" : "none");
            n++;
        }
        if (n != st->nframes)
            fail_msg("%s: g%u has %u frames in the model, %u in the World", name, st->id,
                     st->nframes, n);
    }
}

/* Spans in use, both ways round. */
static void check_spans(const char *name, const Heap *h, const World *w)
{
    size_t model = 0;
    for (uint32_t s = 0; s < h->nspans; s++) {
        const Span *sp = &h->spans[s];
        if (!sp->in_use)
            continue;
        model++;
        const WSpan *ws = NULL;
        for (uint32_t i = 0; i < w->spans.n; i++)
            ws = w->spans.v[i].base == sp->base ? &w->spans.v[i] : ws;
        if (!ws || ws->npages != sp->npages || ws->cls != sp->class || ws->nelems != sp->nelems)
            fail_msg("%s: span at 0x%llx (%u pages, class %u, %u objects) %s in the World", name,
                     (unsigned long long)sp->base, sp->npages, sp->class, sp->nelems,
                     ws ? "differs" : "is not");
    }
    if (model != w->spans.n)
        fail_msg("%s: the model has %zu spans in use, the World %u", name, model, w->spans.n);
}

/* The counters pane: the heap's, and the caches' summed over cores. */
static void check_counters(const Machine *m, const World *w)
{
    const HeapStats *hs = &m->heap.stats;
    assert_int_equal(w->c.allocs, hs->mallocs);
    assert_int_equal(w->c.alloc_bytes, hs->total_alloc);
    assert_int_equal(w->c.frees, hs->frees);
    assert_int_equal(w->c.gc_cycles, hs->gc_cycles);
    if (!m->cpu)
        return;
    uint64_t out[CACHE_NOUTCOMES] = {0}, inval = 0, fs = 0;
    for (unsigned c = 0; c < m->ncores; c++) {
        const CoreStats *cs = cpu_core_stats(m->cpu, (int)c);
        for (int o = 0; o < CACHE_NOUTCOMES; o++)
            out[o] += cs->outcomes[o];
        inval += cs->inval_sent;
        fs += cs->false_sharing;
    }
    for (int o = 0; o < CACHE_NOUTCOMES; o++)
        assert_int_equal(w->c.outcome[o + 1], out[o]); /* OUTCOME_x is CACHE_x + 1 */
    assert_int_equal(w->c.invalidations, inval);
    assert_int_equal(w->c.false_sharing, fs);
    assert_int_equal(w->c.cycles, m->cycles);
}

static void check(const char *name, const Machine *m, const World *w)
{
    print_message("%s\n", name);
    if (m->cpu)
        check_caches(name, m->cpu, m->ncores, w);
    check_heap(name, &m->heap, w);
    check_spans(name, &m->heap, w);
    check_stacks(name, m, w);
    check_counters(m, w);
}

/* Each scenario on its own machine, then with caches on. */
static void test_every_scenario(void **state)
{
    (void)state;
    for (const Scenario *const *sc = scenario_all(); *sc; sc++)
        for (int cache = 0; cache < 2; cache++) {
            MachineConfig cfg = machine_config_default();
            if ((*sc)->ncores)
                cfg.ncores = (*sc)->ncores;
            cfg.cache = (*sc)->cache || cache;
            Machine m;
            MemTrace mt;
            World w;
            start(&m, &mt, cfg);
            assert_int_equal((*sc)->run(&m), 0);
            rebuild(&m, &mt, &w);
            check((*sc)->name, &m, &w);
            world_free(&w);
            machine_free(&m);
        }
}

/* Each lesson as lesson_record runs it. */
static void test_every_lesson(void **state)
{
    (void)state;
    for (const Lesson *const *l = lesson_all(); *l; l++) {
        MachineConfig cfg = machine_config_default();
        cfg.ncores = (*l)->ncores ? (*l)->ncores : 2;
        cfg.cache = (*l)->cache;
        Machine m;
        MemTrace mt;
        World w;
        start(&m, &mt, cfg);
        LessonCtx lc = {.m = &m, .lesson = *l};
        assert_int_equal((*l)->run(&lc), 0);
        assert_int_equal(lc.failed, 0);
        rebuild(&m, &mt, &w);
        check((*l)->slug, &m, &w);
        world_free(&w);
        machine_free(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scenario),
        cmocka_unit_test(test_every_lesson),
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_syncmaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
