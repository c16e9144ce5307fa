/*
 * syncmap_internal.h — what syncmap.c (the Map methods) borrows from
 * syncmap_entry.c (the entry methods, the read word, deferred garbage).
 *
 * Invariant: entry.p changes only under touch_atomic of the entry (Go's
 * atomics on e.p), and every change is recorded with SM_ENTRY.
 */
#ifndef GMV_SYNCMAP_INTERNAL_H
#define GMV_SYNCMAP_INTERNAL_H

#include <string.h>

#include "syncmap.h"

/* Models `read, _ := m.read.Load().(readOnly)` (atomic/value.go:28 and the
 * type assertion's copy out of the box). */
ReadOnly syncmap_read_load(Machine *m, SyncMap *sm);
/* Models m.read.Store(readOnly{m: rm, amended}) (atomic/value.go:47): boxes
 * the readOnly (convT, 16 bytes) and publishes it. */
void syncmap_read_store(Machine *m, SyncMap *sm, Map *rm, bool amended);
/* Models newEntry (map.go:93): `i` moved to heap, then &entry{p: &i}. */
uint64_t syncmap_new_entry(Machine *m, SyncMap *sm, Eface key, Eface v);
/* A heap `any` holding v: a parameter moved to heap ("moved to heap"). */
uint64_t syncmap_box_value(Machine *m, SyncMap *sm, Eface v);

/* The entry methods (map.go:135-395). */
bool entry_load(Machine *m, SyncMap *sm, uint64_t e, Eface *value);
bool entry_try_store(Machine *m, SyncMap *sm, uint64_t e, Eface key, uint64_t i);
bool entry_unexpunge_locked(Machine *m, SyncMap *sm, uint64_t e, Eface key);
void entry_store_locked(Machine *m, SyncMap *sm, uint64_t e, Eface key, uint64_t i);
/* Returns ok; *actual and *loaded as Go's results. */
bool entry_try_load_or_store(Machine *m, SyncMap *sm, uint64_t e, Eface key,
                             Eface i, Eface *actual, bool *loaded);
bool entry_delete(Machine *m, SyncMap *sm, uint64_t e, Eface key, Eface *value);
bool entry_try_expunge_locked(Machine *m, SyncMap *sm, uint64_t e, Eface key);

/* Operations bracket themselves so garbage waits for quiescence. */
void syncmap_op_begin(SyncMap *sm);
void syncmap_op_end(SyncMap *sm);
/* addr becomes garbage once no operation is in progress. */
void syncmap_drop_later(SyncMap *sm, uint64_t addr);
/* The old read map after a promotion: its hmap and buckets, and the
 * entries expunged from it (now in no map). */
void syncmap_retire_read(SyncMap *sm, ReadOnly old);
void addrlist_push(AddrList *l, uint64_t a);
bool addrlist_remove(AddrList *l, uint64_t a);

/* Map keys and elems: an eface and an *entry, as bytes. */
static inline uint64_t entry_of(const uint8_t *elem)
{
    uint64_t e;
    memcpy(&e, elem, 8);
    return e;
}

#endif
