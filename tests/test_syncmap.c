/*
 * test_syncmap.c — sync.Map against Go 1.19's rules: every path of Load,
 * Store, LoadOrStore, LoadAndDelete, Delete and Range, promotion at
 * misses == len(dirty), expunge and unexpunge, the garbage a promotion
 * leaves, a random run against a reference, and goroutines on several cores.
 * syncmap_check runs after every operation.
 */
#include <string.h>

#include "testutil.h"
#include "iface.h"
#include "sched.h"
#include "syncmap.h"

typedef struct {
    Machine m;
    BoxMem bm;
    SyncMap sm;
} Env;

static Env *env_new(const MachineConfig *cfg)
{
    Env *e = calloc(1, sizeof *e);
    machine_init(&e->m, NULL, cfg);
    boxmem_init(&e->bm);
    syncmap_new(&e->sm, &e->m, &e->bm);
    return e;
}

static void env_free(Env *e)
{
    syncmap_free(&e->sm);
    boxmem_free(&e->bm);
    machine_free(&e->m);
    free(e);
}

static Eface I(Env *e, int64_t v)
{
    return iface_int(&e->m, &e->bm, v);
}

static void store(Env *e, int64_t k, int64_t v)
{
    syncmap_store(&e->m, &e->sm, I(e, k), I(e, v));
    assert_true(syncmap_check(&e->sm));
}

/* Load k: its value, or -1 if absent. */
static int64_t load(Env *e, int64_t k)
{
    Eface v;
    bool ok = syncmap_load(&e->m, &e->sm, I(e, k), &v);
    assert_true(syncmap_check(&e->sm));
    return ok ? iface_int_value(&e->bm, v) : -1;
}

static void del(Env *e, int64_t k)
{
    syncmap_delete(&e->m, &e->sm, I(e, k));
    assert_true(syncmap_check(&e->sm));
}

static void range_all(Env *e)
{
    syncmap_range(&e->m, &e->sm, NULL, NULL);
    assert_true(syncmap_check(&e->sm));
}

/* The entry of k in read.m (0 if none), looked up by the model itself. */
static uint64_t read_entry(Env *e, int64_t k)
{
    Eface key = I(e, k);
    uint8_t elem[8];
    if (!map_access(&e->m, e->sm.read.m, &key, elem))
        return 0;
    uint64_t p;
    memcpy(&p, elem, 8);
    return p;
}

static void test_store_load_basics(void **state)
{
    (void)state;
    Env *e = env_new(NULL);
    assert_int_equal(load(e, 1), -1);
    store(e, 1, 100);
    assert_true(e->sm.read.amended);
    assert_int_equal(syncmap_dirty_len(&e->sm), 1);
    assert_int_equal(load(e, 1), 100);          /* the miss promotes: len(dirty) 1 */
    assert_false(e->sm.read.amended);
    assert_int_equal(syncmap_dirty_len(&e->sm), -1);
    store(e, 1, 300);                           /* in read: CAS, no lock */
    assert_int_equal(syncmap_dirty_len(&e->sm), -1);
    assert_int_equal(load(e, 1), 300);
    Eface v;
    assert_true(syncmap_load_and_delete(&e->m, &e->sm, I(e, 1), &v));
    assert_int_equal(iface_int_value(&e->bm, v), 300);
    assert_false(syncmap_load_and_delete(&e->m, &e->sm, I(e, 1), &v));
    assert_int_equal(load(e, 1), -1);
    env_free(e);
}

/* n keys only in dirty: n-1 misses keep it, the n-th promotes. */
static void test_promotion_threshold(void **state)
{
    (void)state;
    static const int sizes[] = {1, 2, 3, 8, 9, 64};
    for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        Env *e = env_new(NULL);
        int n = sizes[s];
        for (int k = 0; k < n; k++)
            store(e, k, k);
        assert_int_equal(syncmap_dirty_len(&e->sm), n);
        for (int i = 1; i < n; i++) {
            assert_int_equal(load(e, 1000 + i), -1); /* a missing key misses too */
            assert_int_equal(e->sm.misses, i);
            assert_true(e->sm.read.amended);
        }
        uint64_t old_box = e->sm.read_box;
        assert_int_equal(load(e, 0), 0);
        assert_false(e->sm.read.amended);
        assert_null(e->sm.dirty);
        assert_int_equal(e->sm.misses, 0);
        assert_int_equal(syncmap_read_len(&e->sm), n);
        assert_int_equal(heap_object_state(&e->m.heap, old_box), SLOT_GARBAGE);
        env_free(e);
    }
}

static void test_expunge_unexpunge(void **state)
{
    (void)state;
    Env *e = env_new(NULL);
    store(e, 1, 1);
    store(e, 2, 2);
    store(e, 3, 3);
    range_all(e);                                /* promote: read {1,2,3} */
    uint64_t e1 = read_entry(e, 1);
    del(e, 1);                                   /* p = nil, stays in read */
    assert_int_equal(boxmem_get(&e->bm, e1, 0), 0);
    store(e, 4, 4);                              /* dirtyLocked expunges 1 */
    assert_int_equal(boxmem_get(&e->bm, e1, 0), SYNCMAP_EXPUNGED);
    assert_int_equal(syncmap_dirty_len(&e->sm), 3); /* 2, 3, 4 */
    assert_int_equal(load(e, 1), -1);            /* in read, expunged: no miss */
    assert_int_equal(e->sm.misses, 0);
    store(e, 1, 10);                             /* unexpunge, back into dirty */
    assert_int_equal(syncmap_dirty_len(&e->sm), 4);
    assert_int_equal(read_entry(e, 1), e1);      /* the same entry */
    assert_int_equal(load(e, 1), 10);
    env_free(e);
}

/* An expunged entry left behind by a promotion is garbage with its map. */
static void test_promotion_garbage(void **state)
{
    (void)state;
    Env *e = env_new(NULL);
    store(e, 1, 1);
    store(e, 2, 2);
    range_all(e);
    uint64_t e1 = read_entry(e, 1), oldmap = e->sm.read.m->addr;
    del(e, 1);
    store(e, 3, 3);                              /* 1 expunged, dirty {2, 3} */
    range_all(e);                                /* promote */
    assert_int_equal(heap_object_state(&e->m.heap, e1), SLOT_GARBAGE);
    assert_int_equal(heap_object_state(&e->m.heap, oldmap), SLOT_GARBAGE);
    assert_int_equal(syncmap_read_len(&e->sm), 2);
    env_free(e);
}

static void test_load_or_store_miss(void **state)
{
    (void)state;
    Env *e = env_new(NULL);
    store(e, 1, 1);
    store(e, 2, 2);
    Eface a;
    assert_true(syncmap_load_or_store(&e->m, &e->sm, I(e, 1), I(e, 9), &a));
    assert_int_equal(iface_int_value(&e->bm, a), 1);
    assert_int_equal(e->sm.misses, 1);          /* found in dirty: a miss */
    assert_false(syncmap_load_or_store(&e->m, &e->sm, I(e, 3), I(e, 3), &a));
    assert_int_equal(iface_int_value(&e->bm, a), 3);
    assert_true(syncmap_check(&e->sm));
    range_all(e);
    del(e, 2);
    assert_false(syncmap_load_or_store(&e->m, &e->sm, I(e, 2), I(e, 7), &a));
    assert_int_equal(load(e, 2), 7);            /* nil entry in read: CAS */
    assert_true(syncmap_check(&e->sm));
    env_free(e);
}

static void test_delete_misses(void **state)
{
    (void)state;
    Env *e = env_new(NULL);
    store(e, 1, 1);
    store(e, 2, 2);
    store(e, 3, 3);
    del(e, 2);                                   /* dirty only: deleted, a miss */
    assert_int_equal(syncmap_dirty_len(&e->sm), 2);
    assert_int_equal(e->sm.misses, 1);
    del(e, 9);                                   /* missing while amended: a miss, */
    assert_null(e->sm.dirty);                    /* which reaches len(dirty) = 2 */
    assert_int_equal(syncmap_read_len(&e->sm), 2);
    del(e, 9);                                   /* not amended: no lock, no miss */
    assert_int_equal(e->sm.misses, 0);
    env_free(e);
}

typedef struct {
    BoxMem *bm;
    int n;
    int64_t sum;
} RangeSum;

static bool add_value(Eface k, Eface v, void *arg)
{
    RangeSum *rs = arg;
    (void)k;
    rs->n++;
    rs->sum += iface_int_value(rs->bm, v);
    return true;
}

static void test_range_visits(void **state)
{
    (void)state;
    Env *e = env_new(NULL);
    for (int k = 0; k < 20; k++)
        store(e, k, k * 10);
    del(e, 5);
    RangeSum rs = {&e->bm, 0, 0};
    syncmap_range(&e->m, &e->sm, add_value, &rs);  /* promotes, then visits */
    assert_false(e->sm.read.amended);
    assert_int_equal(rs.n, 19);
    assert_int_equal(rs.sum, 10 * (190 - 5));
    env_free(e);
}

/* Random operations against a reference array; keys 0..40, some >= 256. */
static void test_random_vs_reference(void **state)
{
    (void)state;
    Env *e = env_new(NULL);
    int64_t ref[41];
    for (int i = 0; i < 41; i++)
        ref[i] = -1;
    uint64_t r = 12345;
    for (int step = 0; step < 3000; step++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        int k = (int)(r >> 33) % 41, op = (int)(r >> 20) % 6;
        int64_t key = k < 20 ? k : 1000 + k, val = (int64_t)(r >> 40) & 0xfff;
        Eface a;
        switch (op) {
        case 0: case 1: store(e, key, val); ref[k] = val; break;
        case 2: assert_int_equal(load(e, key), ref[k]); break;
        case 3: del(e, key); ref[k] = -1; break;
        case 4:
            if (syncmap_load_or_store(&e->m, &e->sm, I(e, key), I(e, val), &a))
                assert_int_equal(iface_int_value(&e->bm, a), ref[k]);
            else
                ref[k] = val;
            break;
        default:
            if (step % 50 == 0)
                range_all(e);
        }
        assert_true(syncmap_check(&e->sm));
    }
    env_free(e);
}

/* ---- goroutines ------------------------------------------------------- */

static int violations;

typedef struct {
    Env *e;
    int first, n, reads;
} Job;

/* Store own keys, then read everyone's (read-mostly). */
static void worker(Machine *m, void *arg)
{
    Job *j = arg;
    Env *e = j->e;
    for (int k = j->first; k < j->first + j->n; k++)
        syncmap_store(m, &e->sm, iface_int(m, &e->bm, k), iface_int(m, &e->bm, k + 1000));
    for (int i = 0; i < j->reads; i++) {
        Eface v;
        int k = (j->first + i * 7) % 64;
        if (syncmap_load(m, &e->sm, iface_int(m, &e->bm, k), &v) &&
            iface_int_value(&e->bm, v) != k + 1000)
            violations++;
        if (i % 16 == 0)
            syncmap_delete(m, &e->sm, iface_int(m, &e->bm, 500 + i));
    }
}

static void test_goroutines(void **state)
{
    (void)state;
    for (unsigned cores = 2; cores <= 4; cores++) {
        MachineConfig cfg = machine_config_default();
        cfg.ncores = cores;
        cfg.cache = true;
        Env *e = env_new(&cfg);
        Sched s;
        sched_init(&s, &e->m, 42 + cores, 3);
        Job jobs[4];
        violations = 0;
        for (unsigned c = 0; c < cores; c++) {
            jobs[c] = (Job){e, (int)c * 16, 16, 80};
            sched_go(&s, "main.worker", c, true, worker, &jobs[c]);
        }
        assert_int_equal(sched_run(&s), 0);
        sched_free(&s);
        assert_int_equal(violations, 0);
        assert_true(syncmap_check(&e->sm));
        assert_int_equal(e->sm.active, 0);
        assert_true(mesi_check(e->m.cpu));
        for (int k = 0; k < (int)cores * 16; k++)
            assert_int_equal(load(e, k), k + 1000);
        env_free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_load_basics),
        cmocka_unit_test(test_promotion_threshold),
        cmocka_unit_test(test_expunge_unexpunge),
        cmocka_unit_test(test_promotion_garbage),
        cmocka_unit_test(test_load_or_store_miss),
        cmocka_unit_test(test_delete_misses),
        cmocka_unit_test(test_range_visits),
        cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_goroutines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
