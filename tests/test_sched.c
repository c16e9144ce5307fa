/*
 * test_sched.c — the deterministic scheduler: same seed, same trace; a
 * different seed, a different interleaving; blocking and FIFO wake-up;
 * deadlock detection.
 */
#include <string.h>

#include "testutil.h"
#include "sched.h"

typedef struct {
    uint64_t addr;
    int n;
    int *log, *nlog;
    int id;
} Job;

static void worker(Machine *m, void *arg)
{
    Job *j = arg;
    for (int i = 0; i < j->n; i++) {
        touch_write(m, j->addr, 8);
        j->log[(*j->nlog)++] = j->id;
    }
}

/* Run three workers; the order they ran in goes to log. */
static int run(uint64_t seed, int *log, MemTrace *mt)
{
    MachineConfig cfg = machine_config_default();
    cfg.ncores = 3;
    cfg.cache = true;
    if (mt)
        memtrace_open(mt, NULL);
    Machine m;
    machine_init(&m, mt ? &mt->tr : NULL, &cfg);
    Sched s;
    sched_init(&s, &m, seed, 1);
    int nlog = 0;
    Job jobs[3];
    for (int i = 0; i < 3; i++) {
        jobs[i] = (Job){HEAP_BASE + 8u * (unsigned)i, 50, log, &nlog, i};
        sched_go(&s, "worker", (unsigned)i, true, worker, &jobs[i]);
    }
    assert_int_equal(sched_run(&s), 0);
    assert_true(mesi_check(m.cpu));
    sched_free(&s);
    machine_free(&m);
    if (mt)
        memtrace_close(mt);
    return nlog;
}

static void test_same_seed_same_trace(void **state)
{
    (void)state;
    int a[150], b[150];
    MemTrace ta, tb;
    assert_int_equal(run(5, a, &ta), 150);
    assert_int_equal(run(5, b, &tb), 150);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(ta.len, tb.len);
    assert_memory_equal(ta.buf, tb.buf, ta.len);
    free(ta.buf);
    free(tb.buf);
}

static void test_seed_changes_interleaving(void **state)
{
    (void)state;
    int a[150], b[150];
    run(5, a, NULL);
    run(6, b, NULL);
    assert_memory_not_equal(a, b, sizeof a);
    /* and goroutines really interleave: not one after another */
    int changes = 0;
    for (int i = 1; i < 150; i++)
        changes += a[i] != a[i - 1];
    assert_true(changes > 20);
}

typedef struct {
    uint64_t addr;
    int *order, *n;
    int id;
} Waiter;

static void waiter(Machine *m, void *arg)
{
    Waiter *w = arg;
    sched_block(m, w->addr);
    w->order[(*w->n)++] = w->id;
}

static void waker(Machine *m, void *arg)
{
    Waiter *w = arg;
    /* let both waiters block first, then wake them one at a time */
    while (!sched_wake_one(m, w->addr))
        sched_gosched(m);
    while (!sched_wake_one(m, w->addr))
        sched_gosched(m);
}

static void test_block_and_fifo_wake(void **state)
{
    (void)state;
    Machine m;
    machine_init(&m, NULL, NULL);
    Sched s;
    sched_init(&s, &m, 1, 1);
    int order[2], n = 0;
    Waiter w[3] = {{0x100, order, &n, 1}, {0x100, order, &n, 2}, {0x100, order, &n, 0}};
    sched_go(&s, "w1", 0, true, waiter, &w[0]);
    sched_go(&s, "w2", 1, true, waiter, &w[1]);
    sched_go(&s, "waker", 0, true, waker, &w[2]);
    assert_int_equal(sched_run(&s), 0);
    assert_int_equal(n, 2);
    sched_free(&s);
    machine_free(&m);
}

static void blocker(Machine *m, void *arg)
{
    (void)arg;
    sched_block(m, 0x200);
}

static void test_deadlock_detected(void **state)
{
    (void)state;
    Machine m;
    machine_init(&m, NULL, NULL);
    Sched s;
    sched_init(&s, &m, 1, 1);
    sched_go(&s, "stuck", 0, true, blocker, NULL);
    assert_int_equal(sched_run(&s), -1);
    sched_free(&s);
    machine_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_trace),
        cmocka_unit_test(test_seed_changes_interleaving),
        cmocka_unit_test(test_block_and_fifo_wake),
        cmocka_unit_test(test_deadlock_detected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
