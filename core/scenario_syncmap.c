/*
 * scenario_syncmap.c — sync.Map scenarios: promotion by misses, expunge
 * and unexpunge, and a read-mostly workload on several cores run first on
 * sync.Map and then on a presized map behind an RWMutex, so the trace shows
 * both side by side.
 *
 * Invariant: every scenario checks syncmap_check after each phase and
 * returns non-zero if it breaks.
 */
#include "iface.h"
#include "rwmap.h"
#include "scenario.h"
#include "sched.h"
#include "syncmap.h"

enum { RM_KEYS = 32, RM_READS = 60 };

typedef struct {
    Machine *m;
    BoxMem bm;
    SyncMap sm;
} SmEnv;

static void env_init(SmEnv *e, Machine *m)
{
    e->m = m;
    boxmem_init(&e->bm);
    syncmap_new(&e->sm, m, &e->bm);
}

static int env_done(SmEnv *e, int rc)
{
    rc |= !syncmap_check(&e->sm);
    syncmap_free(&e->sm);
    boxmem_free(&e->bm);
    return rc;
}

static Eface key(SmEnv *e, int64_t k)
{
    return iface_int(e->m, &e->bm, k);
}

static void load(SmEnv *e, int64_t k)
{
    Eface v;
    syncmap_load(e->m, &e->sm, iface_int_temp(e->m, &e->bm, k, 0), &v);
}

static int run_promotion(Machine *m)
{
    SmEnv e;
    env_init(&e, m);
    scenario_mark(m, "four Stores of new keys: all go to dirty; read is amended");
    for (int k = 1; k <= 4; k++)
        syncmap_store(m, &e.sm, key(&e, k), key(&e, 100 * k));
    scenario_mark(m, "Loads that miss read take the lock and count misses");
    for (int i = 0; i < 3; i++)
        load(&e, 1 + i);
    scenario_mark(m, "the fourth miss reaches len(dirty): dirty is promoted to read");
    load(&e, 4);
    scenario_mark(m, "now every Load hits read without the lock");
    for (int k = 1; k <= 4; k++)
        load(&e, k);
    return env_done(&e, 0);
}

static int run_expunge(Machine *m)
{
    SmEnv e;
    env_init(&e, m);
    for (int k = 1; k <= 3; k++)
        syncmap_store(m, &e.sm, key(&e, k), key(&e, k));
    scenario_mark(m, "Range promotes dirty at once");
    syncmap_range(m, &e.sm, NULL, NULL);
    scenario_mark(m, "Delete of a key in read only sets entry.p = nil");
    syncmap_delete(m, &e.sm, key(&e, 1));
    scenario_mark(m, "a new key: dirtyLocked copies read, expunging the nil entry");
    syncmap_store(m, &e.sm, key(&e, 4), key(&e, 4));
    scenario_mark(m, "Store to the expunged key unexpunges it and puts it back in dirty");
    syncmap_store(m, &e.sm, key(&e, 1), key(&e, 10));
    scenario_mark(m, "Delete of a key only in dirty: delete(m.dirty, key) drops its entry");
    syncmap_delete(m, &e.sm, key(&e, 4));
    return env_done(&e, 0);
}

typedef struct {
    SmEnv *e;
    RwMap *rm;
    int first;
} ReadJob;

static void sm_reader(Machine *m, void *arg)
{
    ReadJob *j = arg;
    for (int i = 0; i < RM_READS; i++) {
        if (i % 20 == 0)
            syncmap_store(m, &j->e->sm, iface_int(m, &j->e->bm, j->first + i),
                          iface_int(m, &j->e->bm, i));
        else
            load(j->e, (j->first + i * 5) % RM_KEYS);
    }
}

static void rw_reader(Machine *m, void *arg)
{
    ReadJob *j = arg;
    for (int64_t i = 0; i < RM_READS; i++) {
        int64_t k = i % 20 == 0 ? j->first + i : (j->first + i * 5) % RM_KEYS, v;
        if (i % 20 == 0)
            rwmap_store(m, j->rm, &k, &i);
        else
            rwmap_load(m, j->rm, &k, &v);
    }
}

static int run_goroutines(Machine *m, GoFunc fn, SmEnv *e, RwMap *rm)
{
    ReadJob jobs[MACHINE_MAX_CORES];
    Sched s;
    sched_init(&s, m, 11, 3);
    for (unsigned c = 0; c < m->ncores; c++) {
        jobs[c] = (ReadJob){e, rm, 1000 * (int)(c + 1)};
        sched_go(&s, "main.reader", c, true, fn, &jobs[c]);
    }
    int rc = sched_run(&s);
    sched_free(&s);
    return rc != 0;
}

static int run_read_mostly(Machine *m)
{
    SmEnv e;
    env_init(&e, m);
    for (int k = 0; k < RM_KEYS; k++)
        syncmap_store(m, &e.sm, key(&e, k), key(&e, k));
    syncmap_range(m, &e.sm, NULL, NULL);
    scenario_mark(m, "sync.Map: readers on every core hit read without a lock");
    int rc = run_goroutines(m, sm_reader, &e, NULL);
    rc = env_done(&e, rc);
    MapType t;
    maptype_init(&t, &GOTYPE_INT64, &GOTYPE_INT64);
    RwMap rm;
    rwmap_init(&rm, m, &t, RWMAP_RWMUTEX, RM_KEYS + 16);
    for (int64_t k = 0; k < RM_KEYS; k++)
        rwmap_store(m, &rm, &k, &k);
    scenario_mark(m, "map+RWMutex: every RLock moves readerCount's line between cores");
    rc |= run_goroutines(m, rw_reader, NULL, &rm);
    rc |= !rwmap_check(&rm) || !mesi_check(m->cpu);
    rwmap_free(&rm);
    return rc;
}

const Scenario scenario_syncmap_promotion = {
    "syncmap-promotion", "sync.Map: stores fill dirty, misses promote it to read",
    0, false, run_promotion,
};
const Scenario scenario_syncmap_expunge = {
    "syncmap-expunge", "sync.Map: a deleted entry is expunged, then unexpunged; a dirty-only one dropped",
    0, false, run_expunge,
};
const Scenario scenario_syncmap_read_mostly = {
    "syncmap-read-mostly", "read-mostly on 4 cores: sync.Map, then map+RWMutex",
    4, true, run_read_mostly,
};
