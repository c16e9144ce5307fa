/* test_arena.c — bump allocation inside chunks, bulk release. */
#include "testutil.h"
#include "arena.h"

static void test_bump_and_release(void **state)
{
    (void)state;
    Heap h;
    heap_init(&h, NULL);
    Arena a;
    arena_init(&a, &h, 1, 64 * 1024);
    uint64_t p = arena_alloc(&a, 10, 1, OBJ_OTHER, "[10]byte");
    uint64_t q = arena_alloc(&a, 8, 8, OBJ_OTHER, "int64");
    assert_true(q == p + 16); /* aligned bump */
    assert_int_equal(h.stats.mallocs, 1); /* only the chunk is a malloc */
    for (int i = 0; i < 500; i++)
        arena_alloc(&a, 144, 8, OBJ_BUCKETS, "bucket");
    assert_int_equal(a.nchunks, 2); /* 65536 / 144 = 455 per chunk */
    arena_release(&a);
    assert_int_equal(heap_gc(&h), 2);
    assert_int_equal(h.stats.live_bytes, 0);
    assert_true(heap_check(&h));
    heap_free_all(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_bump_and_release)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
