/*
 * syncmap_entry.c — sync.Map's entry methods (sync/map.go:93-395), the
 * atomic.Value that holds readOnly, and the garbage a Map leaves behind.
 *
 * Invariant: entry.p is read with touch_read (atomic.LoadPointer is a plain
 * load on amd64) and changed with touch_atomic (CAS, XCHG); the value box
 * that p stops pointing to is unreachable, so it is dropped — but only once
 * no operation is in progress, because a concurrent e.load() may be between
 * loading p and copying *p.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "syncmap_internal.h"

#ifndef GMV_NO_TRACE
static int64_t key_label(const SyncMap *sm, Eface key)
{
    return key.type == IFACE_TYPE_INT ? iface_int_value(sm->mem, key) : 0;
}

static unsigned state_of(uint64_t p)
{
    return p == 0 ? ENTRY_NIL : p == SYNCMAP_EXPUNGED ? ENTRY_EXPUNGED : ENTRY_VALUE;
}
#endif

static void trace_entry(SyncMap *sm, uint64_t e, Eface key, uint64_t p)
{
    TRACE(sm->m->tr, SM_ENTRY, sm->addr, e, (uint64_t)key_label(sm, key),
          state_of(p), p);
    (void)sm, (void)e, (void)key, (void)p;
}

/* atomic.LoadPointer(&e.p) */
static uint64_t load_p(Machine *m, SyncMap *sm, uint64_t e)
{
    touch_read(m, e, 8);
    return boxmem_get(sm->mem, e, 0);
}

/* atomic.CompareAndSwapPointer(&e.p, old, new) */
static bool cas_p(Machine *m, SyncMap *sm, uint64_t e, uint64_t old, uint64_t new)
{
    touch_atomic(m, e, 8);
    if (boxmem_get(sm->mem, e, 0) != old)
        return false;
    boxmem_set(sm->mem, e, 0, new);
    return true;
}

/* A value box p no longer points to. */
static void drop_box(SyncMap *sm, uint64_t p)
{
    if (p && p != SYNCMAP_EXPUNGED)
        syncmap_drop_later(sm, p);
}

uint64_t syncmap_box_value(Machine *m, SyncMap *sm, Eface v)
{
    uint64_t box = machine_alloc(m, EFACE_SIZE, false, OBJ_VALUE, "interface {}");
    iface_store(m, sm->mem, box, v);
    return box;
}

uint64_t syncmap_new_entry(Machine *m, SyncMap *sm, Eface key, Eface v)
{
    uint64_t i = syncmap_box_value(m, sm, v); /* moved to heap: i */
    uint64_t e = machine_alloc(m, SYNCMAP_ENTRY_SIZE, false, OBJ_ENTRY, "sync.entry");
    boxmem_set(sm->mem, e, 0, i);
    touch_write(m, e, 8);
    trace_entry(sm, e, key, i);
    return e;
}

/* Models entry.load (map.go:135). */
bool entry_load(Machine *m, SyncMap *sm, uint64_t e, Eface *value)
{
    uint64_t p = load_p(m, sm, e);
    if (p == 0 || p == SYNCMAP_EXPUNGED)
        return false;
    *value = iface_load(m, sm->mem, p); /* *(*any)(p) */
    return true;
}

/* Models entry.tryStore (map.go:177). */
bool entry_try_store(Machine *m, SyncMap *sm, uint64_t e, Eface key, uint64_t i)
{
    for (;;) {
        uint64_t p = load_p(m, sm, e);
        if (p == SYNCMAP_EXPUNGED)
            return false;
        if (cas_p(m, sm, e, p, i)) {
            drop_box(sm, p);
            trace_entry(sm, e, key, i);
            return true;
        }
    }
}

/* Models entry.unexpungeLocked (map.go:193). */
bool entry_unexpunge_locked(Machine *m, SyncMap *sm, uint64_t e, Eface key)
{
    if (!cas_p(m, sm, e, SYNCMAP_EXPUNGED, 0))
        return false;
    addrlist_remove(&sm->expunged, e);
    TRACE(m->tr, SM_UNEXPUNGE, sm->addr, e);
    trace_entry(sm, e, key, 0);
    return true;
}

/* Models entry.storeLocked (map.go:200): atomic.StorePointer, an XCHG. */
void entry_store_locked(Machine *m, SyncMap *sm, uint64_t e, Eface key, uint64_t i)
{
    touch_atomic(m, e, 8);
    drop_box(sm, boxmem_get(sm->mem, e, 0));
    boxmem_set(sm->mem, e, 0, i);
    trace_entry(sm, e, key, i);
}

/* Models entry.tryLoadOrStore (map.go:247). */
bool entry_try_load_or_store(Machine *m, SyncMap *sm, uint64_t e, Eface key,
                             Eface i, Eface *actual, bool *loaded)
{
    uint64_t p = load_p(m, sm, e);
    for (bool first = true;; first = false) {
        if (!first)
            p = load_p(m, sm, e);
        if (p == SYNCMAP_EXPUNGED) {
            *loaded = false;
            return false;
        }
        if (p != 0) {
            *actual = iface_load(m, sm->mem, p);
            *loaded = true;
            return true;
        }
        /* ic := i, moved to heap only on this path (map.go:261) */
        uint64_t ic = syncmap_box_value(m, sm, i);
        if (cas_p(m, sm, e, 0, ic)) {
            trace_entry(sm, e, key, ic);
            *actual = i;
            *loaded = false;
            return true;
        }
        syncmap_drop_later(sm, ic); /* lost the race: ic was never published */
    }
}

/* Models entry.delete (map.go:304). */
bool entry_delete(Machine *m, SyncMap *sm, uint64_t e, Eface key, Eface *value)
{
    for (;;) {
        uint64_t p = load_p(m, sm, e);
        if (p == 0 || p == SYNCMAP_EXPUNGED)
            return false;
        if (cas_p(m, sm, e, p, 0)) {
            *value = iface_load(m, sm->mem, p);
            drop_box(sm, p);
            trace_entry(sm, e, key, 0);
            return true;
        }
    }
}

/* Models entry.tryExpungeLocked (map.go:384). */
bool entry_try_expunge_locked(Machine *m, SyncMap *sm, uint64_t e, Eface key)
{
    uint64_t p = load_p(m, sm, e);
    while (p == 0) {
        if (cas_p(m, sm, e, 0, SYNCMAP_EXPUNGED)) {
            addrlist_push(&sm->expunged, e);
            TRACE(m->tr, SM_EXPUNGE, sm->addr, e);
            trace_entry(sm, e, key, SYNCMAP_EXPUNGED);
            return true;
        }
        p = load_p(m, sm, e);
    }
    return p == SYNCMAP_EXPUNGED;
}

/* The Map whose hmap is at addr: read.m, dirty, or a retired read map a
 * goroutine may still hold. */
static Map *map_at(const SyncMap *sm, uint64_t addr)
{
    if (!addr)
        return NULL;
    if (sm->dirty && sm->dirty->addr == addr)
        return sm->dirty;
    if (sm->read.m && sm->read.m->addr == addr)
        return sm->read.m;
    for (uint32_t i = 0; i < sm->nold; i++)
        if (sm->old_maps[i]->addr == addr)
            return sm->old_maps[i];
    assert(!"syncmap: readOnly names an unknown map");
    return NULL;
}

ReadOnly syncmap_read_load(Machine *m, SyncMap *sm)
{
    ReadOnly r = {NULL, false};
    touch_read(m, sm->addr + SYNCMAP_READ_TYP, 8); /* LoadPointer(&vp.typ) */
    if (sm->read_typ == 0)
        return r; /* never stored: the zero readOnly */
    touch_read(m, sm->addr + SYNCMAP_READ_DATA, 8);
    uint64_t box = sm->read_box;
    touch_read(m, box, SYNCMAP_READONLY_SIZE); /* copy out of the box */
    r.m = map_at(sm, boxmem_get(sm->mem, box, 0));
    r.amended = boxmem_get(sm->mem, box, 1) != 0;
    return r;
}

void syncmap_read_store(Machine *m, SyncMap *sm, Map *rm, bool amended)
{
    uint64_t box = machine_alloc(m, SYNCMAP_READONLY_SIZE, false, OBJ_READONLY,
                                 "sync.readOnly"); /* convT */
    boxmem_set(sm->mem, box, 0, rm ? rm->addr : 0);
    boxmem_set(sm->mem, box, 1, amended);
    touch_write(m, box, SYNCMAP_READONLY_SIZE);
    touch_read(m, sm->addr + SYNCMAP_READ_TYP, 8);
    if (sm->read_typ == 0) { /* first store: claim typ, then data, then typ */
        touch_atomic(m, sm->addr + SYNCMAP_READ_TYP, 8);
        touch_atomic(m, sm->addr + SYNCMAP_READ_DATA, 8);
        touch_atomic(m, sm->addr + SYNCMAP_READ_TYP, 8);
        sm->read_typ = SYNCMAP_READONLY_TYPE;
    } else {
        touch_atomic(m, sm->addr + SYNCMAP_READ_DATA, 8);
        syncmap_drop_later(sm, sm->read_box);
    }
    sm->read_box = box;
    sm->read.m = rm;
    sm->read.amended = amended;
    TRACE(m->tr, SM_READ_STORE, sm->addr, box, rm ? rm->addr : 0, amended);
}

void addrlist_push(AddrList *l, uint64_t a)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->a = realloc(l->a, l->cap * sizeof *l->a);
        assert(l->a);
    }
    l->a[l->n++] = a;
}

bool addrlist_remove(AddrList *l, uint64_t a)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->a[i] == a) {
            l->a[i] = l->a[--l->n];
            return true;
        }
    return false;
}

void syncmap_drop_later(SyncMap *sm, uint64_t addr)
{
    addrlist_push(&sm->garbage, addr);
}

void syncmap_retire_read(SyncMap *sm, ReadOnly old)
{
    for (uint32_t i = 0; i < sm->expunged.n; i++)
        syncmap_drop_later(sm, sm->expunged.a[i]);
    sm->expunged.n = 0;
    if (!old.m)
        return;
    if (sm->nold == sm->oldcap) {
        sm->oldcap = sm->oldcap ? 2 * sm->oldcap : 4;
        sm->old_maps = realloc(sm->old_maps, sm->oldcap * sizeof *sm->old_maps);
        assert(sm->old_maps);
    }
    sm->old_maps[sm->nold++] = old.m;
}

void syncmap_op_begin(SyncMap *sm)
{
    sm->active++;
}

void syncmap_op_end(SyncMap *sm)
{
    assert(sm->active > 0);
    if (--sm->active)
        return;
    for (uint32_t i = 0; i < sm->garbage.n; i++)
        heap_garbage(&sm->m->heap, sm->garbage.a[i]);
    sm->garbage.n = 0;
    for (uint32_t i = 0; i < sm->nold; i++)
        map_drop(sm->old_maps[i]);
    sm->nold = 0;
}
