/*
 * test_replay.c — keyframes and seeking: the World at any position is the
 * same whether reached forwards from 0, backwards from the end, or by random
 * jumps; thinning keeps keyframes under the budget; damaged and truncated
 * traces replay what could be read.
 */
#include "testutil.h"

#include <string.h>

#include "replay.h"
#include "trace_read.h"
#include "replay_traces.h"

/* Each map's count of used slots is what a pass over its buckets finds. */
static void check_used_slots(const World *w)
{
    for (uint32_t mi = 0; mi < w->maps.n; mi++) {
        uint32_t used = 0;
        for (uint32_t i = 0; i < w->buckets.n; i++) {
            const WBucket *b = &w->buckets.v[i];
            if (b->map == mi && !(b->evacuated & BUCKET_EVACUATED))
                for (int s = 0; s < 8; s++)
                    used += b->tophash[s] > 4;
        }
        assert_int_equal(w->maps.v[mi].used, used);
    }
}

/* Reference Worlds for every position, applied one event at a time. */
static World *reference(const MemTrace *mt, uint64_t *n)
{
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt->buf, mt->len), TRACE_OK);
    *n = r.nevents;
    World *ws = calloc(r.nevents + 1, sizeof *ws);
    World w;
    world_init(&w, &r.params);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    for (uint64_t i = 0;; i++) {
        size_t sz;
        void *blob = world_save(&w, &sz);
        world_init(&ws[i], &r.params);
        world_load(&ws[i], blob, sz);
        free(blob);
        if (!trace_cursor_next(&c, &e))
            break;
        world_apply(&w, &e);
        check_used_slots(&w);
    }
    world_free(&w);
    trace_cursor_free(&c);
    trace_close(&r);
    return ws;
}

static void free_reference(World *ws, uint64_t n)
{
    for (uint64_t i = 0; i <= n; i++)
        world_free(&ws[i]);
    free(ws);
}

static void check_all_paths(const MemTrace *mt, const ReplayOptions *opt)
{
    uint64_t n;
    World *ref = reference(mt, &n);
    Replay rp;
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt->buf, mt->len, opt), TRACE_OK);
    assert_int_equal(rp.nevents, n);
    assert_true(world_equal(&rp.w, &ref[opt && opt->lazy ? 0 : n]));
    for (uint64_t p = n + 1; p-- > 0;) { /* backwards from the end */
        replay_seek(&rp, p);
        assert_int_equal(replay_pos(&rp), p);
        assert_true(world_equal(&rp.w, &ref[p]));
    }
    uint64_t seed = 7;
    for (int i = 0; i < 300; i++) { /* random jumps */
        seed = seed * 6364136223846793005ull + 1;
        uint64_t p = (seed >> 33) % (n + 1);
        replay_seek(&rp, p);
        assert_true(world_equal(&rp.w, &ref[p]));
    }
    for (size_t k = 1; k < rp.nkf; k++)
        assert_true(rp.kf[k].at > rp.kf[k - 1].at);
    replay_close(&rp);
    free_reference(ref, n);
}

static void test_seek_every_position(void **state)
{
    (void)state;
    MemTrace mt;
    mixed(&mt, 1500);
    ReplayOptions small = {.interval = 37};
    check_all_paths(&mt, &small);
    check_all_paths(&mt, NULL);
    free(mt.buf);
}

/* sync.Map entries and slice headers, found through indexes that a seek
 * must leave right: two maps share entry addresses, two pairs are built to
 * share an index key, and headers are made again and grown. */
static void test_seek_entries_and_slices(void **state)
{
    (void)state;
    const uint64_t m1 = 0xc000200000ull, m2 = 0xc000300000ull;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    TRACE(t, SM_NEW, m1);
    TRACE(t, SM_NEW, m2);
    uint64_t seed = 99;
    /* (m2, clash) has the index key of (m1, 0xc000400000) */
    uint64_t clash = 0xc000400000ull ^ (m1 * 0x9e3779b97f4a7c15ull) ^ (m2 * 0x9e3779b97f4a7c15ull);
    for (unsigned i = 0; i < 1200; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned pick = (unsigned)(seed >> 33) % 8;
        uint64_t m = (seed >> 40) & 1 ? m2 : m1, en = 0xc000400000ull + ((seed >> 42) % 300) * 16;
        uint64_t hdr = 0xc800001000ull + ((seed >> 44) % 200) * 24;
        if (pick < 3)
            TRACE(t, SM_ENTRY, m, en, (seed >> 20) & 0xff, (seed >> 28) % 3, en + 8);
        else if (pick < 4)
            TRACE(t, SM_EXPUNGE, m, en);
        else if (pick < 5)
            TRACE(t, SM_ENTRY, m2, clash, i, ENTRY_VALUE, 0);
        else if (pick < 7)
            TRACE(t, SLICE_MAKE, hdr, 0xc000500000ull + i * 64, i % 5, 8, 8, 0, 0, 0);
        else
            TRACE(t, SLICE_GROW, 0xc000500000ull + (i - 1) * 64, 0xc000600000ull + i * 64, 3, 4, 8, 8);
    }
    memtrace_close(&mt);
    ReplayOptions small = {.interval = 37};
    check_all_paths(&mt, &small);
    Replay rp;
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt.buf, mt.len, NULL), TRACE_OK);
    assert_true(rp.w.entries.n > 300 && rp.w.entries.n <= 2 * 300 + 1);
    assert_true(rp.w.slices.n <= 200);
    replay_close(&rp);
    free(mt.buf);
}

/* A few addresses allocated and freed over and over: whole pages of objs
 * die and are let go while keyframes still hold them, and the history of
 * one key grows long (its jump pointers are what keeps lookups short). */
static void test_seek_with_pages_let_go(void **state)
{
    (void)state;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    uint32_t ty = tracer_str(t, "T");
    for (unsigned i = 0; i < 900; i++) {
        uint64_t a = 0xc000010000ull + (i % 3) * 16;
        TRACE(t, ALLOC, a, 16, 16, 2, ty, OBJ_OTHER, SPACE_HEAP, 0);
        if (i % 5 == 0)
            TRACE(t, GARBAGE, a);
        if (i % 7 != 3) /* some live on until the next ALLOC replaces them */
            TRACE(t, FREE, a, 16);
    }
    memtrace_close(&mt);
    ReplayOptions small = {.interval = 37}, every = {.interval = 1, .budget = (size_t)1 << 30};
    check_all_paths(&mt, &small);
    check_all_paths(&mt, &every);
    Replay rp; /* and pages were indeed let go */
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt.buf, mt.len, NULL), TRACE_OK);
    assert_true(rp.w.objs.n >= 3 * WPAGE);
    assert_null(wobj(&rp.w, 0));
    assert_non_null(wobj(&rp.w, rp.w.objs.n - 1));
    replay_close(&rp);
    free(mt.buf);
}

/* random_buckets (replay_traces.h): inserts all over a big map make
 * keyframes of deltas. */
static void test_seek_random_bucket_writes(void **state)
{
    (void)state;
    MemTrace mt;
    random_buckets(&mt, 4000);
    ReplayOptions often = {.interval = 50, .budget = (size_t)1 << 30};
    check_all_paths(&mt, &often);
    often.lazy = true;
    check_all_paths(&mt, &often);
    /* a budget that thins keyframes out of the middle of their chains */
    ReplayOptions tight = {.interval = 16, .budget = 1536 * 1024};
    check_all_paths(&mt, &tight);
    Replay thin;
    assert_int_equal(replay_open_mem(&thin, (uint8_t *)mt.buf, mt.len, &tight), TRACE_OK);
    assert_true(thin.interval > 16);
    replay_close(&thin);
    often.lazy = false;
    Replay rp;
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt.buf, mt.len, &often), TRACE_OK);
    assert_true(rp.w.buckets.n >= 1000);
    /* 27 MB were each keyframe to copy the bucket pages it changed */
    assert_true(rp.nkf >= 80);
    assert_true(rp.kf_bytes < ((size_t)9 << 20));
    replay_close(&rp);
    free(mt.buf);
}

/* The index pass reports how far it got: never backwards, last at the end. */
typedef struct {
    uint64_t last, total;
    int calls;
} Progress;

static void note_progress(void *ctx, uint64_t done, uint64_t total)
{
    Progress *p = ctx;
    assert_true(done >= p->last && done <= total);
    p->last = done, p->total = total;
    p->calls++;
}

static void test_progress_reported(void **state)
{
    (void)state;
    MemTrace mt;
    mixed(&mt, 900000); /* over 64 chunks */
    Progress pr = {0};
    ReplayOptions opt = {.progress = note_progress, .progress_ctx = &pr};
    Replay rp;
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt.buf, mt.len, &opt), TRACE_OK);
    assert_true(rp.r.nchunks > 64);
    assert_int_equal(pr.calls, 1 + (int)((rp.r.nchunks + 63) / 64));
    assert_true(pr.last == rp.nevents && pr.total == rp.nevents);
    replay_close(&rp);
    free(mt.buf);
}

/* A keyframe at every event: restores between any two positions copy only
 * the pages that differ, and must still give exactly the reference World
 * (every array's dirty tracking is exercised by the synthetic lesson). */
static void test_paged_keyframes_every_event(void **state)
{
    (void)state;
    MemTrace mt;
    mixed(&mt, 300);
    ReplayOptions every = {.interval = 1, .budget = (size_t)1 << 30};
    check_all_paths(&mt, &every);
    free(mt.buf);
}

static void test_thinning_keeps_budget(void **state)
{
    (void)state;
    MemTrace mt;
    mixed(&mt, 3000);
    ReplayOptions tight = {.interval = 16, .budget = 64 * 1024};
    Replay rp;
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt.buf, mt.len, &tight), TRACE_OK);
    assert_true(rp.kf_bytes <= tight.budget || rp.nkf <= 2);
    assert_true(rp.interval > 16);
    replay_close(&rp);
    check_all_paths(&mt, &tight);
    free(mt.buf);
}

static void test_steps_indexed(void **state)
{
    (void)state;
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    synth_lesson(&mt.tr);
    memtrace_close(&mt);
    Replay rp;
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt.buf, mt.len, NULL), TRACE_OK);
    assert_int_equal(rp.nsteps, 8);
    assert_false(rp.marks_as_steps);
    assert_true(rp.has.heap && rp.has.stacks && rp.has.maps && rp.has.syncmaps);
    assert_true(rp.has.cache && rp.has.source);
    for (size_t k = 0; k < rp.nsteps; k++) {
        replay_seek(&rp, replay_step_end(&rp, k));
        assert_int_equal(rp.w.nar.step, rp.steps[k].index);
        assert_int_equal(replay_step_at(&rp, replay_pos(&rp)), (long)k);
    }
    replay_close(&rp);
    free(mt.buf);
}

/* A lazy open: the index grows as seeks and idle calls ask, the World
 * leaves the frontier and comes back to it, and in the end the keyframes,
 * steps and panes are those of an eager open. */
static void check_lazy(const MemTrace *mt, const ReplayOptions *eager_opt)
{
    ReplayOptions lazy = eager_opt ? *eager_opt : (ReplayOptions){0};
    lazy.lazy = true;
    Replay rp, eager;
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt->buf, mt->len, &lazy), TRACE_OK);
    assert_int_equal(replay_open_mem(&eager, (uint8_t *)mt->buf, mt->len, eager_opt), TRACE_OK);
    uint64_t n = eager.nevents; /* eager seeks are checked against the reference above */
    assert_int_equal(rp.nevents, n);
    assert_int_equal(rp.indexed, 0);
    assert_int_equal(replay_pos(&rp), 0);
    assert_int_equal(rp.nsteps, eager.nsteps);
    for (size_t k = 0; k < rp.nsteps; k++)
        assert_true(rp.steps[k].at == eager.steps[k].at && rp.steps[k].index == eager.steps[k].index &&
                    rp.steps[k].title == eager.steps[k].title);
    assert_memory_equal(&rp.has, &eager.has, sizeof rp.has);
    uint64_t seed = 11, last_indexed = 0;
    for (int i = 0; !replay_indexed(&rp) || i < 400; i++) {
        seed = seed * 6364136223846793005ull + 1;
        unsigned what = (unsigned)(seed >> 60);
        uint64_t limit = rp.indexed + n / 8 + 1; /* mostly near what is indexed */
        uint64_t p = (seed >> 20) % (limit < n ? limit + 1 : n + 1);
        if (what < 4 && !replay_indexed(&rp))
            replay_index_more(&rp);
        else
            replay_seek(&rp, p);
        assert_true(rp.indexed >= last_indexed && rp.indexed <= n);
        last_indexed = rp.indexed;
        replay_seek(&eager, replay_pos(&rp));
        assert_true(world_equal(&rp.w, &eager.w));
        if (what >= 4)
            assert_int_equal(replay_pos(&rp), p);
    }
    assert_null(rp.frontier);
    assert_int_equal(rp.nkf, eager.nkf);
    for (size_t k = 0; k < rp.nkf; k++)
        assert_int_equal(rp.kf[k].at, eager.kf[k].at);
    replay_close(&eager);
    replay_close(&rp);
}

static void test_lazy_index(void **state)
{
    (void)state;
    MemTrace mt;
    mixed(&mt, 120000); /* several chunks */
    ReplayOptions small = {.interval = 37, .budget = (size_t)1 << 30};
    check_lazy(&mt, &small);
    check_lazy(&mt, NULL);
    free(mt.buf);
    mixed(&mt, 1500); /* one chunk: every position against the reference */
    small.lazy = true;
    check_all_paths(&mt, &small);
    free(mt.buf);
}

/* A trace cut short replays what it has and says where it stopped. */
static void test_truncated_and_damaged(void **state)
{
    (void)state;
    MemTrace mt;
    mixed(&mt, 20000);
    Replay rp;
    size_t cut = mt.len * 2 / 3;
    assert_int_equal(replay_open_mem(&rp, (uint8_t *)mt.buf, cut, NULL), TRACE_TRUNCATED);
    assert_true(rp.usable);
    assert_true(rp.nevents > 0);
    assert_non_null(strstr(rp.message, "truncated"));
    replay_seek(&rp, 0);
    replay_seek(&rp, rp.nevents);
    assert_int_equal(replay_pos(&rp), rp.nevents);
    replay_close(&rp);
    /* flip a byte in the middle: CRC mismatch, earlier chunks still usable */
    mt.buf[mt.len / 2] ^= 0x55;
    TraceStatus st = replay_open_mem(&rp, (uint8_t *)mt.buf, mt.len, NULL);
    assert_int_equal(st, TRACE_DAMAGED);
    assert_true(rp.usable);
    assert_non_null(strstr(rp.message, "damaged"));
    replay_close(&rp);
    /* not a trace at all: nothing usable */
    assert_int_not_equal(replay_open_mem(&rp, (const uint8_t *)"hello", 5, NULL), TRACE_OK);
    assert_false(rp.usable);
    replay_close(&rp);
    free(mt.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seek_every_position),
        cmocka_unit_test(test_seek_entries_and_slices),
        cmocka_unit_test(test_seek_with_pages_let_go),
        cmocka_unit_test(test_progress_reported),
        cmocka_unit_test(test_paged_keyframes_every_event),
        cmocka_unit_test(test_thinning_keeps_budget),
        cmocka_unit_test(test_steps_indexed),
        cmocka_unit_test(test_truncated_and_damaged),
        cmocka_unit_test(test_lazy_index),
        cmocka_unit_test(test_seek_random_bucket_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
