/*
 * test_alternatives.c — the alternatives to sync.Map: a presized map behind
 * a Mutex or an RWMutex, the arena map, and the fixed-key table.  Each is
 * checked for correct values, for its allocation promise (none per
 * operation) and, for the locked map, under goroutines on several cores.
 */
#include <string.h>

#include "testutil.h"
#include "arenamap.h"
#include "rwmap.h"
#include "sched.h"
#include "staticmap.h"

static void test_rwmap_presized_no_allocs(void **state)
{
    (void)state;
    for (int kind = RWMAP_MUTEX; kind <= RWMAP_RWMUTEX; kind++) {
        Machine m;
        machine_init(&m, NULL, NULL);
        MapType t;
        maptype_init(&t, &GOTYPE_INT64, &GOTYPE_INT64);
        RwMap rm;
        rwmap_init(&rm, &m, &t, (RwMapLock)kind, 1000);
        uint64_t before = m.heap.stats.mallocs, buckets = rm.h->buckets;
        for (int64_t k = 0; k < 1000; k++)
            rwmap_store(&m, &rm, &k, &k);
        /* Presized: no growth.  The only mallocs are a pointer-free map's
         * h.extra.overflow slice growing as overflow buckets are used. */
        assert_int_equal(rm.h->buckets, buckets);
        assert_true(m.heap.stats.mallocs - before <= 8);
        for (int64_t k = 0; k < 1000; k++) {
            int64_t v = -1;
            assert_true(rwmap_load(&m, &rm, &k, &v));
            assert_int_equal(v, k);
        }
        int64_t k = 7;
        rwmap_delete(&m, &rm, &k);
        assert_false(rwmap_load(&m, &rm, &k, NULL));
        assert_true(rwmap_check(&rm));
        rwmap_free(&rm);
        machine_free(&m);
    }
}

static int violations;

typedef struct {
    RwMap *rm;
    int first;
} Job;

static void rw_worker(Machine *m, void *arg)
{
    Job *j = arg;
    for (int64_t k = j->first; k < j->first + 32; k++)
        rwmap_store(m, j->rm, &k, &k);
    for (int i = 0; i < 64; i++) {
        int64_t k = (j->first + i) % 128, v;
        if (rwmap_load(m, j->rm, &k, &v) && v != k)
            violations++;
    }
}

static void test_rwmap_goroutines(void **state)
{
    (void)state;
    MachineConfig cfg = machine_config_default();
    cfg.ncores = 4;
    cfg.cache = true;
    Machine m;
    machine_init(&m, NULL, &cfg);
    MapType t;
    maptype_init(&t, &GOTYPE_INT64, &GOTYPE_INT64);
    RwMap rm;
    rwmap_init(&rm, &m, &t, RWMAP_RWMUTEX, 128);
    Sched s;
    sched_init(&s, &m, 9, 2);
    Job jobs[4];
    violations = 0;
    for (unsigned c = 0; c < 4; c++) {
        jobs[c] = (Job){&rm, (int)c * 32};
        sched_go(&s, "main.worker", c, true, rw_worker, &jobs[c]);
    }
    assert_int_equal(sched_run(&s), 0);
    sched_free(&s);
    assert_int_equal(violations, 0);
    assert_true(rwmap_check(&rm));
    assert_int_equal(rm.h->count, 128);
    assert_true(mesi_check(m.cpu));
    rwmap_free(&rm);
    machine_free(&m);
}

static void test_arenamap(void **state)
{
    (void)state;
    Machine m;
    machine_init(&m, NULL, NULL);
    ArenaMap am;
    arenamap_init(&am, &m, 1, 1 << 20, 0);
    uint64_t before = m.heap.stats.mallocs;
    for (int64_t k = 0; k < 3000; k++) {
        arenamap_store(&m, &am, k * 7, k);
        if (k % 500 == 0)
            assert_true(arenamap_check(&am));
    }
    assert_int_equal(m.heap.stats.mallocs - before, 0); /* growth stays in the chunk */
    assert_true(am.B >= 9);
    for (int64_t k = 0; k < 3000; k++) {
        int64_t v;
        assert_true(arenamap_load(&m, &am, k * 7, &v));
        assert_int_equal(v, k);
    }
    assert_false(arenamap_load(&m, &am, 1, NULL));
    arenamap_store(&m, &am, 7, 99);
    int64_t v;
    assert_true(arenamap_load(&m, &am, 7, &v));
    assert_int_equal(v, 99);
    assert_true(arenamap_check(&am));
    uint64_t chunk = am.arena.chunks[0];
    arenamap_release(&am);
    assert_int_equal(heap_object_state(&m.heap, chunk), SLOT_GARBAGE);
    arenamap_free(&am);
    machine_free(&m);
}

static void test_staticmap(void **state)
{
    (void)state;
    Machine m;
    machine_init(&m, NULL, NULL);
    int64_t keys[100];
    for (int i = 0; i < 100; i++)
        keys[i] = 1000 + 13 * i;
    StaticMap sm;
    staticmap_init(&sm, STATICMAP_BASE, keys, 100);
    assert_true(staticmap_check(&sm));
    assert_int_equal(staticmap_size(100), 256 * STATICMAP_SLOT);
    uint64_t before = m.heap.stats.mallocs;
    for (int i = 0; i < 100; i++)
        assert_int_equal(staticmap_store(&m, &sm, keys[i], i), STATICMAP_OK);
    assert_int_equal(staticmap_store(&m, &sm, 5, 5), STATICMAP_NOKEY);
    for (int i = 0; i < 100; i++) {
        int64_t v;
        assert_true(staticmap_load(&m, &sm, keys[i], &v));
        assert_int_equal(v, i);
    }
    assert_false(staticmap_load(&m, &sm, 6, NULL));
    assert_int_equal(m.heap.stats.mallocs - before, 0);
    staticmap_free(&sm);
    machine_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rwmap_presized_no_allocs),
        cmocka_unit_test(test_rwmap_goroutines),
        cmocka_unit_test(test_arenamap),
        cmocka_unit_test(test_staticmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
