/*
 * test_map.c — the hmap model: bucket layout, hint -> B and allocations,
 * lazy first bucket, growth with incremental evacuation, same-size growth
 * after churn, deletes with emptyRest, indirect keys/elems, the local map
 * in the frame, the nil-map panic, iteration, and random operations
 * against a plain array.  map_check after every operation.
 */
#include <string.h>

#include "testutil.h"
#include "map.h"

static Machine m;
static MapType t64;

static int setup(void **state)
{
    (void)state;
    machine_init(&m, NULL, NULL);
    maptype_init(&t64, &GOTYPE_INT64, &GOTYPE_INT64);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_true(heap_check(&m.heap));
    machine_free(&m);
    return 0;
}

static const MakeSite ESCAPES = {true, false, "m"};

static void test_layout(void **state)
{
    (void)state;
    assert_int_equal(t64.bucketsize, 144);
    assert_true(t64.bucket_noscan);
    static const GoType str = {16, 8, true, "string"}, i = {8, 8, false, "int"};
    static const GoType any = {16, 8, true, "any"}, big = {129, 1, false, "[129]byte"};
    MapType t;
    maptype_init(&t, &str, &i);
    assert_int_equal(t.bucketsize, 208);
    assert_false(t.bucket_noscan);
    maptype_init(&t, &any, &any);
    assert_int_equal(t.bucketsize, 272);
    maptype_init(&t, &big, &i);
    assert_true(t.indirect_key);
    assert_false(t.indirect_elem);
    assert_int_equal(t.bucketsize, 8 + 64 + 64 + 8);
    assert_false(t.bucket_noscan); /* the key pointer */
}

static void test_hint(void **state)
{
    (void)state;
    static const struct { int64_t hint; unsigned B; } cases[] = {
        {0, 0}, {8, 0}, {9, 1}, {13, 1}, {14, 2}, {26, 2}, {27, 3}, {104, 4}, {105, 5}, {1000, 8},
    };
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint64_t n0 = m.heap.stats.mallocs, b0 = m.heap.stats.total_alloc;
        Map *h = map_make(&m, &t64, cases[c].hint, ESCAPES);
        assert_int_equal(h->B, cases[c].B);
        assert_true(map_check(h));
        uint64_t allocs = m.heap.stats.mallocs - n0, bytes = m.heap.stats.total_alloc - b0;
        if (cases[c].B == 0) {
            assert_int_equal(allocs, 1);
            assert_int_equal(bytes, 48);
        } else if (cases[c].B < 4) {
            assert_int_equal(allocs, 2);
            assert_int_equal(bytes, 48 + 144 * (1u << cases[c].B));
        } else {
            assert_int_equal(allocs, 3); /* hmap, buckets, mapextra */
        }
        map_drop(h);
    }
    /* B = 4: 16 + 1 buckets = 2448 B, rounded to the 2688 class: 18 */
    Map *h = map_make(&m, &t64, 104, ESCAPES);
    assert_int_equal(h->cur_n, 18);
    assert_true(h->next_overflow == h->buckets + 16 * 144);
    map_drop(h);
}

static void test_insert_lookup_delete(void **state)
{
    (void)state;
    Map *h = map_make(&m, &t64, 0, ESCAPES);
    assert_int_equal(h->buckets, 0); /* lazily, by the first insert */
    for (int64_t k = 0; k < 2000; k++) {
        assert_int_equal(map_assign_i64(&m, h, k, k * 3), MAP_OK);
        assert_true(map_check(h));
    }
    assert_int_equal(map_len(&m, h), 2000);
    for (int64_t k = 0; k < 2000; k++) {
        int64_t v;
        assert_true(map_get_i64(&m, h, k, &v));
        assert_int_equal(v, k * 3);
    }
    assert_false(map_get_i64(&m, h, 5000, NULL));
    for (int64_t k = 0; k < 2000; k += 2) {
        map_delete_i64(&m, h, k);
        assert_true(map_check(h));
    }
    map_delete_i64(&m, h, 1 << 20); /* absent: no change */
    assert_int_equal(map_len(&m, h), 1000);
    for (int64_t k = 0; k < 2000; k++)
        assert_int_equal(map_get_i64(&m, h, k, NULL), k & 1);
    map_assign_i64(&m, h, 7, 70); /* update */
    int64_t v;
    assert_true(map_get_i64(&m, h, 7, &v));
    assert_int_equal(v, 70);
    assert_int_equal(map_len(&m, h), 1000);
    uint32_t seed = h->hash0;
    for (int64_t k = 1; k < 2000; k += 2)
        map_delete_i64(&m, h, k);
    assert_int_equal(map_len(&m, h), 0);
    assert_true(h->hash0 != seed); /* re-seeded at count 0 */
    assert_true(map_check(h));
    map_drop(h);
}

static void test_growth_is_incremental(void **state)
{
    (void)state;
    Map *h = map_make(&m, &t64, 0, ESCAPES);
    int64_t k = 0;
    unsigned growths = 0;
    for (; k < 200; k++) {
        bool was = map_growing(h);
        uint8_t B = h->B;
        map_assign_i64(&m, h, k, k);
        assert_true(map_check(h));
        if (h->B != B) {
            growths++;
            assert_int_equal(h->B, B + 1);
            assert_false(was);
            /* starts only on a new key over 6.5 per bucket */
            assert_true(k + 1 > 13 * ((1 << B) / 2) && k + 1 > 8);
        }
    }
    assert_int_equal(growths, 5); /* at inserts 9, 14, 27, 53 and 105 */
    map_drop(h);
}

/* Old buckets whose tophash[0] holds an evacuation mark. */
static unsigned evacuated_old(const Map *h)
{
    unsigned n = 0;
    for (uint64_t j = 0; j < h->old_n && j < (1u << (h->B - 1)); j++) {
        uint8_t top = h->old.bytes[j * h->t->bucketsize];
        n += top >= 2 && top <= 4;
    }
    return n;
}

static void test_growth_evacuates_two_per_write(void **state)
{
    (void)state;
    Map *h = map_make(&m, &t64, 0, ESCAPES);
    int64_t k = 0;
    while (h->B < 5)
        { map_assign_i64(&m, h, k, k); k++; }
    /* grow to B = 6: 32 old buckets, at most 2 evacuated per write */
    while (!map_growing(h) || h->B != 6)
        map_assign_i64(&m, h, k++, 0);
    unsigned writes = 1;
    while (map_growing(h)) {
        unsigned before = evacuated_old(h);
        for (int64_t j = 0; j < k; j++) /* lookups never evacuate */
            assert_true(map_get_i64(&m, h, j, NULL));
        assert_int_equal(evacuated_old(h), before);
        map_assign_i64(&m, h, 1, 1); /* an existing key still does growWork */
        assert_true(map_check(h));
        assert_true(!map_growing(h) || evacuated_old(h) - before <= 2);
        assert_true(!map_growing(h) || evacuated_old(h) - before >= 1);
        writes++;
    }
    assert_true(writes <= 32);
    map_drop(h);
}

static void test_same_size_growth_after_churn(void **state)
{
    (void)state;
    Map *h = map_make(&m, &t64, 0, ESCAPES);
    bool same = false;
    int64_t next = 0;
    for (int i = 0; i < 200; i++)
        map_assign_i64(&m, h, next++, 0);
    uint8_t B = h->B;
    for (int round = 0; round < 20000 && !same; round++) {
        map_delete_i64(&m, h, next - 200);
        map_assign_i64(&m, h, next++, 0);
        same |= map_same_size_grow(h);
        assert_true(map_check(h));
    }
    assert_true(same);
    assert_int_equal(h->B, B);
    map_drop(h);
}

static void test_local_map_until_ninth_insert(void **state)
{
    (void)state;
    MakeSite local = {false, true, "m"};
    uint64_t n0 = m.heap.stats.mallocs;
    Map *h = map_make(&m, &t64, 0, local);
    assert_true(h->on_stack);
    assert_true(h->addr >= STACK_REGION);
    for (int64_t k = 0; k < 8; k++)
        map_assign_i64(&m, h, k, k);
    assert_int_equal(m.heap.stats.mallocs, n0); /* nothing on the heap */
    assert_true(h->buckets == h->stack_bucket);
    map_assign_i64(&m, h, 8, 8);
    assert_true(map_check(h));
    assert_int_equal(h->B, 1);
    assert_true(h->buckets >= HEAP_BASE && h->buckets < STACK_REGION);
    assert_int_equal(m.heap.stats.mallocs, n0 + 1); /* the new array only */
    assert_false(map_growing(h)); /* one old bucket: done at once */
    map_drop(h);
}

static void test_nil_map(void **state)
{
    (void)state;
    assert_int_equal(map_assign_i64(&m, NULL, 1, 1), MAP_PANIC);
    assert_false(map_get_i64(&m, NULL, 1, NULL));
    map_delete_i64(&m, NULL, 1);
    assert_int_equal(map_len(&m, NULL), 0);
}

static void iterate_all(Map *h, int64_t n, bool grow_while)
{
    unsigned char *seen = calloc((size_t)n + 1, 1);
    MapIter it;
    map_iter_init(&m, h, &it);
    int64_t count = 0, extra = n;
    while (map_iter_next(&it)) {
        int64_t key;
        memcpy(&key, it.key, 8);
        if (key < n) {
            assert_int_equal(seen[key], 0);
            seen[key] = 1;
            count++;
        }
        if (grow_while && extra < n + 300)
            map_assign_i64(&m, h, extra++, 0); /* may or may not be seen */
        assert_true(map_check(h));
    }
    map_iter_free(&it);
    assert_int_equal(count, n);
    free(seen);
}

static void test_iteration(void **state)
{
    (void)state;
    Map *h = map_make(&m, &t64, 0, ESCAPES);
    for (int64_t k = 0; k < 100; k++)
        map_assign_i64(&m, h, k, k);
    iterate_all(h, 100, false);
    iterate_all(h, 100, true); /* inserts that grow the map meanwhile */
    map_drop(h);
}

static void test_indirect_keys_and_elems(void **state)
{
    (void)state;
    static const GoType k200 = {200, 1, false, "[200]byte"}, e129 = {129, 1, false, "[129]byte"};
    MapType t;
    maptype_init(&t, &k200, &e129);
    Map *h = map_make(&m, &t, 0, ESCAPES);
    uint8_t key[200] = {0}, elem[129] = {0}, out[129];
    for (int i = 0; i < 300; i++) {
        memcpy(key, &i, sizeof i);
        elem[0] = (uint8_t)i;
        map_assign(&m, h, key, elem);
        assert_true(map_check(h));
    }
    for (int i = 0; i < 300; i += 3) {
        memcpy(key, &i, sizeof i);
        assert_true(map_access(&m, h, key, out));
        assert_int_equal(out[0], (uint8_t)i);
        map_delete(&m, h, key);
        assert_true(map_check(h));
    }
    assert_int_equal(map_len(&m, h), 200);
    map_drop(h);
    heap_gc(&m.heap);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Every key present once, with the reference's value, and nothing else. */
static void check_against(Map *h, const int64_t *val, const bool *has, int64_t nkeys,
                          int64_t count)
{
    unsigned char *seen = calloc((size_t)nkeys, 1);
    MapIter it;
    map_iter_init(&m, h, &it);
    int64_t n = 0;
    while (map_iter_next(&it)) {
        int64_t k, v;
        memcpy(&k, it.key, 8);
        memcpy(&v, it.elem, 8);
        assert_true(k >= 0 && k < nkeys && has[k] && !seen[k]);
        assert_int_equal(v, val[k]);
        seen[k] = 1;
        n++;
    }
    map_iter_free(&it);
    assert_int_equal(n, count);
    free(seen);
}

/* The reference's side of an assign or a delete. */
static void ref_set(int64_t *val, bool *has, int64_t *count, int64_t k, const int64_t *v)
{
    *count += (v != NULL) - has[k];
    has[k] = v != NULL;
    if (v)
        val[k] = *v;
}

/* 60k operations against a plain array, in phases of 5000: churn (a new
 * key in, the key 64 back out), which while B is small piles up overflow
 * buckets until a same-size growth; random assigns, deletes and lookups
 * over 100 keys (the map fills, drains, re-seeds); over 3000 (it grows and
 * is read in the middle of evacuation).  After each: map_check and the length; now and
 * then a full iteration against the array. */
static void test_random_ops_against_reference(void **state)
{
    (void)state;
    enum { NKEYS = 30000, RANDOM_KEYS = 3000, OPS = 60000 };
    int64_t *val = calloc(NKEYS, sizeof *val);
    bool *has = calloc(NKEYS, sizeof *has);
    int64_t count = 0, growing = 0, same_size = 0, churn = RANDOM_KEYS, v;
    uint64_t s = 0x2545f4914f6cdd1dull;
    Map *h = map_make(&m, &t64, 0, ESCAPES);
    for (int op = 0; op < OPS; op++) {
        uint64_t r = xorshift(&s);
        int phase = (op / 5000 + 2) % 3; /* churn first, while B is small */
        int64_t k = (int64_t)(r >> 16) % (phase ? RANDOM_KEYS : RANDOM_KEYS / 30);
        v = (int64_t)(r >> 3);
        if (phase == 2 && churn < NKEYS) {
            k = churn++;
            assert_int_equal(map_assign_i64(&m, h, k, v), MAP_OK);
            ref_set(val, has, &count, k, &v);
            if (k - 64 >= RANDOM_KEYS) {
                map_delete_i64(&m, h, k - 64);
                ref_set(val, has, &count, k - 64, NULL);
            }
        } else if (r % 8 < 3) {
            assert_int_equal(map_assign_i64(&m, h, k, v), MAP_OK);
            ref_set(val, has, &count, k, &v);
        } else if (r % 8 < 6) {
            map_delete_i64(&m, h, k);
            ref_set(val, has, &count, k, NULL);
        } else {
            assert_int_equal(map_get_i64(&m, h, k, &v), has[k]);
            if (has[k])
                assert_int_equal(v, val[k]);
        }
        assert_true(map_check(h));
        assert_int_equal(map_len(&m, h), count);
        growing += map_growing(h) && !map_same_size_grow(h);
        same_size += map_same_size_grow(h);
        if (op % 997 == 0)
            check_against(h, val, has, NKEYS, count);
    }
    check_against(h, val, has, NKEYS, count);
    assert_true(growing > 0 && same_size > 0); /* both kinds were in flight */
    map_drop(h);
    free(val);
    free(has);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_lookup_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_growth_is_incremental, setup, teardown),
        cmocka_unit_test_setup_teardown(test_growth_evacuates_two_per_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_size_growth_after_churn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_local_map_until_ninth_insert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nil_map, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iteration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect_keys_and_elems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_ops_against_reference, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
