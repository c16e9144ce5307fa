/*
 * test_heap.c — the mallocgc model: spans per size class and per P, the tiny
 * allocator's packing, large objects, garbage, GC and slot reuse, MemStats.
 */
#include "testutil.h"
#include "heap.h"

static Heap h;

static int setup(void **state)
{
    (void)state;
    heap_init(&h, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_true(heap_check(&h));
    heap_free_all(&h);
    return 0;
}

static void test_small_objects_share_a_span(void **state)
{
    (void)state;
    uint64_t a = heap_alloc(&h, 48, false, OBJ_HMAP, "hmap");
    uint64_t b = heap_alloc(&h, 33, false, OBJ_ARRAY, "[33]byte"); /* class 48 too */
    uint64_t c = heap_alloc(&h, 144, false, OBJ_BUCKETS, "bucket");
    assert_true(a == HEAP_BASE);
    assert_true(b == a + 48);
    assert_true(c == HEAP_BASE + SC_PAGE_SIZE); /* a new span for class 144 */
    assert_int_equal(h.stats.mallocs, 3);
    assert_int_equal(h.stats.total_alloc, 48 + 48 + 144);
    assert_true(heap_check(&h));
}

static void test_noscan_and_scan_spans_differ(void **state)
{
    (void)state;
    uint64_t a = heap_alloc(&h, 64, false, OBJ_OTHER, "*T");
    uint64_t b = heap_alloc(&h, 64, true, OBJ_OTHER, "[64]byte");
    assert_true(b - a >= SC_PAGE_SIZE);
}

static void test_tiny_packing(void **state)
{
    (void)state;
    uint64_t a = heap_alloc(&h, 8, true, OBJ_BOXED, "int64");
    uint64_t b = heap_alloc(&h, 4, true, OBJ_BOXED, "int32");
    uint64_t c = heap_alloc(&h, 1, true, OBJ_BOXED, "bool");
    uint64_t d = heap_alloc(&h, 2, true, OBJ_BOXED, "int16"); /* aligns to 14 */
    uint64_t e = heap_alloc(&h, 8, true, OBJ_BOXED, "int64"); /* new block */
    assert_true(b == a + 8 && c == a + 12 && d == a + 14);
    assert_true(e == a + 16);
    assert_int_equal(h.stats.mallocs, 5);       /* every tiny alloc counts */
    assert_int_equal(h.stats.total_alloc, 32);  /* two 16-byte blocks */
    /* 16 bytes is not tiny: its own class-2 object */
    uint64_t f = heap_alloc(&h, 16, true, OBJ_OTHER, "[16]byte");
    assert_true(f == a + 32);
}

static void test_tiny_block_freed_when_all_parts_dead(void **state)
{
    (void)state;
    uint64_t a = heap_alloc(&h, 8, true, OBJ_BOXED, "int64");
    uint64_t b = heap_alloc(&h, 8, true, OBJ_BOXED, "int64");
    heap_garbage(&h, a);
    assert_int_equal(heap_gc(&h), 0); /* b keeps the block alive */
    heap_garbage(&h, b);
    assert_int_equal(heap_gc(&h), 1);
    assert_int_equal(heap_object_size(&h, a), 0);
}

static void test_large_object_own_pages(void **state)
{
    (void)state;
    uint64_t small = heap_alloc(&h, 8192, false, OBJ_ARRAY, "[1024]*int");
    uint64_t big = heap_alloc(&h, 32769, true, OBJ_ARRAY, "[32769]byte");
    assert_int_equal(heap_object_size(&h, big), 40960);
    assert_true(big == small + SC_PAGE_SIZE);
    assert_int_equal(h.stats.total_alloc, 8192 + 40960);
}

static void test_garbage_gc_and_reuse(void **state)
{
    (void)state;
    uint64_t a = heap_alloc(&h, 100, false, OBJ_OTHER, "T");
    uint64_t b = heap_alloc(&h, 100, false, OBJ_OTHER, "T");
    heap_garbage(&h, a);
    assert_int_equal(heap_object_state(&h, a), SLOT_GARBAGE);
    assert_int_equal(heap_gc(&h), 1);
    assert_int_equal(heap_object_state(&h, a), SLOT_FREE);
    assert_int_equal(heap_object_state(&h, b), SLOT_LIVE);
    uint64_t c = heap_alloc(&h, 112, false, OBJ_OTHER, "T");
    assert_true(c == a); /* the freed slot is reused */
    assert_int_equal(h.stats.frees, 1);
}

static void test_empty_span_released_and_pages_reused(void **state)
{
    (void)state;
    uint64_t big = heap_alloc(&h, 100000, true, OBJ_ARRAY, "big");
    heap_garbage(&h, big);
    heap_gc(&h);
    uint64_t again = heap_alloc(&h, 90000, true, OBJ_ARRAY, "big");
    assert_true(again == big); /* first fit from the lowest address */
    assert_int_equal(h.stats.live_bytes, 90112);
}

static void test_each_p_has_its_own_span(void **state)
{
    (void)state;
    uint64_t a = heap_alloc(&h, 8, false, OBJ_ENTRY, "entry");
    h.cur_p = 1;
    uint64_t b = heap_alloc(&h, 8, false, OBJ_ENTRY, "entry");
    h.cur_p = 0;
    uint64_t c = heap_alloc(&h, 8, false, OBJ_ENTRY, "entry");
    assert_true(b - a == SC_PAGE_SIZE); /* P1 caches a different span */
    assert_true(c == a + 8);
}

static void test_zero_size(void **state)
{
    (void)state;
    assert_true(heap_alloc(&h, 0, false, OBJ_OTHER, "struct{}") == HEAP_ZEROBASE);
    assert_int_equal(h.stats.mallocs, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_small_objects_share_a_span), T(test_noscan_and_scan_spans_differ),
        T(test_tiny_packing), T(test_tiny_block_freed_when_all_parts_dead),
        T(test_large_object_own_pages), T(test_garbage_gc_and_reuse),
        T(test_empty_span_released_and_pages_reused), T(test_each_p_has_its_own_span),
        T(test_zero_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
