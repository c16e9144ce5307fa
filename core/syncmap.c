/*
 * syncmap.c — sync.Map's methods (sync/map.go), function by function:
 * Load, Store, LoadOrStore, LoadAndDelete, Delete, Range, missLocked and
 * dirtyLocked.  The entry methods are in syncmap_entry.c.
 *
 * Invariant: read is replaced only with mu held (syncmap_read_store), dirty
 * and misses are touched only with mu held, and every path re-loads read
 * after taking mu, exactly where Go does.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "syncmap_internal.h"

static const GoType GOTYPE_ENTRY_PTR = {8, 8, true, "*sync.entry"};

void syncmap_init(SyncMap *sm, Machine *m, BoxMem *mem, uint64_t addr)
{
    memset(sm, 0, sizeof *sm);
    sm->m = m;
    sm->mem = mem;
    sm->addr = addr;
    maptype_init(&sm->type, &GOTYPE_ANY, &GOTYPE_ENTRY_PTR);
    iface_key_ops(&sm->type, mem);
    mutex_init(&sm->mu, addr + SYNCMAP_MU);
    machine_field(m, addr, SYNCMAP_MU, 8, "mu");
    machine_field(m, addr, SYNCMAP_READ_TYP, 16, "read");
    machine_field(m, addr, SYNCMAP_DIRTY, 8, "dirty");
    machine_field(m, addr, SYNCMAP_MISSES, 8, "misses");
    TRACE(m->tr, SM_NEW, addr);
}

void syncmap_new(SyncMap *sm, Machine *m, BoxMem *mem)
{
    uint64_t addr = machine_alloc(m, SYNCMAP_SIZE, false, OBJ_OTHER, "sync.Map");
    syncmap_init(sm, m, mem, addr);
}

void syncmap_free(SyncMap *sm)
{
    if (sm->dirty != sm->read.m)
        map_free(sm->dirty);
    map_free(sm->read.m);
    for (uint32_t i = 0; i < sm->nold; i++)
        map_free(sm->old_maps[i]);
    free(sm->old_maps);
    free(sm->garbage.a);
    free(sm->expunged.a);
    memset(sm, 0, sizeof *sm);
}

/* e, ok := rm[key] */
static bool lookup(Machine *m, Map *rm, Eface key, uint64_t *e)
{
    uint8_t elem[8];
    bool ok = map_access(m, rm, &key, elem);
    *e = ok ? entry_of(elem) : 0;
    return ok;
}

/* m.dirty, read from the Map (mu held). */
static Map *dirty_load(Machine *m, SyncMap *sm)
{
    touch_read(m, sm->addr + SYNCMAP_DIRTY, 8);
    return sm->dirty;
}

static void dirty_set(Machine *m, SyncMap *sm, Map *d)
{
    sm->dirty = d;
    touch_write(m, sm->addr + SYNCMAP_DIRTY, 8);
}

/* m.dirty[key] = e */
static void dirty_put(Machine *m, SyncMap *sm, Eface key, uint64_t e)
{
    Map *d = dirty_load(m, sm);
    assert(d && "sync.Map: store into a nil dirty map");
    map_assign(m, d, &key, &e);
}

/* The dirty map becomes read (missLocked and Range). */
static void promote(Machine *m, SyncMap *sm)
{
    ReadOnly old = sm->read;
    Map *d = dirty_load(m, sm);
    TRACE(m->tr, SM_PROMOTE, sm->addr, old.m ? old.m->addr : 0, d ? d->addr : 0);
    syncmap_read_store(m, sm, d, false);
    syncmap_retire_read(sm, old);
    dirty_set(m, sm, NULL);
    sm->misses = 0;
    touch_write(m, sm->addr + SYNCMAP_MISSES, 8);
}

/* Models missLocked (map.go:360). */
static void miss_locked(Machine *m, SyncMap *sm)
{
    touch_read(m, sm->addr + SYNCMAP_MISSES, 8);
    sm->misses++;
    touch_write(m, sm->addr + SYNCMAP_MISSES, 8);
    uint64_t n = map_len(m, dirty_load(m, sm));
    TRACE(m->tr, SM_MISS, sm->addr, (uint64_t)sm->misses, n);
    if ((uint64_t)sm->misses < n)
        return;
    promote(m, sm);
}

/* Models dirtyLocked (map.go:370): copy read into a new dirty map, turning
 * deleted entries into expunged ones instead of copying them. */
static void dirty_locked(Machine *m, SyncMap *sm)
{
    if (dirty_load(m, sm))
        return;
    ReadOnly read = syncmap_read_load(m, sm);
    MakeSite site = {true, false, "m.dirty"}; /* hint len(read.m): not constant */
    Map *d = map_make(m, &sm->type, (int64_t)map_len(m, read.m), site);
    d->label = iface_map_label; /* the viewer shows read's and dirty's keys */
    dirty_set(m, sm, d);
    uint64_t copied = 0, expunged = 0;
    MapIter it;
    map_iter_init(m, read.m, &it);
    while (map_iter_next(&it)) {
        Eface k;
        memcpy(&k, it.key, sizeof k);
        uint64_t e = entry_of(it.elem);
        if (!entry_try_expunge_locked(m, sm, e, k)) {
            dirty_put(m, sm, k, e);
            copied++;
        } else {
            expunged++;
        }
    }
    map_iter_free(&it);
    TRACE(m->tr, SM_DIRTY_INIT, sm->addr, d->addr, copied, expunged);
}

/* The first new key since the last promotion: make dirty and mark read
 * amended (map.go:163-168). */
static void amend_locked(Machine *m, SyncMap *sm, ReadOnly read)
{
    if (read.amended)
        return;
    dirty_locked(m, sm);
    syncmap_read_store(m, sm, read.m, true);
}

/* Models Load (map.go:110). */
bool syncmap_load(Machine *m, SyncMap *sm, Eface key, Eface *value)
{
    syncmap_op_begin(sm);
    ReadOnly read = syncmap_read_load(m, sm);
    uint64_t e;
    bool ok = lookup(m, read.m, key, &e);
    if (!ok && read.amended) {
        mutex_lock(m, &sm->mu);
        /* Avoid a spurious miss if dirty got promoted while we waited. */
        read = syncmap_read_load(m, sm);
        ok = lookup(m, read.m, key, &e);
        if (!ok && read.amended) {
            ok = lookup(m, dirty_load(m, sm), key, &e);
            miss_locked(m, sm); /* whether or not the key was there */
        }
        mutex_unlock(m, &sm->mu);
    }
    Eface v = {0, 0};
    if (ok)
        ok = entry_load(m, sm, e, &v);
    if (value)
        *value = v;
    syncmap_op_end(sm);
    return ok;
}

/* Store's slow path (map.go:152-174), mu held; i is the escaped value. */
static void store_locked(Machine *m, SyncMap *sm, Eface key, Eface value, uint64_t i)
{
    ReadOnly read = syncmap_read_load(m, sm);
    uint64_t e;
    if (lookup(m, read.m, key, &e)) {
        if (entry_unexpunge_locked(m, sm, e, key))
            dirty_put(m, sm, key, e); /* it was expunged: not in dirty */
        entry_store_locked(m, sm, e, key, i);
    } else if (lookup(m, dirty_load(m, sm), key, &e)) {
        entry_store_locked(m, sm, e, key, i);
    } else {
        amend_locked(m, sm, read);
        e = syncmap_new_entry(m, sm, key, value);
        dirty_put(m, sm, key, e);
        syncmap_drop_later(sm, i); /* &value was never stored */
    }
}

/* Models Store (map.go:144). */
void syncmap_store(Machine *m, SyncMap *sm, Eface key, Eface value)
{
    syncmap_op_begin(sm);
    uint64_t i = syncmap_box_value(m, sm, value); /* moved to heap: value */
    ReadOnly read = syncmap_read_load(m, sm);
    uint64_t e;
    if (!(lookup(m, read.m, key, &e) && entry_try_store(m, sm, e, key, i))) {
        mutex_lock(m, &sm->mu);
        store_locked(m, sm, key, value, i);
        mutex_unlock(m, &sm->mu);
    }
    syncmap_op_end(sm);
}

/* LoadOrStore's slow path (map.go:219-240), mu held. */
static bool load_or_store_locked(Machine *m, SyncMap *sm, Eface key, Eface value,
                                 Eface *actual)
{
    bool loaded = false;
    ReadOnly read = syncmap_read_load(m, sm);
    uint64_t e;
    if (lookup(m, read.m, key, &e)) {
        if (entry_unexpunge_locked(m, sm, e, key))
            dirty_put(m, sm, key, e);
        entry_try_load_or_store(m, sm, e, key, value, actual, &loaded);
    } else if (lookup(m, dirty_load(m, sm), key, &e)) {
        entry_try_load_or_store(m, sm, e, key, value, actual, &loaded);
        miss_locked(m, sm);
    } else {
        amend_locked(m, sm, read);
        e = syncmap_new_entry(m, sm, key, value);
        dirty_put(m, sm, key, e);
        *actual = value;
    }
    return loaded;
}

/* Models LoadOrStore (map.go:207). */
bool syncmap_load_or_store(Machine *m, SyncMap *sm, Eface key, Eface value,
                           Eface *actual)
{
    syncmap_op_begin(sm);
    Eface a = {0, 0};
    bool loaded = false;
    ReadOnly read = syncmap_read_load(m, sm);
    uint64_t e;
    bool done = lookup(m, read.m, key, &e) &&
                entry_try_load_or_store(m, sm, e, key, value, &a, &loaded);
    if (!done) {
        mutex_lock(m, &sm->mu);
        loaded = load_or_store_locked(m, sm, key, value, &a);
        mutex_unlock(m, &sm->mu);
    }
    if (actual)
        *actual = a;
    syncmap_op_end(sm);
    return loaded;
}

/* Models LoadAndDelete (map.go:276). */
bool syncmap_load_and_delete(Machine *m, SyncMap *sm, Eface key, Eface *value)
{
    syncmap_op_begin(sm);
    ReadOnly read = syncmap_read_load(m, sm);
    uint64_t e;
    bool ok = lookup(m, read.m, key, &e), dirty_only = false;
    if (!ok && read.amended) {
        mutex_lock(m, &sm->mu);
        read = syncmap_read_load(m, sm);
        ok = lookup(m, read.m, key, &e);
        if (!ok && read.amended) {
            Map *d = dirty_load(m, sm);
            ok = dirty_only = lookup(m, d, key, &e);
            map_delete(m, dirty_load(m, sm), &key);
            miss_locked(m, sm); /* whether or not the key was there */
        }
        mutex_unlock(m, &sm->mu);
    }
    Eface v = {0, 0};
    bool loaded = ok && entry_delete(m, sm, e, key, &v);
    if (dirty_only)
        syncmap_drop_later(sm, e); /* in no map any more */
    if (value)
        *value = v;
    syncmap_op_end(sm);
    return loaded;
}

/* Models Delete (map.go:300). */
void syncmap_delete(Machine *m, SyncMap *sm, Eface key)
{
    syncmap_load_and_delete(m, sm, key, NULL);
}

/* Models Range (map.go:327): an amended read is promoted at once, since
 * Range is O(n) anyway. */
void syncmap_range(Machine *m, SyncMap *sm, SyncMapRangeFn f, void *arg)
{
    syncmap_op_begin(sm);
    ReadOnly read = syncmap_read_load(m, sm);
    if (read.amended) {
        mutex_lock(m, &sm->mu);
        read = syncmap_read_load(m, sm);
        if (read.amended) {
            promote(m, sm);
            read = sm->read;
        }
        mutex_unlock(m, &sm->mu);
    }
    MapIter it;
    map_iter_init(m, read.m, &it);
    while (map_iter_next(&it)) {
        Eface k, v;
        memcpy(&k, it.key, sizeof k);
        if (!entry_load(m, sm, entry_of(it.elem), &v))
            continue;
        if (f && !f(k, v, arg))
            break;
    }
    map_iter_free(&it);
    syncmap_op_end(sm);
}

uint64_t syncmap_read_len(const SyncMap *sm)
{
    return sm->read.m ? sm->read.m->count : 0;
}

int64_t syncmap_dirty_len(const SyncMap *sm)
{
    return sm->dirty ? (int64_t)sm->dirty->count : -1;
}
