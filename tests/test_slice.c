/*
 * test_slice.c — growslice's capacities (GO119_FACTS.md's examples), make's
 * stack/heap decision and reasons, garbage of outgrown arrays, copy, and
 * the index-out-of-range panic with Go's message.
 */
#include <string.h>

#include "testutil.h"
#include "slice.h"
#include "trace_read.h"

static const GoType I64 = {8, 8, false, "int64"}, BYTE = {1, 1, false, "byte"};

static void test_newcap_facts(void **state)
{
    (void)state;
    assert_int_equal(slice_newcap(512, 513, 1), 896);
    assert_int_equal(slice_newcap(512, 513, 8), 848);
    assert_int_equal(slice_newcap(8, 9, 100), 17);
    assert_int_equal(slice_newcap(32, 33, 1000), 65);
    assert_int_equal(slice_newcap(0, 1, 1), 8);
    assert_int_equal(slice_newcap(0, 1, 2), 4);
    assert_int_equal(slice_newcap(0, 1, 4), 2);
    assert_int_equal(slice_newcap(0, 1, 24), 1);
    assert_int_equal(slice_newcap(5, 100, 8), 112); /* needed > 2*cap: 800 B -> 896 */
    assert_int_equal(slice_newcap(3, 4, 0), 4);     /* zero-size: as asked */
    assert_int_equal(slice_newcap(0, 1ull << 62, 8), 0); /* cap out of range */
}

static void test_append_grows_and_drops(void **state)
{
    (void)state;
    Machine m;
    machine_init(&m, NULL, NULL);
    Slice s = slice_nil(&I64, 0);
    uint64_t caps[16], n = 0, prev = 0;
    for (int i = 0; i < 600; i++) {
        s = slice_append(&m, s, 1);
        if (s.cap != prev)
            caps[n++] = prev = s.cap;
    }
    static const uint64_t want[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 848};
    assert_int_equal(n, 11);
    assert_memory_equal(caps, want, sizeof want);
    assert_int_equal(s.len, 600);
    assert_int_equal(heap_gc(&m.heap), 10); /* the ten outgrown arrays */
    assert_true(heap_check(&m.heap));
    machine_free(&m);
}

static void test_make_where(void **state)
{
    (void)state;
    Machine m;
    machine_init(&m, NULL, NULL);
    Slice a = slice_make(&m, &I64, 8, 8, (MakeSite){false, true, "a"});
    assert_true(a.array >= STACK_REGION && !slice_on_heap(a));
    Slice b = slice_make(&m, &BYTE, 65536, 65536, (MakeSite){false, true, "b"});
    assert_false(slice_on_heap(b)); /* exactly 64 KiB still fits */
    Slice c = slice_make(&m, &BYTE, 65537, 65537, (MakeSite){false, true, "c"});
    assert_true(slice_on_heap(c));
    Slice d = slice_make(&m, &I64, 1, 1, (MakeSite){false, false, "d"});
    assert_true(slice_on_heap(d));
    Slice e = slice_make(&m, &I64, 1, 1, (MakeSite){true, true, "e"});
    assert_true(slice_on_heap(e));
    assert_int_equal(slice_copy(&m, d, a), 1);
    machine_free(&m);
}

/* A machine recording into mt. */
static void traced_machine(MemTrace *mt, Machine *m)
{
    TraceParams tp = trace_params_default();
    memtrace_open(mt, &tp);
    machine_init(m, &mt->tr, NULL);
}

/* Stop m and open what it recorded in mt with r. */
static void reopen(MemTrace *mt, Machine *m, TraceReader *r)
{
    machine_free(m);
    memtrace_close(mt);
    assert_int_equal(trace_open_mem(r, (uint8_t *)mt->buf, mt->len), TRACE_OK);
}

static void test_index_panic(void **state)
{
    (void)state;
    MemTrace mt;
    Machine m;
    traced_machine(&mt, &m);
    Slice s = slice_make(&m, &I64, 3, 3, (MakeSite){true, false, "s"});
    assert_int_equal(slice_index(&m, s, 2, true), SLICE_OK);
    assert_int_equal(slice_index(&m, s, 5, false), SLICE_PANIC);
    TraceReader r;
    reopen(&mt, &m, &r);
    bool found = false;
    for (uint32_t i = 0; i < r.nstrs; i++)
        found |= !strcmp(trace_string(&r, i), "index out of range [5] with length 3");
    assert_true(found);
    trace_close(&r);
    free(mt.buf);
}

/* Every store of a header (nil, appends with and without growth) is a
 * SLICE_SET with what the header now holds, in order; a slice without a
 * header variable records none. */
static void test_header_stores_recorded(void **state)
{
    (void)state;
    MemTrace mt;
    Machine m;
    traced_machine(&mt, &m);
    stack_push(machine_stack(&m), "main.f");
    uint64_t hdr = stack_local(machine_stack(&m), "s", "[]int64", SLICE_HEADER_SIZE, 8);
    Slice s = slice_nil(&I64, hdr), tmp = slice_nil(&I64, 0);
    slice_store(&m, s);
    uint64_t want[3][3];
    for (int i = 0; i < 3; i++) {
        s = slice_append(&m, s, 1);
        want[i][0] = s.array, want[i][1] = s.len, want[i][2] = s.cap;
    }
    tmp = slice_append(&m, tmp, 5);
    TraceReader r;
    reopen(&mt, &m, &r);
    TraceCursor c;
    trace_cursor_init(&c, &r);
    Event e;
    int n = 0;
    while (trace_cursor_next(&c, &e)) {
        if (e.type != EV_SLICE_SET)
            continue;
        assert_int_equal(e.f[0], hdr);
        if (n == 0) { /* var s []int64 */
            assert_int_equal(e.f[1], 0);
            assert_int_equal(e.f[2] | e.f[3], 0);
        } else {
            assert_true(n <= 3);
            assert_int_equal(e.f[1], want[n - 1][0]);
            assert_int_equal(e.f[2], want[n - 1][1]);
            assert_int_equal(e.f[3], want[n - 1][2]);
        }
        n++;
    }
    assert_int_equal(n, 4); /* cap 1, 2, then len 3 in cap 4 */
    assert_int_equal(want[2][1], 3);
    assert_int_equal(want[2][2], 4);
    trace_cursor_free(&c);
    trace_close(&r);
    free(mt.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newcap_facts),
        cmocka_unit_test(test_append_grows_and_drops),
        cmocka_unit_test(test_make_where),
        cmocka_unit_test(test_index_panic),
        cmocka_unit_test(test_header_stores_recorded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
