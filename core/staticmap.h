/*
 * staticmap.h — a zero-allocation table for a key set fixed up front: the
 * article's answer to "most of my keys are known at compile time".
 *
 *   var table = [N]struct{ key int64; val atomic.Int64 }  // package data
 *
 * The slots are built once (open addressing, linear probing, size a power
 * of two at least twice the key count) in static data: no heap object ever.
 * A lookup hashes the key and probes; a store is an atomic store into the
 * value word of an existing key, so readers never lock.  A key outside the
 * set cannot be stored (STATICMAP_NOKEY), which is the price.
 *
 * Invariant: every key of the set sits in the probe run from its home slot
 * with no empty slot before it; slots never move after staticmap_init.
 */
#ifndef GMV_STATICMAP_H
#define GMV_STATICMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define STATICMAP_BASE 0x4e0000ull /* package data of the program */
#define STATICMAP_SLOT 16          /* key @0, val @8 */

typedef enum { STATICMAP_OK, STATICMAP_NOKEY } StaticMapStatus;

typedef struct {
    uint64_t addr;    /* the table in static data */
    uint32_t nslots;  /* a power of two */
    int64_t *key, *val;
    bool *used;
} StaticMap;

/* Build the table for keys[0..n) (distinct) in static data at addr (e.g.
 * STATICMAP_BASE; the table takes staticmap_size(n) bytes). */
void staticmap_init(StaticMap *sm, uint64_t addr, const int64_t *keys, uint32_t n);
uint64_t staticmap_size(uint32_t n);
void staticmap_free(StaticMap *sm);

/* Say where the linker put the table: an ALLOC in static data (space
 * static: no malloc, nothing counted as allocated), so that a viewer can
 * name the cache lines the table's loads and stores touch.  name: the
 * variable and its type, as the program declares it. */
void staticmap_record(Machine *m, const StaticMap *sm, const char *name);

/* v, ok := table lookup (an atomic load of the value). */
bool staticmap_load(Machine *m, StaticMap *sm, int64_t key, int64_t *val);
/* Atomic store to key's value; STATICMAP_NOKEY if key is not in the set. */
StaticMapStatus staticmap_store(Machine *m, StaticMap *sm, int64_t key, int64_t val);

bool staticmap_check(const StaticMap *sm);

#endif
