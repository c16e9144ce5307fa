/*
 * scenario_cache.c — the machine's concurrency scenarios: false sharing of
 * two counters in one line, the padded fix, and a read-mostly RWMutex whose
 * readerCount line bounces between every reader core.
 */
#include "lock.h"
#include "scenario.h"
#include "sched.h"

enum { INCREMENTS = 200, READS = 120 };

typedef struct {
    uint64_t counter; /* address of this goroutine's counter */
    int n;
} CounterJob;

/* for i := 0; i < n; i++ { *counter++ }: a load and a store each time. */
static void increment(Machine *m, void *arg)
{
    CounterJob *job = arg;
    for (int i = 0; i < job->n; i++) {
        touch_read(m, job->counter, 8);
        touch_write(m, job->counter, 8);
    }
}

static int two_counters(Machine *m, uint64_t stride, const char *type)
{
    uint64_t size = stride + 8;
    uint64_t obj = machine_alloc(m, size, true, OBJ_OTHER, type);
    machine_field(m, obj, 0, 8, "a");
    machine_field(m, obj, stride, 8, "b");
    CounterJob jobs[2] = {{obj, INCREMENTS}, {obj + stride, INCREMENTS}};
    Sched s;
    sched_init(&s, m, 1, 1);
    sched_go(&s, "main.incA", 0, true, increment, &jobs[0]);
    sched_go(&s, "main.incB", 1, true, increment, &jobs[1]);
    int rc = sched_run(&s);
    sched_free(&s);
    return rc == 0 && mesi_check(m->cpu) ? 0 : 1;
}

static int run_unpadded(Machine *m)
{
    scenario_mark(m, "two goroutines on two cores, counters a and b 8 bytes apart");
    return two_counters(m, 8, "struct{ a, b int64 }");
}

static int run_padded(Machine *m)
{
    scenario_mark(m, "the same, with b padded onto its own cache line");
    return two_counters(m, 64, "struct{ a int64; _ [56]byte; b int64 }");
}

typedef struct {
    GoRWMutex *rw;
    uint64_t counter;
    int reads;
    bool writer;
} ReaderJob;

/* mu.RLock(); _ = counter; mu.RUnlock() — and now and then a write. */
static void read_mostly(Machine *m, void *arg)
{
    ReaderJob *job = arg;
    for (int i = 0; i < job->reads; i++) {
        if (job->writer && i % 40 == 39) {
            rwmutex_lock(m, job->rw);
            touch_read(m, job->counter, 8);
            touch_write(m, job->counter, 8);
            rwmutex_unlock(m, job->rw);
            continue;
        }
        rwmutex_rlock(m, job->rw);
        touch_read(m, job->counter, 8);
        rwmutex_runlock(m, job->rw);
    }
}

static int run_rwmutex(Machine *m)
{
    scenario_mark(m, "a read-mostly counter behind a sync.RWMutex, read from every core");
    uint64_t obj = machine_alloc(m, 32, false, OBJ_OTHER,
                                 "struct{ mu sync.RWMutex; n int64 }");
    machine_field(m, obj, 16, 4, "mu.readerCount");
    machine_field(m, obj, 24, 8, "n");
    GoRWMutex rw;
    rwmutex_init(&rw, obj);
    ReaderJob jobs[MACHINE_MAX_CORES];
    Sched s;
    sched_init(&s, m, 7, 1);
    for (unsigned c = 0; c < m->ncores; c++) {
        jobs[c] = (ReaderJob){&rw, obj + 24, READS, c == 0};
        sched_go(&s, "main.reader", c, true, read_mostly, &jobs[c]);
    }
    int rc = sched_run(&s);
    sched_free(&s);
    return rc == 0 && rwmutex_check(&rw) && mesi_check(m->cpu) ? 0 : 1;
}

const Scenario scenario_false_sharing = {
    "false-sharing", "two cores increment two counters that share a cache line",
    2, true, run_unpadded,
};
const Scenario scenario_false_sharing_padded = {
    "false-sharing-padded", "the same counters, padded to separate cache lines",
    2, true, run_padded,
};
const Scenario scenario_rwmutex = {
    "rwmutex-read-mostly", "a read-mostly RWMutex counter read from 4 cores",
    4, true, run_rwmutex,
};
