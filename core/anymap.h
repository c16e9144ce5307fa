/*
 * anymap.h — one int64 -> int64 table, whichever of the five the article
 * compares: sync.Map, a map behind a Mutex or an RWMutex, the arena map, or
 * the fixed-key table.  The benchmark and the alternatives lesson drive them
 * all through one store and one load, so they run exactly the same program.
 *
 * Invariant: only the member named by kind is initialised (by the caller,
 * with that implementation's own init), and anymap_free frees just it.
 */
#ifndef GMV_ANYMAP_H
#define GMV_ANYMAP_H

#include "arenamap.h"
#include "iface.h"
#include "rwmap.h"
#include "staticmap.h"
#include "syncmap.h"

typedef enum {
    ANYMAP_SYNC, ANYMAP_MUTEX, ANYMAP_RWMUTEX, ANYMAP_ARENA, ANYMAP_FIXED, ANYMAP_NKINDS
} AnyMapKind;

typedef struct {
    AnyMapKind kind;
    BoxMem bm;       /* sync.Map: its boxes and entries */
    SyncMap sm;
    MapType t;       /* the lock maps: map[int64]int64 */
    RwMap rm;
    ArenaMap am;
    StaticMap st;
} AnyMap;

/* m.Store(k, v) / m[k] = v.  For sync.Map both become interfaces
 * (convT64: a box unless < 256), as `any` arguments do in Go. */
void anymap_store(Machine *m, AnyMap *a, int64_t k, int64_t v);
/* m.Load(k) / m[k]; sync.Map's key does not escape (a stack temporary). */
void anymap_load(Machine *m, AnyMap *a, int64_t k);
/* Free the host side of the member in use. */
void anymap_free(AnyMap *a);

#endif
