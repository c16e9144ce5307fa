/*
 * test_related.c — the events a selected object is related to: its
 * allocation, accesses inside it, invalidations of lines that overlap it
 * (and the write before each), but nothing outside it; for a map bucket,
 * the growth of its array and its evacuation; a sync.Map's misses and
 * promotions.
 */
#include "testutil.h"
#include "related.h"

static void test_related_events(void **state)
{
    (void)state;
    const uint64_t A = 0xc000000040ull; /* a 16-byte object, line 0xc000000040 */
    MemTrace mt;
    TraceParams p = trace_params_default();
    memtrace_open(&mt, &p);
    Tracer *t = &mt.tr;
    TRACE(t, ALLOC, A, 16, 16, 2, 0, OBJ_OTHER, SPACE_HEAP, 0);              /* 0 yes */
    TRACE(t, ALLOC, A + 16, 16, 16, 2, 0, OBJ_OTHER, SPACE_HEAP, 0);         /* 1 no */
    TRACE(t, ACCESS, 1, 1, A + 8, 8, access_info(ACCESS_WRITE, OUTCOME_HITM, MESI_I, MESI_M)); /* 2 yes */
    TRACE(t, INVALIDATE, 1, 0, A, 0xff00, 0xff, 1);                          /* 3 yes: line */
    TRACE(t, ACCESS, 0, 0, A + 16, 8, access_info(0, OUTCOME_HIT, MESI_M, MESI_M)); /* 4 no */
    TRACE(t, EVICT, 0, A + 0x1000, 1);                                       /* 5 no */
    TRACE(t, GARBAGE, A);                                                    /* 6 yes */
    memtrace_close(&mt);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    uint64_t rel[16];
    size_t n = related_find(&r, A, A + 16, 64, rel, 16);
    assert_int_equal(n, 4);
    assert_true(rel[0] == 0 && rel[1] == 2 && rel[2] == 3 && rel[3] == 6);
    assert_int_equal(related_find(&r, A, A + 16, 64, rel, 2), 2); /* bounded */
    trace_close(&r);
    free(mt.buf);
    /* positions are "after the event": from 0, next is 1; from 4, previous is 3 */
    uint64_t ev[] = {0, 2, 3, 6};
    assert_int_equal(related_step(ev, 4, 0, 1), 1);
    assert_int_equal(related_step(ev, 4, 1, 1), 3);
    assert_int_equal(related_step(ev, 4, 4, -1), 3);
    assert_int_equal(related_step(ev, 4, 7, 1), 7); /* none after: stay */
    assert_int_equal(related_step(ev, 4, 1, -1), 1);
}

/* A bucket is related to the growth that retired (or installed) its array
 * and to its own evacuation, which name it only by the array and an index;
 * not to its neighbour's. */
static void test_related_bucket(void **state)
{
    (void)state;
    const uint64_t h = 0xc000001000ull, b = 0xc000002000ull, nb = 0xc000004000ull;
    const uint64_t B1 = b + 144; /* old bucket 1 */
    MemTrace mt;
    memtrace_open(&mt, NULL);
    Tracer *t = &mt.tr;
    TRACE(t, MAP_NEW, h, 8, 8, 144, 1, 0);                                 /* 0 no */
    TRACE(t, MAP_BUCKETS, h, b, 1, 2);                                     /* 1 no: names b */
    TRACE(t, MAP_SLOT_SET, h, b, 0, 9, 0, 0, 1, 1);                        /* 2 no */
    TRACE(t, MAP_SLOT_SET, h, B1, 0, 9, 0, 0, 2, 2);                       /* 3 yes */
    TRACE(t, MAP_GROW_START, h, 1, 2, 0, b, nb);                           /* 4 yes: retires it */
    TRACE(t, MAP_EVACUATE, h, 0, 1, 0);                                    /* 5 no: bucket 0 */
    TRACE(t, MAP_EVACUATE, h, 1, 1, 1);                                    /* 6 yes */
    TRACE(t, MAP_GROW_START, h, 99, 200, 0, 0, UINT64_MAX);                /* 7 no: nonsense */
    TRACE(t, MAP_EVACUATE, h, UINT64_MAX, 1, 1);                           /* 8 no */
    memtrace_close(&mt);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    uint64_t rel[16];
    size_t n = related_find(&r, B1, B1 + 144, 64, rel, 16);
    assert_int_equal(n, 3);
    assert_true(rel[0] == 3 && rel[1] == 4 && rel[2] == 6);
    /* a bucket of the new array: the growth that installed it */
    n = related_find(&r, nb + 3 * 144, nb + 4 * 144, 64, rel, 16);
    assert_int_equal(n, 1);
    assert_int_equal(rel[0], 4);
    trace_close(&r);
    free(mt.buf);
}

/* A sync.Map's misses and promotions: its own, of those types only. */
static void test_related_kinds(void **state)
{
    (void)state;
    const uint64_t m = 0xc000001000ull, other = 0xc000002000ull;
    MemTrace mt;
    memtrace_open(&mt, NULL);
    Tracer *t = &mt.tr;
    TRACE(t, SM_NEW, m);                                                   /* 0 no */
    TRACE(t, SM_MISS, m, 1, 2);                                            /* 1 yes */
    TRACE(t, SM_MISS, other, 1, 2);                                        /* 2 no */
    TRACE(t, SM_MISS, m, 2, 2);                                            /* 3 yes */
    TRACE(t, SM_PROMOTE, m, m + 64, m + 128);                              /* 4 yes */
    TRACE(t, SM_READ_STORE, m, m + 128, m + 192, 0);                       /* 5 no */
    memtrace_close(&mt);
    TraceReader r;
    assert_int_equal(trace_open_mem(&r, (uint8_t *)mt.buf, mt.len), TRACE_OK);
    uint64_t rel[16];
    size_t n = related_find_kinds(&r, m, 1ull << EV_SM_MISS | 1ull << EV_SM_PROMOTE, rel, 16);
    assert_int_equal(n, 3);
    assert_true(rel[0] == 1 && rel[1] == 3 && rel[2] == 4);
    trace_close(&r);
    free(mt.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_related_events),
                                       cmocka_unit_test(test_related_bucket),
                                       cmocka_unit_test(test_related_kinds)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
