/*
 * test_world.c — the World rebuilt from events: objects and their states,
 * tiny and arena sub-objects, stacks, maps growing, sync.Map promoting,
 * cache lines and invalidations, and robustness against nonsense events.
 */
#include "testutil.h"

#include <string.h>

#include "trace_read.h"
#include "viz_synth.h"
#include "world.h"

/* Apply events [0, n) of a trace in memory to a fresh World. */
static void world_from(World *w, const uint8_t *buf, size_t len, uint64_t n)
{
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, buf, len), TRACE_OK);
    world_init(w, &r.params);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    while (w->c.events < n && trace_cursor_next(&c, &e))
        world_apply(w, &e);
    trace_cursor_free(&c);
    trace_close(&r);
}

/* The heap pane's counts by kind equal a pass over the objects. */
static void assert_heap_counts(const World *w)
{
    uint64_t kind[OBJ_COUNT] = {0}, whole = 0;
    const WObj *o;
    for (uint32_t i = 0; (o = wobj_next(w, &i)); i++) {
        if (o->space == SPACE_STACK || o->space == SPACE_STATIC)
            continue;
        kind[o->kind]++;
        whole += o->space != SPACE_TINY && o->space != SPACE_ARENA;
    }
    assert_memory_equal(kind, w->c.heap_kind, sizeof kind);
    assert_int_equal(whole, w->c.heap_whole);
}

static void synth(MemTrace *mt)
{
    TraceParams p = trace_params_default();
    memtrace_open(mt, &p);
    synth_lesson(&mt->tr);
    memtrace_close(mt);
}

static void test_synth_end_state(void **state)
{
    (void)state;
    MemTrace mt;
    synth(&mt);
    World w;
    world_from(&w, (uint8_t *)mt.buf, mt.len, UINT64_MAX);
    assert_heap_counts(&w);
    /* the first slice array was freed by the GC, the second lives */
    assert_null(world_obj_at(&w, SYN_HEAP, false));
    const WObj *o = world_obj_at(&w, SYN_HEAP + 0x2000, false);
    assert_non_null(o);
    assert_int_equal(o->kind, OBJ_ARRAY);
    assert_int_equal(o->state, OBJ_LIVE);
    const WSlice *s = world_slice_by_hdr(&w, SYN_STACK0 + SYN_WIN - 0x20);
    assert_non_null(s);
    assert_int_equal(s->array, SYN_HEAP + 0x2000);
    assert_int_equal(s->cap, 4);
    /* the map is mid-growth with one old bucket evacuated */
    const WMap *m = world_map(&w, SYN_HEAP + 0x4000);
    assert_non_null(m);
    assert_true(m->growing);
    assert_int_equal(m->B, 2);
    assert_int_equal(m->nevacuated, 1);
    const WBucket *b = world_bucket(&w, SYN_HEAP + 0x6000);
    assert_non_null(b);
    assert_true(b->evacuated & BUCKET_EVACUATED);
    const WBucket *ov = world_bucket(&w, SYN_HEAP + 0x2120);
    assert_non_null(ov);
    assert_true(ov->is_overflow);
    /* sync.Map promoted: misses reset, no dirty, entry 2 expunged */
    assert_int_equal(w.sms.n, 1);
    assert_int_equal(w.sms.v[0].misses, 0);
    assert_int_equal(w.sms.v[0].dirty, 0);
    assert_int_equal(w.sms.v[0].readmap, SYN_HEAP + 0x40c0);
    assert_int_equal(w.entries.n, 2);
    assert_int_equal(w.entries.v[1].state, ENTRY_EXPUNGED);
    /* core 0 owns the counters line, core 1's copy was invalidated */
    const WLine *l = world_line(&w, 0, SYN_HEAP + 0xc000);
    assert_non_null(l);
    assert_int_equal(l->state, MESI_M);
    assert_int_equal(l->touched & 0xff, 0xff);
    assert_null(world_line(&w, 1, SYN_HEAP + 0xc000));
    assert_int_equal(w.c.invalidations, 2);
    assert_int_equal(w.c.false_sharing, 2);
    assert_int_equal(w.recent.n, 2);
    /* the worker goroutine exited and its frame popped */
    const WGoroutine *g = world_g(&w, 1);
    assert_non_null(g);
    assert_true(g->exited);
    for (uint32_t i = 0; i < w.frames.n; i++)
        assert_int_not_equal(w.gs.v[w.frames.v[i].g].id, 1);
    assert_int_equal(w.nar.step, 8);
    assert_int_equal(w.c.ignored, 0);
    world_free(&w);
    free(mt.buf);
}

static void test_tiny_and_arena(void **state)
{
    (void)state;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    uint32_t ty = tracer_str(t, "x");
    TRACE(t, ALLOC, 0xc000008000ull, 16, 16, 2, ty, OBJ_TINY_BLOCK, SPACE_HEAP, 0);
    TRACE(t, ALLOC, 0xc000008000ull, 8, 0, 2, ty, OBJ_BOXED, SPACE_TINY, 0);
    TRACE(t, ALLOC, 0xc000008008ull, 4, 0, 2, ty, OBJ_BOXED, SPACE_TINY, 0);
    TRACE(t, GARBAGE, 0xc000008000ull);  /* the int64 sub-object */
    TRACE(t, ALLOC, 0xc00000c000ull, 65536, 65536, 0, ty, OBJ_ARENA, SPACE_LARGE, 0);
    TRACE(t, ALLOC, 0xc00000c000ull, 144, 0, 0, ty, OBJ_BUCKETS, SPACE_ARENA, 0);
    TRACE(t, GARBAGE, 0xc00000c000ull);  /* the chunk, not the bucket */
    memtrace_close(&mt);
    World w;
    world_from(&w, (uint8_t *)mt.buf, mt.len, 4);
    assert_heap_counts(&w);
    assert_int_equal(world_obj_at(&w, 0xc000008000ull, true)->state, OBJ_GARBAGE);
    assert_int_equal(world_obj_at(&w, 0xc000008000ull, false)->state, OBJ_LIVE);
    world_free(&w);
    world_from(&w, (uint8_t *)mt.buf, mt.len, 7);
    assert_heap_counts(&w);
    assert_int_equal(world_obj_at(&w, 0xc00000c000ull, false)->state, OBJ_GARBAGE);
    assert_int_equal(world_obj_at(&w, 0xc00000c000ull, true)->state, OBJ_LIVE);
    assert_int_equal(w.c.live_bytes, 16 + 65536);
    world_free(&w);
    free(mt.buf);
}

/* A frame's stack objects (a small map's hmap in its frame) die with the
 * frame, however many heap objects there are: the World finds them in
 * stack_objs, without a pass over every object, and keeps them across a
 * keyframe. */
static void test_frame_pop_takes_its_stack_objects(void **state)
{
    (void)state;
    enum { NHEAP = 150000 };
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    uint32_t ty = tracer_str(t, "runtime.hmap"), fn = tracer_str(t, "main.f");
    TRACE(t, G_CREATE, 1, fn, 0xc800000000ull, 0xc800008000ull);
    TRACE(t, FRAME_PUSH, 1, fn, 0xc800008000ull);
    TRACE(t, FRAME_PUSH, 1, fn, 0xc800007f00ull);
    TRACE(t, ALLOC, 0xc800007e00ull, 48, 48, 0, ty, OBJ_HMAP, SPACE_STACK, 1);  /* in frame 2 */
    TRACE(t, ALLOC, 0xc800007f80ull, 48, 48, 0, ty, OBJ_HMAP, SPACE_STACK, 1);  /* in frame 1 */
    for (uint64_t i = 0; i < NHEAP; i++)
        TRACE(t, ALLOC, 0xc000000000ull + 16 * i, 16, 16, 2, ty, OBJ_OTHER, SPACE_HEAP, 1);
    TRACE(t, FRAME_POP, 1, 0xc800007f00ull);
    memtrace_close(&mt);
    World w, mid;
    world_from(&mid, (uint8_t *)mt.buf, mt.len, 5 + NHEAP);
    assert_heap_counts(&mid);
    assert_int_equal(mid.stack_objs.n, 2);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    world_init(&w, &r.params);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    WSnap *snap = NULL;
    while (trace_cursor_next(&c, &e)) {
        if (e.type == EV_FRAME_POP)
            snap = world_snap(&w);
        world_apply(&w, &e);
    }
    trace_cursor_free(&c);
    trace_close(&r);
    assert_null(world_obj_at(&w, 0xc800007e00ull, false));     /* popped */
    assert_non_null(world_obj_at(&w, 0xc800007f80ull, false)); /* frame 1's */
    assert_int_equal(w.nar.popped_next, 1); /* remembered, to slide it off */
    assert_int_equal(w.nar.popped[0].sp, 0xc800007f00ull);
    assert_int_equal(w.nar.popped[0].fn, fn);
    assert_int_equal(w.nar.popped[0].at, 5 + NHEAP);
    assert_int_equal(w.gs.v[w.nar.popped[0].g].id, 1);
    assert_non_null(snap);
    world_snap_restore(&w, snap); /* back before the pop */
    assert_true(world_equal(&w, &mid));
    assert_non_null(world_obj_at(&w, 0xc800007e00ull, false));
    world_snap_free(snap);
    world_free(&mid);
    world_free(&w);
    free(mt.buf);
}

static void test_free_takes_sub_objects(void **state)
{
    (void)state;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    TRACE(t, ALLOC, 0xc00000c000ull, 65536, 65536, 0, 0, OBJ_ARENA, SPACE_LARGE, 0);
    for (int i = 0; i < 4; i++)
        TRACE(t, ALLOC, 0xc00000c000ull + 144 * i, 144, 0, 0, 0, OBJ_BUCKETS, SPACE_ARENA, 0);
    TRACE(t, GARBAGE, 0xc00000c000ull);
    TRACE(t, FREE, 0xc00000c000ull, 65536);
    memtrace_close(&mt);
    World w;
    world_from(&w, (uint8_t *)mt.buf, mt.len, UINT64_MAX);
    assert_heap_counts(&w);
    assert_int_equal(w.c.objects, 0);
    assert_int_equal(w.c.live_bytes, 0);
    assert_int_equal(w.c.frees, 1);
    world_free(&w);
    free(mt.buf);
}

/* Many tiny blocks, each with sub-objects (one of them garbage), then all
 * freed: every sub-object goes with its block (each found by address, not by
 * a pass over all objects).  Arena sub-objects count in the chunk that holds
 * them, among several chunks. */
static void test_many_containers(void **state)
{
    (void)state;
    enum { NBLOCKS = 20000 };
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    uint64_t base = 0xc000100000ull;
    for (uint64_t i = 0; i < NBLOCKS; i++) {
        uint64_t b = base + 16 * i;
        TRACE(t, ALLOC, b, 16, 16, 2, 0, OBJ_TINY_BLOCK, SPACE_HEAP, 0);
        TRACE(t, ALLOC, b, 8, 0, 2, 0, OBJ_BOXED, SPACE_TINY, 0);
        TRACE(t, ALLOC, b + 8, 4, 0, 2, 0, OBJ_BOXED, SPACE_TINY, 0);
        TRACE(t, GARBAGE, b + 8);
    }
    for (uint64_t i = 0; i < NBLOCKS; i++)
        TRACE(t, FREE, base + 16 * i, 16);
    for (uint64_t c = 0; c < 3; c++)
        TRACE(t, ALLOC, 0xc004000000ull + c * 65536, 65536, 65536, 0, 0, OBJ_ARENA, SPACE_LARGE, 0);
    for (uint64_t k = 0; k < 5; k++)
        TRACE(t, ALLOC, 0xc004010000ull + 65536 * (k & 1) + 144 * k, 144, 0, 0, 0, OBJ_BUCKETS,
              SPACE_ARENA, 0);
    memtrace_close(&mt);
    World w;
    world_from(&w, (uint8_t *)mt.buf, mt.len, 4ull * NBLOCKS);
    assert_int_equal(w.c.objects, 3 * NBLOCKS);
    assert_int_equal(w.c.garbage_objs, NBLOCKS);
    assert_heap_counts(&w);
    world_free(&w);
    world_from(&w, (uint8_t *)mt.buf, mt.len, UINT64_MAX);
    assert_int_equal(w.c.objects, 3 + 5);
    assert_int_equal(w.c.garbage_objs, 0);
    assert_int_equal(w.c.frees, NBLOCKS);
    assert_heap_counts(&w);
    assert_int_equal(world_obj_at(&w, 0xc004000000ull, false)->nsub, 0);
    assert_int_equal(world_obj_at(&w, 0xc004010000ull, false)->nsub, 3);
    assert_int_equal(world_obj_at(&w, 0xc004020000ull, false)->nsub, 2);
    world_free(&w);
    free(mt.buf);
}

/* Two variants side by side: each gets only the counters of its own events. */
static void test_variant_counters(void **state)
{
    (void)state;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    TRACE(t, ALLOC, 0xc000000000ull, 48, 48, 5, 0, OBJ_HMAP, SPACE_HEAP, 0); /* before any */
    TRACE(t, VARIANT, 0, tracer_str(t, "sync.Map"));
    for (int i = 0; i < 3; i++)
        TRACE(t, ALLOC, 0xc000002000ull + 16 * i, 16, 16, 2, 0, OBJ_ENTRY, SPACE_HEAP, 0);
    TRACE(t, VARIANT, 1, tracer_str(t, "map+Mutex"));
    TRACE(t, ALLOC, 0xc000004000ull, 144, 144, 11, 0, OBJ_BUCKETS, SPACE_HEAP, 0);
    memtrace_close(&mt);
    World w;
    world_from(&w, (uint8_t *)mt.buf, mt.len, 4);
    assert_heap_counts(&w); /* inside variant 0: 2 of its 3 */
    assert_int_equal(w.nar.nvariants, 1);
    assert_int_equal(world_variant_counters(&w, 0).allocs, 2);
    world_free(&w);
    world_from(&w, (uint8_t *)mt.buf, mt.len, UINT64_MAX);
    assert_heap_counts(&w);
    assert_int_equal(w.nar.nvariants, 2);
    assert_int_equal(w.nar.variant, 1);
    WCounters a = world_variant_counters(&w, 0), b = world_variant_counters(&w, 1);
    assert_int_equal(a.allocs, 3);
    assert_int_equal(a.alloc_bytes, 48);
    assert_int_equal(b.allocs, 1);
    assert_int_equal(b.alloc_bytes, 144);
    assert_int_equal(w.c.allocs, 5);
    assert_int_equal(world_variant_counters(&w, 7).allocs, 0);
    world_free(&w);
    free(mt.buf);
}

/* Events that refer to nothing known, out-of-range fields: counted, no harm. */
static void test_nonsense_is_ignored(void **state)
{
    (void)state;
    TraceParams p = trace_params_default();
    World w;
    world_init(&w, &p);
    Event e = {0};
    uint64_t junk[] = {0, 1, UINT64_MAX, 0xc000000000ull, 7, 9999999};
    for (unsigned type = 0; type < EV_COUNT; type++)
        for (unsigned k = 0; k < 6; k++) {
            e.type = (uint16_t)type;
            e.nfields = (uint16_t)event_info(type)->nfields;
            for (unsigned f = 0; f < EVENT_MAX_FIELDS; f++)
                e.f[f] = junk[(k + f) % 6];
            e.index = w.c.events;
            world_apply(&w, &e);
        }
    assert_int_equal(w.c.events, EV_COUNT * 6);
    assert_true(w.c.ignored > 0);
    assert_true(w.gs.n <= WORLD_MAX_G);
    assert_heap_counts(&w);
    world_free(&w);
}

/* Apply one event of the given type and fields to w. */
static void apply6(World *w, unsigned type, uint64_t f0, uint64_t f1, uint64_t f2,
                   uint64_t f3, uint64_t f4)
{
    Event e = {.type = (uint16_t)type, .nfields = (uint16_t)event_info(type)->nfields,
               .index = w->c.events, .f = {f0, f1, f2, f3, f4}};
    world_apply(w, &e);
}

static void assert_slice(const World *w, uint64_t hdr, uint64_t array, uint64_t len,
                         uint64_t cap)
{
    const WSlice *s = world_slice_by_hdr(w, hdr);
    assert_non_null(s);
    assert_int_equal(s->array, array);
    assert_int_equal(s->len, len);
    assert_int_equal(s->cap, cap);
}

/* SLICE_SET says what a header holds, nil included; SLICE_GROW (which
 * names only the old array) moves a header only in traces without stores:
 * it never picks one of two nil slices, nor overrides a stored header. */
static void test_slice_headers(void **state)
{
    (void)state;
    TraceParams p = trace_params_default();
    World w;
    world_init(&w, &p);
    const uint64_t A = 0xc801ffff40, B = 0xc801ffff28, C = 0xc801ffff10;
    const uint64_t X = 0xc000016000, Y = 0xc000016010, Z = 0xc000020000;
    apply6(&w, EV_SLICE_SET, A, 0, 0, 0, 0);
    apply6(&w, EV_SLICE_SET, B, 0, 0, 0, 0);
    assert_slice(&w, A, 0, 0, 0);
    apply6(&w, EV_SLICE_GROW, 0, X, 0, 0, 1); /* append to a: a nil array */
    assert_slice(&w, B, 0, 0, 0);
    assert_slice(&w, A, 0, 0, 0);
    apply6(&w, EV_SLICE_SET, A, X, 1, 1, 0);
    assert_slice(&w, A, X, 1, 1);
    apply6(&w, EV_SLICE_GROW, X, Y, 1, 1, 2); /* the store says the rest */
    assert_slice(&w, A, X, 1, 1);
    apply6(&w, EV_SLICE_SET, A, Y, 2, 2, 0);
    apply6(&w, EV_SLICE_SET, A, Y, 3, 4, 0); /* no growth: len alone */
    assert_slice(&w, A, Y, 3, 4);
    assert_int_equal(world_slice_by_hdr(&w, A)->born, w.c.events - 1);
    assert_slice(&w, B, 0, 0, 0);
    assert_int_equal(w.c.ignored, 0);
    /* a trace without stores: the made header follows its growth */
    apply6(&w, EV_SLICE_MAKE, C, Z, 2, 2, 8);
    apply6(&w, EV_SLICE_GROW, Z, Z + 0x100, 2, 2, 4);
    assert_slice(&w, C, Z + 0x100, 2, 4);
    apply6(&w, EV_SLICE_GROW, 0xdead0000, Z, 1, 1, 2); /* no header holds it */
    assert_int_equal(w.c.ignored, 1);
    assert_slice(&w, C, Z + 0x100, 2, 4);
    world_free(&w);
}

static void test_save_load_roundtrip(void **state)
{
    (void)state;
    MemTrace mt;
    synth(&mt);
    World a, b;
    world_from(&a, (uint8_t *)mt.buf, mt.len, 60);
    TraceParams p = a.params;
    world_init(&b, &p);
    size_t n;
    void *blob = world_save(&a, &n);
    assert_int_equal(n, world_bytes(&a));
    world_load(&b, blob, n);
    assert_true(world_equal(&a, &b));
    for (uint32_t i = 0; i < a.objs.n; i++)
        if (wobj(&b, i) && wobj(&b, i)->state != OBJ_DEAD)
            assert_ptr_equal(world_obj_at(&b, wobj(&b, i)->addr,
                                          wobj(&b, i)->space == SPACE_TINY ||
                                              wobj(&b, i)->space == SPACE_ARENA),
                             wobj(&b, i));
    free(blob);
    world_free(&a);
    world_free(&b);
    free(mt.buf);
}

/* The object history answers "newest allocation of this key before
 * position n" exactly, with keys reused a few times and very often. */
static void test_history_finds_newest_below(void **state)
{
    (void)state;
    enum { N = 20000 };
    static uint64_t keyof[N];
    WHistory h = {0};
    uint64_t s = 99;
    for (uint32_t i = 0; i < N; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        keyof[i] = (s >> 33) % 3 == 0 ? 7 : (s >> 40) % 500; /* key 7: a third of all */
        whist_add(&h, keyof[i], i);
        whist_add(&h, keyof[i], i); /* again, as a replay after a restore does */
    }
    assert_int_equal(h.n, N);
    for (uint32_t t = 0; t < 3000; t++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t below = (uint32_t)((s >> 20) % (N + 1));
        uint64_t key = t % 2 ? 7 : (s >> 45) % 520;
        uint32_t want = 0;
        for (uint32_t i = below; i-- > 0;)
            if (keyof[i] == key) {
                want = i + 1;
                break;
            }
        assert_int_equal(whist_find(&h, key, below), want);
    }
    whist_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synth_end_state),
        cmocka_unit_test(test_history_finds_newest_below),
        cmocka_unit_test(test_tiny_and_arena),
        cmocka_unit_test(test_free_takes_sub_objects),
        cmocka_unit_test(test_frame_pop_takes_its_stack_objects),
        cmocka_unit_test(test_many_containers),
        cmocka_unit_test(test_nonsense_is_ignored),
        cmocka_unit_test(test_slice_headers),
        cmocka_unit_test(test_variant_counters),
        cmocka_unit_test(test_save_load_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
