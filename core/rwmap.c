/*
 * rwmap.c — a map behind a Mutex or an RWMutex (see rwmap.h).
 *
 * Invariant: every map operation sits between the lock and the unlock of
 * the right mode, and reads the map field (m @lock size) first, as the Go
 * method would load rm.m.
 */
#include "rwmap.h"

#include <string.h>

static uint64_t lock_size(RwMapLock kind)
{
    return kind == RWMAP_RWMUTEX ? RWMUTEX_SIZE : MUTEX_SIZE;
}

static const char *lock_name(RwMapLock kind)
{
    return kind == RWMAP_RWMUTEX ? "sync.RWMutex" : "sync.Mutex";
}

static void set_map(RwMap *rm, Machine *m, const MapType *t, int64_t hint, MakeSite site)
{
    rm->h = map_make(m, t, hint, site);
    if (t->key.size == 8 && t->elem.size == 8 && !t->hasher) /* map[int64]int64 */
        rm->h->label = map_label_i64;
}

void rwmap_init(RwMap *rm, Machine *m, const MapType *t, RwMapLock kind,
                int64_t hint)
{
    memset(rm, 0, sizeof *rm);
    rm->kind = kind;
    uint64_t size = lock_size(kind) + 8;
    rm->addr = machine_alloc(m, size, false, OBJ_OTHER,
                             kind == RWMAP_RWMUTEX ? "main.RWMap" : "main.MuMap");
    machine_field(m, rm->addr, 0, lock_size(kind), "mu");
    machine_field(m, rm->addr, lock_size(kind), 8, "m");
    rm->mfield = rm->addr + lock_size(kind);
    mutex_init(&rm->mu, rm->addr);
    rwmutex_init(&rm->rw, rm->addr);
    set_map(rm, m, t, hint, (MakeSite){true, false, "m"});
    touch_write(m, rm->mfield, 8);
}

/* Go 1.19's escape analysis moves mu to the heap (the unlock slow path
 * takes its address: "moved to heap: mu"), a pointer-free 8 or 24 bytes,
 * while the map does not escape: walkMakeMap gives it a stack hmap and
 * makemap allocates only the bucket array (with mapextra from B = 4).
 * m is &hv, not a loaded field, so a lock loads nothing more. */
void rwmap_init_local(RwMap *rm, Machine *m, const MapType *t, RwMapLock kind,
                      int64_t hint)
{
    memset(rm, 0, sizeof *rm);
    rm->kind = kind;
    rm->addr = machine_alloc(m, lock_size(kind), true, OBJ_OTHER, lock_name(kind));
    mutex_init(&rm->mu, rm->addr);
    rwmutex_init(&rm->rw, rm->addr);
    set_map(rm, m, t, hint, (MakeSite){false, true, "m"});
}

void rwmap_free(RwMap *rm)
{
    map_free(rm->h);
    memset(rm, 0, sizeof *rm);
}

static void lock(Machine *m, RwMap *rm, bool write)
{
    if (rm->kind == RWMAP_MUTEX)
        mutex_lock(m, &rm->mu);
    else if (write)
        rwmutex_lock(m, &rm->rw);
    else
        rwmutex_rlock(m, &rm->rw);
    if (rm->mfield)
        touch_read(m, rm->mfield, 8); /* load rm.m */
}

static void unlock(Machine *m, RwMap *rm, bool write)
{
    if (rm->kind == RWMAP_MUTEX)
        mutex_unlock(m, &rm->mu);
    else if (write)
        rwmutex_unlock(m, &rm->rw);
    else
        rwmutex_runlock(m, &rm->rw);
}

bool rwmap_load(Machine *m, RwMap *rm, const void *key, void *elem)
{
    lock(m, rm, false);
    bool ok = map_access(m, rm->h, key, elem);
    unlock(m, rm, false);
    return ok;
}

void rwmap_store(Machine *m, RwMap *rm, const void *key, const void *elem)
{
    lock(m, rm, true);
    map_assign(m, rm->h, key, elem);
    unlock(m, rm, true);
}

void rwmap_delete(Machine *m, RwMap *rm, const void *key)
{
    lock(m, rm, true);
    map_delete(m, rm->h, key);
    unlock(m, rm, true);
}

bool rwmap_check(const RwMap *rm)
{
    bool lock_ok = rm->kind == RWMAP_MUTEX ? mutex_check(&rm->mu) : rwmutex_check(&rm->rw);
    return lock_ok && map_check(rm->h);
}
