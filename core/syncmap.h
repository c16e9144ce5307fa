/*
 * syncmap.h — Go 1.19's sync.Map (sync/map.go) on the simulated machine.
 *
 *   Map      { mu Mutex @0; read atomic.Value @8 (typ @8, data @16);
 *              dirty map[any]*entry @24; misses int @32 }        40 bytes
 *   readOnly { m map[any]*entry @0; amended bool @8 }  boxed, 16 bytes
 *   entry    { p unsafe.Pointer @0 }                            8 bytes
 *
 * read.m and dirty are model maps (map.h) of type map[any]*entry whose keys
 * are hashed and compared by value (iface.h).  An entry's p is the address
 * of a heap `any` holding the value, 0 (deleted) or SYNCMAP_EXPUNGED
 * (deleted and absent from dirty).  Fast paths take no lock: an atomic load
 * of read (touching the Map's read words) and CAS on entry.p (touch_atomic);
 * slow paths hold the GoMutex at mu.  Allocations are Go's: the escaped
 * `value` of Store, newEntry's `i` and the entry, the readOnly box at each
 * read.Store, the dirty map made with hint len(read.m).
 *
 * Objects the program can no longer reach (the old read map and readOnly
 * box after a promotion, replaced value boxes, dropped entries) become heap
 * garbage when no operation on the Map is in progress, since a goroutine
 * inside one may still hold them — as Go's GC would see it.
 *
 * Invariants (syncmap_check, after every operation): see syncmap_check.
 */
#ifndef GMV_SYNCMAP_H
#define GMV_SYNCMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "iface.h"
#include "lock.h"
#include "map.h"

#define SYNCMAP_SIZE 40
#define SYNCMAP_ENTRY_SIZE 8
#define SYNCMAP_READONLY_SIZE 16
/* sync.expunged = unsafe.Pointer(new(any)): a package variable's target,
 * allocated before main; the model gives it a fixed address. */
#define SYNCMAP_EXPUNGED 0x4b0000ull
#define SYNCMAP_READONLY_TYPE 0x4a0080ull /* type.sync.readOnly */

/* sync.Map field offsets (map.go:34). */
enum {
    SYNCMAP_MU = 0, SYNCMAP_READ_TYP = 8, SYNCMAP_READ_DATA = 16,
    SYNCMAP_DIRTY = 24, SYNCMAP_MISSES = 32
};

/* A readOnly as loaded: the map (NULL: nil) and amended. */
typedef struct {
    Map *m;
    bool amended;
} ReadOnly;

typedef struct {
    uint64_t *a;
    uint32_t n, cap;
} AddrList;

typedef struct SyncMap {
    Machine *m;
    BoxMem *mem;
    MapType type;          /* map[any]*entry with the interface key ops */
    uint64_t addr;         /* the Map struct */
    GoMutex mu;
    uint64_t read_typ;     /* read.v's type word (0: never stored) */
    uint64_t read_box;     /* read.v's data word: the readOnly box */
    ReadOnly read;         /* what *read_box holds */
    Map *dirty;
    int64_t misses;
    /* host bookkeeping */
    unsigned active;       /* operations in progress */
    AddrList garbage;      /* unreachable once no operation is in progress */
    AddrList expunged;     /* entries whose p is expunged (dropped at promotion) */
    Map **old_maps;        /* read maps replaced while operations ran */
    uint32_t nold, oldcap;
} SyncMap;

/* The zero sync.Map at addr (40 bytes of simulated memory the caller has
 * allocated or placed in a frame). */
void syncmap_init(SyncMap *sm, Machine *m, BoxMem *mem, uint64_t addr);
/* new(sync.Map): a 40-byte heap object, then syncmap_init. */
void syncmap_new(SyncMap *sm, Machine *m, BoxMem *mem);
/* Free the host side (records nothing). */
void syncmap_free(SyncMap *sm);

/* value, ok := m.Load(key).  Models sync.(*Map).Load (map.go:110). */
bool syncmap_load(Machine *m, SyncMap *sm, Eface key, Eface *value);
/* m.Store(key, value).  Models sync.(*Map).Store (map.go:144). */
void syncmap_store(Machine *m, SyncMap *sm, Eface key, Eface value);
/* actual, loaded := m.LoadOrStore(key, value).  Models map.go:207. */
bool syncmap_load_or_store(Machine *m, SyncMap *sm, Eface key, Eface value,
                           Eface *actual);
/* value, loaded := m.LoadAndDelete(key).  Models map.go:276. */
bool syncmap_load_and_delete(Machine *m, SyncMap *sm, Eface key, Eface *value);
/* m.Delete(key).  Models map.go:300. */
void syncmap_delete(Machine *m, SyncMap *sm, Eface key);
/* m.Range(f): f returns false to stop.  Models map.go:327.  f must not
 * call back into sm. */
typedef bool (*SyncMapRangeFn)(Eface key, Eface value, void *arg);
void syncmap_range(Machine *m, SyncMap *sm, SyncMapRangeFn f, void *arg);

/* State for probes and lessons (host peeks, no touches). */
uint64_t syncmap_read_len(const SyncMap *sm);
/* len(dirty), or -1 when dirty is nil. */
int64_t syncmap_dirty_len(const SyncMap *sm);

/* Check the invariants; false (with the reason on stderr) if one is broken:
 * read is what read_box holds; dirty == nil implies !amended, misses == 0
 * and no expunged entry; with dirty != nil, every read entry is expunged
 * iff its key is absent from dirty, and present keys map to the same entry;
 * !amended implies every dirty key is in read (amended may stay true after
 * the only extra key was deleted from dirty, as in Go); misses < len(dirty);
 * every value pointer is a live heap object; both maps pass map_check.
 * Records nothing. */
bool syncmap_check(const SyncMap *sm);

#endif
