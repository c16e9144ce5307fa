/*
 * rwmap.h — the usual alternative to sync.Map: a plain map behind a lock,
 * made once with a size hint so that inserts up to the hint never grow it.
 *
 *   type RWMap struct { mu sync.RWMutex; m map[K]V }   (mu @0, m @24)
 *   type MuMap struct { mu sync.Mutex;   m map[K]V }   (mu @0, m @8)
 *
 * Loads take the read lock (RWMutex) or the lock (Mutex); stores and
 * deletes take the write lock.  A map[int]int here allocates nothing per
 * operation, where sync.Map allocates an entry and boxes.
 *
 * Invariant: the map is touched only with the lock held in the right mode;
 * rwmap_check holds whenever no operation is in progress.
 */
#ifndef GMV_RWMAP_H
#define GMV_RWMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "lock.h"
#include "map.h"

typedef enum { RWMAP_MUTEX, RWMAP_RWMUTEX } RwMapLock;

typedef struct {
    uint64_t addr;     /* the struct {mu; m}, or the lock alone (local) */
    uint64_t mfield;   /* the field m, loaded under the lock; 0 = none */
    RwMapLock kind;
    GoMutex mu;        /* RWMAP_MUTEX */
    GoRWMutex rw;      /* RWMAP_RWMUTEX */
    Map *h;
} RwMap;

/* &RWMap{m: make(map[K]V, hint)}: the struct and the map on the heap (an
 * escaping make with a non-constant hint: makemap). */
void rwmap_init(RwMap *rm, Machine *m, const MapType *t, RwMapLock kind,
                int64_t hint);
/* var mu sync.Mutex (or RWMutex); m := make(map[K]V, hint): locals of the
 * current frame that do not escape, as in a benchmark; hint a constant. */
void rwmap_init_local(RwMap *rm, Machine *m, const MapType *t, RwMapLock kind,
                      int64_t hint);
void rwmap_free(RwMap *rm);

/* mu.RLock(); v, ok := m[key]; mu.RUnlock() */
bool rwmap_load(Machine *m, RwMap *rm, const void *key, void *elem);
/* mu.Lock(); m[key] = elem; mu.Unlock() */
void rwmap_store(Machine *m, RwMap *rm, const void *key, const void *elem);
/* mu.Lock(); delete(m, key); mu.Unlock() */
void rwmap_delete(Machine *m, RwMap *rm, const void *key);

/* The lock is free of contradictions and the map passes map_check. */
bool rwmap_check(const RwMap *rm);

#endif
