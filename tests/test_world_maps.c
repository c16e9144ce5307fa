/*
 * test_world_maps.c — maps and sync.Maps as the viewer rebuilds them from a
 * trace, against the model that recorded it (see test_world_model.c).
 * Maps stopped at 20 points of their life (escaping or in the frame, with
 * or without preallocated overflow buckets) must have the model's B, arrays,
 * count, and every bucket's tophash bytes and overflow link; sync.Maps
 * stopped after 0 to 3000 random operations, the model's read and dirty
 * maps, amended, misses, len(dirty) and every entry's state and pointer.
 */
#include "world_model.h"

#include "map_internal.h"
#include "syncmap.h"
#include "viz_synth.h"

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
 * same-size growth (old and new arrays both live, some buckets evacuated);
 * escaping or in the frame, made with no hint or with one that
 * preallocates overflow buckets.  Keys are random, so chains form. */
static void test_maps(void **state)
{
    (void)state;
    /* hint: make(map, hint); a hint of 100 gives B=4 and an array with
     * overflow buckets preallocated at its end.  local: the map does not
     * escape (hmap, and for a small hint its first bucket, in the frame). */
    static const struct { int mode; unsigned n, extra; int64_t hint; bool local; } cases[] = {
        {PLAIN, 0, 0, 0, false},     {PLAIN, 1, 0, 0, false},      {PLAIN, 9, 0, 0, false},
        {PLAIN, 40, 0, 0, false},    {PLAIN, 300, 0, 0, false},    {PLAIN, 3000, 0, 0, false},
        {GROWING, 8, 0, 0, false},   {GROWING, 30, 1, 0, false},   {GROWING, 200, 0, 0, false},
        {GROWING, 200, 3, 0, false}, {GROWING, 2000, 2, 0, false}, {CHURN, 0, 0, 0, false},
        {CHURN, 0, 1, 0, false},     {CHURN, 0, 3, 0, false},      {PLAIN, 5, 0, 0, true},
        {GROWING, 8, 0, 0, true},    {GROWING, 8, 0, 8, true},     {PLAIN, 300, 0, 100, false},
        {GROWING, 150, 1, 100, false}, {CHURN, 0, 2, 100, true},
    };
    MapType t;
    maptype_init(&t, &GOTYPE_INT64, &GOTYPE_INT64);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        Machine m;
        MemTrace mt;
        World w;
        start(&m, &mt, machine_config_default());
        stack_push(machine_stack(&m), "main.f");
        Map *h = map_make(&m, &t, cases[k].hint, (MakeSite){!cases[k].local, true, "m"});
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

/* sync.Maps stopped after 0 to 3000 random operations on 40 keys (Load,
 * Store, LoadOrStore, Delete, LoadAndDelete), with a GC now and then:
 * amended or not, misses mounting, just promoted, entries nil, expunged
 * and dropped, their memory reused. */
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
            if (i % 97 == 96) /* dropped entries' memory goes back for reuse */
                heap_gc(&m.heap);
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

/* A World to apply mt's events to, one by one from c; replay_end frees
 * it all. */
static void replay_begin(const MemTrace *mt, TraceReader *r, TraceCursor *c, World *w)
{
    assert_int_equal(trace_open_mem(r, (const uint8_t *)mt->buf, mt->len), TRACE_OK);
    trace_cursor_init(c, r);
    world_init(w, &r->params);
}

static void replay_end(MemTrace *mt, TraceReader *r, TraceCursor *c, World *w)
{
    world_free(w);
    trace_cursor_free(c);
    trace_close(r);
    free(mt->buf);
}

/* An entry no map holds (deleted first, as sync/map.go always does) is
 * dropped when its object goes garbage, and stays dropped when another
 * object reuses its memory; an entry the trace never allocated counts as
 * held. */
static void test_entry_held(void **state)
{
    (void)state;
    const uint64_t sm = 0xc000000000ull, a = 0xc000004000ull, b = 0xc000004008ull;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    TRACE(t, SM_NEW, sm);                                          /* 0 */
    TRACE(t, ALLOC, a, 8, 8, 1, 0, OBJ_ENTRY, SPACE_HEAP, 0);
    TRACE(t, SM_ENTRY, sm, a, 1, ENTRY_VALUE, 0xc000002000ull);
    TRACE(t, SM_ENTRY, sm, b, 2, ENTRY_VALUE, 0xc000002010ull);     /* no ALLOC */
    TRACE(t, SM_ENTRY, sm, a, 1, ENTRY_NIL, 0);                     /* deleted */
    TRACE(t, GARBAGE, a);                                          /* 5: dropped */
    TRACE(t, FREE, a, 8);
    TRACE(t, ALLOC, a, 8, 8, 1, 0, OBJ_BOXED, SPACE_HEAP, 0);      /* 7: reused */
    memtrace_close(&mt);
    TraceReader r;
    TraceCursor c;
    World w;
    replay_begin(&mt, &r, &c, &w);
    static const int held_a[] = {-1, -1, 1, 1, 1, 0, 0, 0}; /* after event i */
    static const uint64_t gone_a[] = {0, 0, 0, 0, 0, 5, 5, 7};
    Event e;
    for (int i = 0; trace_cursor_next(&c, &e); i++) {
        world_apply(&w, &e);
        uint64_t gone;
        for (uint32_t k = 0; k < w.entries.n; k++) {
            const WEntry *en = &w.entries.v[k];
            bool held = world_sm_entry_held(&w, en, &gone);
            if (en->entry == b) {
                assert_true(held);
            } else {
                assert_int_equal(held, held_a[i]);
                assert_int_equal(gone, gone_a[i]);
            }
        }
    }
    replay_end(&mt, &r, &c, &w);
}

/* A map exists while its hmap does: a local one until its frame pops (and
 * it went then, however many frames pop after it), a heap one until it
 * turns garbage (and an object born at its address later is not it); one
 * with no object and off every stack, always. */
static void test_map_alive(void **state)
{
    (void)state;
    const uint64_t lo = 0xc800000000ull, hi = 0xc802000000ull, sp = hi - 8;
    const uint64_t local = sp - 0x30, heap = 0xc000000030ull, bare = 0xc0000f0000ull;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    uint32_t s = tracer_str(t, "f"), ty = tracer_str(t, "map[int64]int64");
    TRACE(t, G_CREATE, 0, s, lo, hi);                               /* 0 */
    TRACE(t, FRAME_PUSH, 0, s, sp);
    TRACE(t, LOCAL, 0, s, ty, local, 48);
    TRACE(t, MAP_NEW, local, 8, 8, 144, 0, ty);                     /* 3: local alive */
    TRACE(t, ALLOC, heap, 48, 48, 5, ty, OBJ_HMAP, SPACE_HEAP, 0);
    TRACE(t, MAP_NEW, heap, 8, 8, 144, 0, ty);                      /* 5: heap alive */
    TRACE(t, MAP_NEW, bare, 8, 8, 144, 0, ty);                      /* 6: no object */
    TRACE(t, FRAME_POP, 0, sp);                                     /* 7: local gone */
    TRACE(t, GARBAGE, heap);                                        /* 8: heap gone */
    TRACE(t, FREE, heap, 48);
    TRACE(t, ALLOC, heap, 48, 48, 5, ty, OBJ_BOXED, SPACE_HEAP, 0); /* 10: not the hmap */
    for (int k = 0; k < 2 * WORLD_POPPED; k++) { /* 11-42: more pops than the ring keeps */
        TRACE(t, FRAME_PUSH, 0, s, sp);
        TRACE(t, FRAME_POP, 0, sp);
    }
    memtrace_close(&mt);
    TraceReader r;
    TraceCursor c;
    World w;
    replay_begin(&mt, &r, &c, &w);
    static const int alive[][3] = { /* local, heap, bare after event i; -1 no map yet */
        {-1, -1, -1}, {-1, -1, -1}, {-1, -1, -1}, {1, -1, -1}, {1, -1, -1}, {1, 1, -1},
        {1, 1, 1},    {0, 1, 1},    {0, 0, 1},    {0, 0, 1},   {0, 0, 1}};
    const uint64_t at[3] = {local, heap, bare};
    Event e;
    for (int i = 0; trace_cursor_next(&c, &e); i++) {
        world_apply(&w, &e);
        const int *want = alive[i < 10 ? i : 10]; /* 11 on: as after 10 */
        for (int k = 0; k < 3; k++) {
            const WMap *m = world_map(&w, at[k]);
            uint64_t gone;
            assert_int_equal(m ? world_map_alive(&w, m, &gone) : -1, want[k]);
            if (m && k < 2 && !want[k]) /* popped at 7; garbage at 8, whatever came after */
                assert_int_equal(gone, k ? 8 : 7);
        }
    }
    replay_end(&mt, &r, &c, &w);
}

/* A program that makes more maps than the World has records for keeps
 * its newest: 300 heap maps, each garbage before the next is made, each
 * made with a bucket and a key; the newest is known with its key, the
 * World holds no more records than WORLD_MAX_MAPS and ignored nothing.
 * With all of them alive the 257th is left out, as before. */
static void test_map_records_reused(void **state)
{
    (void)state;
    for (int keep = 0; keep < 2; keep++) {
        MemTrace mt;
        TraceParams p = trace_params_default();
        memtrace_open(&mt, &p);
        const int n = keep ? WORLD_MAX_MAPS + 1 : 300;
        syn_many_maps(&mt.tr, n, keep);
        memtrace_close(&mt);
        TraceReader r;
        TraceCursor c;
        World w;
        replay_begin(&mt, &r, &c, &w);
        Event e;
        while (trace_cursor_next(&c, &e))
            world_apply(&w, &e);
        assert_true(w.maps.n <= WORLD_MAX_MAPS);
        uint64_t last = SYN_HEAP + (uint64_t)(n - 1) * 0x1000;
        const WBucket *b = world_bucket(&w, last + 0x100);
        if (keep) { /* every record in use: the last map is left out */
            assert_null(world_map(&w, last));
            assert_int_equal(w.c.ignored, 3); /* its MAP_NEW, MAP_BUCKETS, MAP_SLOT_SET */
        } else {
            assert_non_null(world_map(&w, last));
            assert_non_null(b);
            assert_int_equal(b->key[0], n - 1);
            assert_int_equal(w.c.ignored, 0);
            assert_null(world_map(&w, SYN_HEAP)); /* the oldest went first */
        }
        replay_end(&mt, &r, &c, &w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_syncmaps),
        cmocka_unit_test(test_entry_held),
        cmocka_unit_test(test_map_alive),
        cmocka_unit_test(test_map_records_reused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
