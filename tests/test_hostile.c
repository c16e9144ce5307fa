/*
 * test_hostile.c — traces that are well formed but say impossible things:
 * the viewer replays, seeks and draws them without a crash, a hang or
 * undefined behaviour (this suite runs under ASan and UBSan).
 *
 * A damaged file is the reader's business (test_trace, the fuzzer); here
 * every chunk's CRC is right and the nonsense is in the fields: event types
 * at random with edge values (0, 1, all ones, powers of two, addresses
 * reused across kinds), cache geometries the recorder never writes, an
 * overflow bucket that links to itself, a sub-object bigger than its block;
 * and the View at random too, as keys and the mouse can set it.
 * Each of the named cases below broke the viewer once.
 */
#include "testutil.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "offscreen.h"

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A field value: mostly small numbers or one of a few addresses, so that
 * events meet the objects, maps and buckets other events made. */
static uint64_t edge_value(uint64_t *s, const uint64_t *addrs)
{
    switch (rng(s) % 12) {
    case 0: return 0;
    case 1: return 1;
    case 2: return rng(s) % 9;
    case 3: return rng(s) % 300;
    case 4: return UINT64_MAX - rng(s) % 3;
    case 5: return (uint64_t)1 << (rng(s) % 64);
    case 6: return UINT32_MAX;
    case 7: case 8: case 9: return addrs[rng(s) % 16] + (rng(s) % 3) * 8;
    case 10: return rng(s);
    default: return rng(s) % 70000;
    }
}

static void random_trace(MemTrace *mt, uint64_t *s)
{
    uint64_t addrs[16];
    for (int i = 0; i < 16; i++)
        addrs[i] = 0xc000000000ull + (rng(s) % 4096) * 16;
    TraceParams p = trace_params_default();
    p.flags = rng(s) & 1;
    if (rng(s) % 4 == 0) { /* a geometry no recorder writes */
        p.ncores = (uint8_t)(rng(s) % 10);
        p.ways = (uint16_t)(rng(s) % 80);
        p.cache_size = (uint32_t)(rng(s) % 100000);
        p.line_size = (uint16_t)(8u << (rng(s) % 5));
    }
    memtrace_open(mt, &p);
    uint32_t strs[4] = {tracer_str(&mt->tr, "x"), tracer_str(&mt->tr, "main.f"),
                        tracer_str(&mt->tr, "a label long enough to need cutting short"), 0};
    unsigned n = 50 + (unsigned)(rng(s) % 3000);
    for (unsigned k = 0; k < n; k++) {
        unsigned type = (unsigned)(rng(s) % EV_COUNT);
        uint64_t f[EVENT_MAX_FIELDS];
        for (unsigned j = 0; j < event_nfields[type]; j++)
            f[j] = event_kinds[type][j] == 's' ? strs[rng(s) % 4] : edge_value(s, addrs);
        tracer_emit(&mt->tr, type, f, event_nfields[type]);
    }
    memtrace_close(mt);
}

/* The rest of a View as the window's keys and mouse can set it: where the
 * animation comes from, palette and text size, help, scroll, the pointer,
 * an answer, the panes wanted, a selected object. */
static void random_view(View *v, const Replay *rp, uint64_t *s)
{
    v->from = rng(s) % (rp->nevents + 1);
    v->phase = (float)(rng(s) % 5) / 4;
    v->palette = (int)(rng(s) % 2);
    v->text_scale = 0.5f + (float)(rng(s) % 5) / 2;
    v->help = rng(s) % 5 == 0;
    v->pan_y = (int)(rng(s) % 200000) - 100000;
    v->hover_x = (int)(rng(s) % 700) - 30;
    v->hover_y = (int)(rng(s) % 460) - 30;
    v->answered = (int)(rng(s) % 6);
    for (int p = 0; p < PANE_COUNT; p++)
        v->want[p] = rng(s) % 4 != 0;
    const WObj *o = rp->w.objs.n ? wobj(&rp->w, (uint32_t)(rng(s) % rp->w.objs.n)) : NULL;
    v->highlight = o ? o->addr : rng(s) % 2 ? rng(s) : 0;
}

/* Open (eagerly or lazily), seek about, draw some of the positions. */
static void replay_and_draw(Offscreen *o, const MemTrace *mt, uint64_t *s)
{
    Replay rp;
    ReplayOptions opt = {.interval = 1 + rng(s) % 64, .lazy = rng(s) & 1};
    replay_open_mem(&rp, (const uint8_t *)mt->buf, mt->len, &opt);
    if (rp.usable) {
        View v;
        view_defaults(&v);
        v.name = "hostile";
        for (int q = 0; q < 6; q++) {
            v.pos = v.from = rng(s) % (rp.nevents + 1);
            replay_seek(&rp, v.pos);
            v.zoom = q == 2 ? 3.0f : 1.0f;
            if (q & 1)
                random_view(&v, &rp, s);
            if (q < 3)
                offscreen_render(o, &rp, &v);
        }
    }
    replay_close(&rp);
}

/* GMV_HOSTILE_SEEDS=FROM-TO runs those seeds instead of 1-8 (a long run
 * by hand: the suite keeps to eight). */
static void seed_range(uint64_t *from, uint64_t *to)
{
    const char *e = getenv("GMV_HOSTILE_SEEDS");
    unsigned long long a, b;
    *from = 1, *to = 8;
    if (e && sscanf(e, "%llu-%llu", &a, &b) == 2 && a >= 1 && a <= b)
        *from = a, *to = b;
    else if (e)
        fprintf(stderr, "test_hostile: GMV_HOSTILE_SEEDS=%s is not FROM-TO; seeds 1-8\n", e);
}

static Offscreen *off;

static int setup(void **state)
{
    (void)state;
    uint64_t from, to;
    seed_range(&from, &to);
    /* a hang fails the test instead of stalling the suite; 40 s a seed more */
    alarm(300 + (unsigned)((to - from + 1) > 8 ? (to - from - 7) * 40 : 0));
    off = malloc(sizeof *off);
    char err[256];
    if (!off || !offscreen_init(off, 640, 400, err, sizeof err)) {
        fprintf(stderr, "test_hostile: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    offscreen_free(off);
    free(off);
    return 0;
}

static void test_random_fields(void **state)
{
    (void)state;
    uint64_t from, to;
    seed_range(&from, &to);
    for (uint64_t seed = from; seed <= to; seed++) {
        uint64_t s = seed * 0x9e3779b97f4a7c15ull;
        for (int i = 0; i < 40; i++) {
            MemTrace mt;
            random_trace(&mt, &s);
            replay_and_draw(off, &mt, &s);
            free(mt.buf);
        }
    }
}

/* Close the recording, open it, and a View at its end. */
static void open_at_end(MemTrace *mt, Replay *rp, View *v)
{
    memtrace_close(mt);
    assert_int_equal(replay_open_mem(rp, (uint8_t *)mt->buf, mt->len, NULL), TRACE_OK);
    view_defaults(v);
    v->pos = v->from = rp->nevents;
}

static void close_trace(MemTrace *mt, Replay *rp)
{
    replay_close(rp);
    free(mt->buf);
}

/* An overflow bucket that is its own overflow, then evacuated: the chain
 * walk must end. */
static void test_overflow_cycle(void **state)
{
    (void)state;
    const uint64_t h = 0xc000001000ull, b = 0xc000002000ull, nb = 0xc000004000ull;
    MemTrace mt;
    memtrace_open(&mt, NULL);
    TRACE(&mt.tr, MAP_NEW, h, 8, 8, 144, 0, 0);
    TRACE(&mt.tr, MAP_BUCKETS, h, b, 0, 1);
    TRACE(&mt.tr, MAP_OVERFLOW, h, b, b);
    TRACE(&mt.tr, MAP_GROW_START, h, 0, 1, 0, b, nb);
    TRACE(&mt.tr, MAP_EVACUATE, h, 0, 1, 0);
    Replay rp;
    View v;
    open_at_end(&mt, &rp, &v);
    assert_int_equal(rp.w.c.evacuations, 1);
    offscreen_render(off, &rp, &v);
    close_trace(&mt, &rp);
}

/* A tiny block holding a sub-object of 4 GiB: drawn clipped to the block. */
static void test_sub_object_past_its_block(void **state)
{
    (void)state;
    const uint64_t a = 0xc000010000ull;
    MemTrace mt;
    memtrace_open(&mt, NULL);
    TRACE(&mt.tr, SPAN_NEW, a, 1, 2, 1, 512);
    TRACE(&mt.tr, ALLOC, a, 16, 16, 2, 0, OBJ_TINY_BLOCK, SPACE_HEAP, 0);
    TRACE(&mt.tr, ALLOC, a + 8, UINT32_MAX, UINT32_MAX, 2, 0, OBJ_OTHER, SPACE_TINY, 0);
    Replay rp;
    View v;
    open_at_end(&mt, &rp, &v);
    for (float z = 1; z <= 4; z *= 2) {
        v.zoom = z;
        offscreen_render(off, &rp, &v);
    }
    close_trace(&mt, &rp);
}

/* A span of 2^32 - 1 slots with one object near its end, drawn in small
 * windows at every zoom: counting its rows must not wrap around, nor may
 * the cells under the "+N slots" label, and the object is not drawn
 * billions of pixels down. */
static void test_span_with_more_slots_than_shown(void **state)
{
    (void)state;
    const uint64_t a = 0xc000010000ull;
    MemTrace mt;
    memtrace_open(&mt, NULL);
    TRACE(&mt.tr, SPAN_NEW, a, UINT32_MAX, 5, 0, UINT32_MAX);
    TRACE(&mt.tr, ALLOC, a + 48 * 4000000000ull, 48, 48, 5, 0, OBJ_OTHER, SPACE_HEAP, 0);
    Replay rp;
    View v;
    open_at_end(&mt, &rp, &v);
    static const int sizes[][2] = {{320, 200}, {400, 300}, {640, 400}, {320, 900}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        Offscreen o;
        char err[256];
        assert_true(offscreen_init(&o, sizes[i][0], sizes[i][1], err, sizeof err));
        for (float z = 0.25f; z <= 8; z *= 2) {
            v.zoom = z;
            offscreen_render(&o, &rp, &v);
        }
        offscreen_free(&o);
    }
    close_trace(&mt, &rp);
}

/* A span that ends past the top of the address space, every object below
 * it: its end must not wrap below its start (which made it look full). */
static void test_span_past_the_top(void **state)
{
    (void)state;
    const uint64_t a = UINT64_MAX - 4096;
    MemTrace mt;
    memtrace_open(&mt, NULL);
    TRACE(&mt.tr, SPAN_NEW, 0xc000000000ull, 1, 5, 0, 170);
    TRACE(&mt.tr, ALLOC, 0xc000000000ull, 48, 48, 5, 0, OBJ_OTHER, SPACE_HEAP, 0);
    TRACE(&mt.tr, SPAN_NEW, a, 4, 5, 0, 100);
    Replay rp;
    View v;
    open_at_end(&mt, &rp, &v);
    offscreen_render(off, &rp, &v);
    close_trace(&mt, &rp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overflow_cycle),
        cmocka_unit_test(test_sub_object_past_its_block),
        cmocka_unit_test(test_span_with_more_slots_than_shown),
        cmocka_unit_test(test_span_past_the_top),
        cmocka_unit_test(test_random_fields),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
