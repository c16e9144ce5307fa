/*
 * lock.c — sync.Mutex, sync.RWMutex and the runtime semaphore under them,
 * after Go 1.19's sync/mutex.go, sync/rwmutex.go and runtime/sema.go.
 *
 * Invariant: see lock.h.  A field's value changes only together with a
 * touch of its simulated address (touch_atomic for atomics, touch_read for
 * plain loads), so the cache model sees every transfer the lock causes.
 */
#include "lock.h"

#include <assert.h>

#include "sched.h"

enum { MUTEX_LOCKED = 1, MUTEX_WOKEN = 2, MUTEX_WAITER_SHIFT = 3 };
#define RWMUTEX_MAX_READERS (1 << 30)

static unsigned cur_g(const Machine *m)
{
    return m->cur_g;
}

/* runtime.semacquire (sema.go:99): take a unit, or sleep until released. */
static void sema_acquire(Machine *m, uint32_t *sema, uint64_t addr)
{
    for (;;) {
        touch_atomic(m, addr, 4); /* cansemacquire: load + CAS */
        if (*sema > 0) {
            (*sema)--;
            return;
        }
        sched_block(m, addr);
    }
}

/* runtime.semrelease (sema.go:155): add a unit and wake one sleeper. */
static void sema_release(Machine *m, uint32_t *sema, uint64_t addr)
{
    touch_atomic(m, addr, 4);
    (*sema)++;
    sched_wake_one(m, addr);
}

static bool cas32(Machine *m, uint64_t addr, int32_t *word, int32_t old, int32_t new)
{
    touch_atomic(m, addr, 4);
    if (*word != old)
        return false;
    *word = new;
    return true;
}

static int32_t add32(Machine *m, uint64_t addr, int32_t *word, int32_t delta)
{
    touch_atomic(m, addr, 4);
    *word += delta;
    return *word;
}

void mutex_init(GoMutex *mu, uint64_t addr)
{
    mu->addr = addr;
    mu->state = 0;
    mu->sema = 0;
    mu->holder = -1;
}

static void mutex_acquired(Machine *m, GoMutex *mu, LockKind kind)
{
    assert(mu->holder < 0);
    mu->holder = (int)cur_g(m);
    TRACE(m->tr, LOCK_ACQUIRE, cur_g(m), mu->addr, kind);
    (void)kind;
}

/* mutex.lockSlow (mutex.go:117), normal mode only. */
static void mutex_lock_slow(Machine *m, GoMutex *mu)
{
    TRACE(m->tr, LOCK_WAIT, cur_g(m), mu->addr, LOCK_MUTEX);
    bool woken = false;
    for (;;) {
        touch_read(m, mu->addr, 4);
        int32_t old = mu->state, new = old | MUTEX_LOCKED;
        if (old & MUTEX_LOCKED)
            new = old + (1 << MUTEX_WAITER_SHIFT);
        if (woken)
            new &= ~MUTEX_WOKEN;
        if (!cas32(m, mu->addr, &mu->state, old, new))
            continue;
        if (!(old & MUTEX_LOCKED))
            return;
        sema_acquire(m, &mu->sema, mu->addr + 4);
        woken = true;
    }
}

void mutex_lock(Machine *m, GoMutex *mu)
{
    if (!cas32(m, mu->addr, &mu->state, 0, MUTEX_LOCKED))
        mutex_lock_slow(m, mu);
    mutex_acquired(m, mu, LOCK_MUTEX);
}

/* mutex.unlockSlow (mutex.go:199), normal mode: wake one waiter. */
static void mutex_unlock_slow(Machine *m, GoMutex *mu, int32_t new)
{
    int32_t old = new;
    for (;;) {
        if ((old >> MUTEX_WAITER_SHIFT) == 0 || (old & (MUTEX_LOCKED | MUTEX_WOKEN)))
            return;
        new = (old - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN;
        if (cas32(m, mu->addr, &mu->state, old, new)) {
            sema_release(m, &mu->sema, mu->addr + 4);
            return;
        }
        touch_read(m, mu->addr, 4);
        old = mu->state;
    }
}

void mutex_unlock(Machine *m, GoMutex *mu)
{
    assert(mu->holder >= 0 && "unlock of unlocked mutex");
    int32_t new = add32(m, mu->addr, &mu->state, -MUTEX_LOCKED);
    mu->holder = -1; /* no preemption point since the add: checks agree */
    TRACE(m->tr, LOCK_RELEASE, cur_g(m), mu->addr, LOCK_MUTEX);
    if (new != 0)
        mutex_unlock_slow(m, mu, new);
}

void rwmutex_init(GoRWMutex *rw, uint64_t addr)
{
    rw->addr = addr;
    mutex_init(&rw->w, addr);
    rw->writer_sem = rw->reader_sem = 0;
    rw->reader_count = rw->reader_wait = 0;
    rw->readers = 0;
    rw->writer = -1;
}

void rwmutex_rlock(Machine *m, GoRWMutex *rw)
{
    if (add32(m, rw->addr + 16, &rw->reader_count, 1) < 0) {
        TRACE(m->tr, LOCK_WAIT, cur_g(m), rw->addr, LOCK_RLOCK);
        sema_acquire(m, &rw->reader_sem, rw->addr + 12);
    }
    assert(rw->writer < 0);
    rw->readers++;
    TRACE(m->tr, LOCK_ACQUIRE, cur_g(m), rw->addr, LOCK_RLOCK);
}

void rwmutex_runlock(Machine *m, GoRWMutex *rw)
{
    assert(rw->readers > 0 && "RUnlock of unlocked RWMutex");
    rw->readers--;
    TRACE(m->tr, LOCK_RELEASE, cur_g(m), rw->addr, LOCK_RLOCK);
    if (add32(m, rw->addr + 16, &rw->reader_count, -1) < 0) {
        /* rUnlockSlow: the last departing reader lets the writer in */
        if (add32(m, rw->addr + 20, &rw->reader_wait, -1) == 0)
            sema_release(m, &rw->writer_sem, rw->addr + 8);
    }
}

void rwmutex_lock(Machine *m, GoRWMutex *rw)
{
    mutex_lock(m, &rw->w);
    int32_t r = add32(m, rw->addr + 16, &rw->reader_count, -RWMUTEX_MAX_READERS) +
                RWMUTEX_MAX_READERS;
    if (r != 0 && add32(m, rw->addr + 20, &rw->reader_wait, r) != 0) {
        TRACE(m->tr, LOCK_WAIT, cur_g(m), rw->addr, LOCK_WLOCK);
        sema_acquire(m, &rw->writer_sem, rw->addr + 8);
    }
    assert(rw->readers == 0 && rw->writer < 0);
    rw->writer = (int)cur_g(m);
    TRACE(m->tr, LOCK_ACQUIRE, cur_g(m), rw->addr, LOCK_WLOCK);
}

void rwmutex_unlock(Machine *m, GoRWMutex *rw)
{
    assert(rw->writer >= 0 && "Unlock of unlocked RWMutex");
    rw->writer = -1;
    TRACE(m->tr, LOCK_RELEASE, cur_g(m), rw->addr, LOCK_WLOCK);
    int32_t r = add32(m, rw->addr + 16, &rw->reader_count, RWMUTEX_MAX_READERS);
    for (int32_t i = 0; i < r; i++)
        sema_release(m, &rw->reader_sem, rw->addr + 12);
    mutex_unlock(m, &rw->w);
}

bool mutex_check(const GoMutex *mu)
{
    return (mu->holder >= 0) == ((mu->state & MUTEX_LOCKED) != 0);
}

bool rwmutex_check(const GoRWMutex *rw)
{
    if (rw->writer >= 0 && rw->readers > 0)
        return false;
    int32_t pending = rw->reader_count < 0 ? rw->reader_count + RWMUTEX_MAX_READERS
                                           : rw->reader_count;
    return pending >= rw->readers && mutex_check(&rw->w);
}
