/*
 * arenamap.h — a map whose header, buckets and overflow buckets are carved
 * from an arena and released in bulk: the article's "allocate the map's
 * memory from an arena" proposal, as a map[int64]int64.
 *
 * Go 1.20's arena experiment offers arena.New and arena.MakeSlice but no
 * arena maps, so this is the hand-written table such code would use: the
 * same bucket shape as runtime.hmap (tophash[8], 8 keys, 8 values, an
 * overflow pointer: 144 bytes), load factor 6.5, but growth is done at
 * once (every entry rehashed into a new array) and the old array is simply
 * abandoned inside the arena.  No operation calls mallocgc; the arena takes
 * a new chunk from the heap when one fills up, and arenamap_release frees
 * everything at once.
 *
 *   header { mu Mutex @0; count @8; B @16; buckets @24 }   32 bytes
 *
 * Invariants (arenamap_check): count equals the live slots; every key is
 * in the chain of bucket hash & (2^B-1); a chain has no empty slot before
 * a live one (no deletes: stores only).
 */
#ifndef GMV_ARENAMAP_H
#define GMV_ARENAMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "lock.h"
#include "machine.h"

#define ARENAMAP_BUCKET 144
#define ARENAMAP_HEADER 32

typedef struct {
    uint64_t addr;
    uint8_t top[8];
    int64_t key[8], val[8];
    int32_t next;          /* overflow bucket (pool index), -1 if none */
} ArenaBucket;

typedef struct {
    Arena arena;
    GoMutex mu;            /* the table is not safe for concurrent use */
    uint64_t hdr;
    uint8_t B;
    uint64_t count;
    uint64_t seed;
    ArenaBucket *pool;     /* every bucket ever made, host side */
    uint32_t npool, cap;
    uint32_t *dir;         /* bucket i -> pool index, 2^B of them */
} ArenaMap;

/* A map sized for hint entries in a new arena (id, chunk_size bytes per
 * chunk, taken from m's heap). */
void arenamap_init(ArenaMap *am, Machine *m, unsigned id, uint64_t chunk_size,
                   uint64_t hint);
/* arena.Free(): every chunk becomes garbage at once; the map is empty and
 * unusable until arenamap_init. */
void arenamap_release(ArenaMap *am);
void arenamap_free(ArenaMap *am);

bool arenamap_load(Machine *m, ArenaMap *am, int64_t key, int64_t *val);
void arenamap_store(Machine *m, ArenaMap *am, int64_t key, int64_t val);

bool arenamap_check(const ArenaMap *am);

#endif
