/*
 * test_lock.c — sync.Mutex and sync.RWMutex on the scheduler: no two
 * holders, readers share, a writer excludes readers; and RLock's atomic add
 * really moves readerCount's line between reader cores.
 */
#include "testutil.h"
#include "lock.h"
#include "sched.h"

/* Goroutines run on their own stacks: they record violations here, and the
 * test asserts after sched_run (a cmocka failure must not longjmp out of a
 * coroutine). */
static int violations;

typedef struct {
    GoMutex *mu;
    GoRWMutex *rw;
    int *inside, *max_inside, *readers_seen_together;
    int n;
    bool writer;
} Job;

static void mutex_job(Machine *m, void *arg)
{
    Job *j = arg;
    for (int i = 0; i < j->n; i++) {
        mutex_lock(m, j->mu);
        (*j->inside)++;
        if (*j->inside > *j->max_inside)
            *j->max_inside = *j->inside;
        touch_write(m, HEAP_BASE + 64, 8); /* the critical section */
        touch_read(m, HEAP_BASE + 64, 8);
        (*j->inside)--;
        violations += !mutex_check(j->mu);
        mutex_unlock(m, j->mu);
    }
}

static void setup_machine(Machine *m, Sched *s, unsigned cores, uint64_t seed)
{
    MachineConfig cfg = machine_config_default();
    cfg.ncores = cores;
    cfg.cache = true;
    machine_init(m, NULL, &cfg);
    sched_init(s, m, seed, 1);
}

static void test_mutex_excludes(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        Machine m;
        Sched s;
        setup_machine(&m, &s, 4, seed);
        GoMutex mu;
        mutex_init(&mu, HEAP_BASE);
        int inside = 0, max_inside = 0;
        Job j = {&mu, NULL, &inside, &max_inside, NULL, 30, false};
        for (unsigned c = 0; c < 4; c++)
            sched_go(&s, "locker", c, true, mutex_job, &j);
        violations = 0;
        assert_int_equal(sched_run(&s), 0);
        assert_int_equal(violations, 0);
        assert_int_equal(max_inside, 1);
        assert_int_equal(mu.state, 0); /* unlocked, no waiters left */
        assert_true(mesi_check(m.cpu));
        sched_free(&s);
        machine_free(&m);
    }
}

static void rw_job(Machine *m, void *arg)
{
    Job *j = arg;
    for (int i = 0; i < j->n; i++) {
        if (j->writer && i % 5 == 0) {
            rwmutex_lock(m, j->rw);
            violations += j->rw->readers != 0;
            touch_write(m, HEAP_BASE + 64, 8);
            rwmutex_unlock(m, j->rw);
        } else {
            rwmutex_rlock(m, j->rw);
            violations += j->rw->writer >= 0;
            if (j->rw->readers > *j->readers_seen_together)
                *j->readers_seen_together = j->rw->readers;
            touch_read(m, HEAP_BASE + 64, 8);
            touch_read(m, HEAP_BASE + 72, 8);
            rwmutex_runlock(m, j->rw);
        }
        violations += !rwmutex_check(j->rw);
    }
}

static void test_rwmutex_readers_share_writer_excludes(void **state)
{
    (void)state;
    int together = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        Machine m;
        Sched s;
        setup_machine(&m, &s, 4, seed);
        GoRWMutex rw;
        rwmutex_init(&rw, HEAP_BASE);
        Job jobs[4];
        for (unsigned c = 0; c < 4; c++) {
            jobs[c] = (Job){NULL, &rw, NULL, NULL, &together, 40, c == 0};
            sched_go(&s, "rw", c, true, rw_job, &jobs[c]);
        }
        violations = 0;
        assert_int_equal(sched_run(&s), 0);
        assert_int_equal(violations, 0);
        assert_int_equal(rw.reader_count, 0);
        assert_int_equal(rw.readers, 0);
        sched_free(&s);
        machine_free(&m);
    }
    assert_true(together >= 2); /* readers did hold it at the same time */
}

static void reader(Machine *m, void *arg)
{
    Job *j = arg;
    for (int i = 0; i < j->n; i++) {
        rwmutex_rlock(m, j->rw);
        rwmutex_runlock(m, j->rw);
    }
}

static void test_rlock_bounces_reader_count(void **state)
{
    (void)state;
    Machine m;
    Sched s;
    setup_machine(&m, &s, 4, 3);
    GoRWMutex rw;
    rwmutex_init(&rw, HEAP_BASE);
    Job j = {NULL, &rw, NULL, NULL, NULL, 50, false};
    for (unsigned c = 0; c < 4; c++)
        sched_go(&s, "reader", c, true, reader, &j);
    assert_int_equal(sched_run(&s), 0);
    const LineStats *ls = cpu_line_stats(m.cpu, HEAP_BASE + 16);
    assert_non_null(ls);
    /* read-only use of the lock, yet the line moves between cores */
    uint64_t transfers = 0;
    for (int c = 0; c < 4; c++)
        transfers += cpu_core_stats(m.cpu, c)->outcomes[CACHE_HITM];
    assert_true(transfers > 100);
    sched_free(&s);
    machine_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutex_excludes),
        cmocka_unit_test(test_rwmutex_readers_share_writer_excludes),
        cmocka_unit_test(test_rlock_bounces_reader_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
