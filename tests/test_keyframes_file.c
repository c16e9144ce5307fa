/*
 * test_keyframes_file.c — a Replay opened with its keyframes file is the
 * Replay the index pass makes: the same keyframes, steps, panes and status,
 * and every seek the same World.  A file that does not belong (another
 * trace, other options, damaged anywhere, cut short anywhere) is refused
 * with its reason and the index pass runs instead.
 */
#include "replay_traces.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyframes_file.h"
#include "scenario.h"
#include "world_snap_impl.h"

static char dir[] = "/tmp/gmv-test-keyframes-XXXXXX";
static char kfpath[64];

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(kfpath, sizeof kfpath, "%s/t.keyframes", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(kfpath);
    return rmdir(dir);
}

static void open_mem(Replay *rp, const MemTrace *mt, size_t len, const ReplayOptions *opt)
{
    replay_open_mem(rp, (uint8_t *)mt->buf, len, opt);
    assert_true(rp->usable);
}

/* opt (NULL: the defaults) with kfpath as its keyframes file. */
static ReplayOptions with_file(const ReplayOptions *opt)
{
    ReplayOptions with = opt ? *opt : (ReplayOptions){0};
    with.keyframes = kfpath;
    return with;
}

/* Index mt with opt and write its keyframes to kfpath. */
static void save_keyframes(const MemTrace *mt, const ReplayOptions *opt)
{
    Replay rp;
    open_mem(&rp, mt, mt->len, opt);
    char err[256];
    assert_int_equal(keyframes_save(&rp, kfpath, err, sizeof err), 0);
    replay_close(&rp);
}

/* Everything but the Worlds, then the Worlds at many positions. */
static void check_same(Replay *a, Replay *b)
{
    assert_int_equal(a->nevents, b->nevents);
    assert_int_equal(a->status, b->status);
    assert_string_equal(a->message, b->message);
    assert_memory_equal(&a->has, &b->has, sizeof a->has);
    assert_int_equal(a->interval, b->interval);
    assert_int_equal(a->nsteps, b->nsteps);
    for (size_t k = 0; k < a->nsteps; k++) { /* fields: padding is not state */
        assert_int_equal(a->steps[k].at, b->steps[k].at);
        assert_int_equal(a->steps[k].index, b->steps[k].index);
        assert_int_equal(a->steps[k].title, b->steps[k].title);
        assert_int_equal(a->steps[k].is_mark, b->steps[k].is_mark);
    }
    assert_int_equal(a->nkf, b->nkf);
    for (size_t k = 0; k < a->nkf; k++) {
        assert_int_equal(a->kf[k].at, b->kf[k].at);
        assert_int_equal(a->kf[k].step, b->kf[k].step);
    }
    assert_int_equal(a->w.obj_hist.n, b->w.obj_hist.n);
    uint64_t n = a->nevents, seed = 3;
    for (uint64_t p = n + 1; p-- > 0;) { /* every position, backwards */
        if (n > 3000 && p % 97 && p != n)
            continue;
        replay_seek(a, p), replay_seek(b, p);
        assert_true(world_equal(&a->w, &b->w));
    }
    for (int i = 0; i < 200; i++) {
        seed = seed * 6364136223846793005ull + 1;
        uint64_t p = (seed >> 33) % (n + 1);
        replay_seek(a, p), replay_seek(b, p);
        assert_true(world_equal(&a->w, &b->w));
    }
}

/* Index mt, write its keyframes, open it again with them: the same. */
static void round_trip(const MemTrace *mt, size_t len, const ReplayOptions *opt)
{
    Replay a, b;
    open_mem(&a, mt, len, opt);
    char err[256];
    assert_int_equal(keyframes_save(&a, kfpath, err, sizeof err), 0);
    ReplayOptions with = with_file(opt);
    with.lazy = true; /* no matter: the file makes it whole */
    open_mem(&b, mt, len, &with);
    assert_string_equal(b.kf_note, "");
    assert_true(b.from_file);
    assert_true(replay_indexed(&b));
    check_same(&a, &b);
    replay_close(&a);
    replay_close(&b);
}

static void test_mixed_trace(void **state)
{
    (void)state;
    MemTrace mt;
    mixed(&mt, 60000);
    round_trip(&mt, mt.len, NULL);
    ReplayOptions tight = {.interval = 64, .budget = 1u << 20}; /* thinned */
    round_trip(&mt, mt.len, &tight);
    round_trip(&mt, mt.len * 2 / 3, NULL); /* cut short: its status kept */
    free(mt.buf);
}

/* Keyframes of deltas on chains (world_delta.c) come back as chains. */
static void test_delta_keyframes(void **state)
{
    (void)state;
    MemTrace mt;
    random_buckets(&mt, 4000);
    ReplayOptions often = {.interval = 50, .budget = (size_t)1 << 30};
    Replay rp;
    open_mem(&rp, &mt, mt.len, &often);
    uint32_t deltas = 0;
    for (size_t k = 0; k < rp.nkf; k++)
        deltas += rp.kf[k].snap->vec[VEC_buckets].ndeltas;
    assert_true(deltas > 100);
    replay_close(&rp);
    round_trip(&mt, mt.len, &often);
    free(mt.buf);
}

/* Every scenario `record` knows: maps, sync.Maps, caches, stacks. */
static void test_every_scenario(void **state)
{
    (void)state;
    for (const Scenario *const *s = scenario_all(); *s; s++) {
        MachineConfig cfg = scenario_config(*s);
        TraceParams tp = scenario_params(&cfg);
        MemTrace mt;
        memtrace_open(&mt, &tp);
        assert_int_equal(scenario_record(*s, &cfg, &mt.tr), 0);
        memtrace_close(&mt);
        ReplayOptions small = {.interval = 256};
        round_trip(&mt, mt.len, &small);
        free(mt.buf);
    }
}

/* Opened with path as its keyframes file: refused, with why; and the
 * index pass made the same Replay as without it. */
static void check_refused(const MemTrace *mt, const ReplayOptions *opt, const char *why)
{
    ReplayOptions with = with_file(opt);
    Replay a, b;
    open_mem(&a, mt, mt->len, &with);
    assert_false(a.from_file);
    assert_non_null(strstr(a.kf_note, why));
    assert_null(strchr(a.kf_note, '\n'));
    open_mem(&b, mt, mt->len, opt);
    check_same(&a, &b);
    assert_int_equal(a.w.page_bytes, b.w.page_bytes); /* nothing left over */
    replay_close(&a);
    replay_close(&b);
}

static void write_bytes(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static unsigned char *read_bytes(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    unsigned char *p = malloc(*n);
    assert_int_equal(fread(p, 1, *n, f), *n);
    fclose(f);
    return p;
}

static void test_refuses_what_does_not_belong(void **state)
{
    (void)state;
    MemTrace a, b;
    mixed(&a, 3000);
    mixed(&b, 3100);
    save_keyframes(&a, NULL);
    check_refused(&b, NULL, "made from another trace");
    a.buf[a.len - 9] ^= 1; /* the same length, one bit changed */
    check_refused(&a, NULL, "made from another trace");
    a.buf[a.len - 9] ^= 1;
    ReplayOptions other = {.interval = 100};
    check_refused(&a, &other, "other keyframe options");
    write_bytes(kfpath, (const unsigned char *)"hello", 5);
    check_refused(&a, NULL, "damaged or cut short");
    write_bytes(kfpath, (const unsigned char *)"GMVKEYF\nnot really a header at all, too short", 45);
    check_refused(&a, NULL, "damaged or cut short");
    unlink(kfpath);
    Replay rp;
    ReplayOptions missing = with_file(NULL);
    open_mem(&rp, &a, a.len, &missing);
    assert_false(rp.from_file);
    assert_string_equal(rp.kf_note, ""); /* no file is no news */
    replay_close(&rp);
    /* a lazy open not indexed yet has nothing to write */
    ReplayOptions lazy = {.lazy = true};
    open_mem(&rp, &a, a.len, &lazy);
    char err[256];
    assert_int_equal(keyframes_save(&rp, kfpath, err, sizeof err), -1);
    assert_non_null(strstr(err, "not indexed"));
    assert_int_equal(access(kfpath, F_OK), -1);
    replay_close(&rp);
    free(a.buf);
    free(b.buf);
}

/* A byte changed anywhere, or the file cut anywhere: refused, never
 * followed (ASan watches the reading). */
static void test_refuses_damage_anywhere(void **state)
{
    (void)state;
    MemTrace mt;
    random_buckets(&mt, 1500);
    ReplayOptions often = {.interval = 40, .budget = (size_t)1 << 30};
    save_keyframes(&mt, &often);
    ReplayOptions with = with_file(&often);
    Replay rp;
    size_t n;
    unsigned char *good = read_bytes(kfpath, &n);
    unsigned char *bad = malloc(n);
    for (size_t at = 0; at < n; at += 1 + at / 7) {
        memcpy(bad, good, n);
        bad[at] ^= (unsigned char)(1u << (at % 8));
        write_bytes(kfpath, bad, n);
        open_mem(&rp, &mt, mt.len, &with);
        assert_false(rp.from_file);
        assert_true(rp.kf_note[0]);
        replay_close(&rp);
        write_bytes(kfpath, good, at); /* cut short there */
        open_mem(&rp, &mt, mt.len, &with);
        assert_false(rp.from_file);
        replay_close(&rp);
    }
    write_bytes(kfpath, good, n); /* and whole again, it is taken */
    open_mem(&rp, &mt, mt.len, &with);
    assert_true(rp.from_file);
    replay_close(&rp);
    free(good);
    free(bad);
    free(mt.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed_trace),
        cmocka_unit_test(test_delta_keyframes),
        cmocka_unit_test(test_every_scenario),
        cmocka_unit_test(test_refuses_what_does_not_belong),
        cmocka_unit_test(test_refuses_damage_anywhere),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
