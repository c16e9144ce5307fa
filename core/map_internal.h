/*
 * map_internal.h — helpers shared by the map_*.c files: simulated address
 * -> host bytes, hmap field touches, tophash, slot addresses, and the
 * functions one concern lends another (makeBucketArray and newoverflow to
 * the growth code, growWork to assign and delete).
 *
 * Invariant: every read or write of simulated map memory goes through a
 * Ref (simulated address + its host bytes) and is touched at the address
 * Go would use, with the size of the Go load or store.
 */
#ifndef GMV_MAP_INTERNAL_H
#define GMV_MAP_INTERNAL_H

#include <string.h>

#include "hash.h"
#include "map.h"

/* A simulated address and the host bytes that hold it. */
typedef struct {
    uint64_t addr;
    uint8_t *p;
} Ref;

/* map_mem.c: host storage of simulated objects. */
uint8_t *mapmem_new(MapBlockTable *t, uint64_t addr, uint64_t size);
uint8_t *mapmem_find(const MapBlockTable *t, uint64_t addr);
/* Remove addr's block and hand its bytes to the caller. */
uint8_t *mapmem_take(MapBlockTable *t, uint64_t addr);
void mapmem_remove(MapBlockTable *t, uint64_t addr);
/* Keep b's bytes readable (by address) for iterators; the map frees them. */
void map_retire(Map *h, MapBlock b);
uint8_t *map_retired_host(const Map *h, uint64_t addr);
void mapmem_free(MapBlockTable *t);
void mapaddrs_push(MapAddrs *a, uint64_t addr);

/* Host bytes of simulated map memory at addr (a bucket array, an overflow
 * bucket, or an indirect key/elem object). */
static inline uint8_t *map_host(const Map *h, uint64_t addr)
{
    if (addr - h->cur.addr < h->cur.size)
        return h->cur.bytes + (addr - h->cur.addr);
    if (addr - h->old.addr < h->old.size)
        return h->old.bytes + (addr - h->old.addr);
    uint8_t *p = mapmem_find(&h->objs, addr);
    return p || !h->nretired ? p : map_retired_host(h, addr);
}

static inline Ref map_ref(const Map *h, uint64_t addr)
{
    Ref r = {addr, addr ? map_host(h, addr) : NULL};
    return r;
}

/* Touch an hmap field (offsets in map.h). */
static inline void hread(Map *h, unsigned off, uint32_t size)
{
    touch_read(h->m, h->addr + off, size);
}
static inline void hwrite(Map *h, unsigned off, uint32_t size)
{
    touch_write(h->m, h->addr + off, size);
}

static inline uint64_t bucket_shift(uint8_t b)
{
    return 1ull << (b & 63);
}
static inline uint64_t bucket_mask(uint8_t b)
{
    return bucket_shift(b) - 1;
}

/* Models tophash (map.go:197): the top byte, moved clear of the marks. */
static inline uint8_t tophash(uint64_t hash)
{
    uint8_t top = (uint8_t)(hash >> 56);
    return top < TOPHASH_MIN ? top + TOPHASH_MIN : top;
}
static inline bool is_empty(uint8_t x)
{
    return x <= TOPHASH_EMPTY_ONE;
}
/* Models evacuated (map.go:205): tophash[0] holds the evacuation mark. */
static inline bool evacuated_top(uint8_t top0)
{
    return top0 > TOPHASH_EMPTY_ONE && top0 < TOPHASH_MIN;
}

/* Models overLoadFactor (map.go:1075). */
static inline bool over_load_factor(uint64_t count, uint8_t B)
{
    return count > BUCKET_CNT && count > 13 * (bucket_shift(B) / 2);
}
/* Models tooManyOverflowBuckets (map.go:1082). */
static inline bool too_many_overflow_buckets(uint16_t noverflow, uint8_t B)
{
    if (B > 15)
        B = 15;
    return noverflow >= (uint16_t)(1u << (B & 15));
}

static inline bool growing(const Map *h)
{
    return h->oldbuckets != 0;
}
static inline bool same_size_grow(const Map *h)
{
    return (h->flags & HFLAG_SAME_SIZE_GROW) != 0;
}
/* Models noldbuckets (map.go:1107). */
static inline uint64_t noldbuckets(const Map *h)
{
    uint8_t oldB = h->B;
    if (!same_size_grow(h))
        oldB--;
    return bucket_shift(oldB);
}

static inline uint64_t slot_key_off(const MapType *t, unsigned i)
{
    return MAP_DATA_OFFSET + (uint64_t)i * t->keysize;
}
static inline uint64_t slot_elem_off(const MapType *t, unsigned i)
{
    return MAP_DATA_OFFSET + BUCKET_CNT * (uint64_t)t->keysize +
           (uint64_t)i * t->elemsize;
}

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
static inline void store64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

/* Models b.overflow(t) (map.go:210), touching the pointer. */
static inline uint64_t bmap_overflow(Map *h, Ref b)
{
    touch_read(h->m, b.addr + h->t->overflow_off, 8);
    return load64(b.p + h->t->overflow_off);
}
/* Models b.setoverflow(t, ovf) (map.go:214). */
static inline void bmap_setoverflow(Map *h, Ref b, uint64_t ovf)
{
    touch_write(h->m, b.addr + h->t->overflow_off, 8);
    store64(b.p + h->t->overflow_off, ovf);
}
/* The same, for the checker: no touch. */
static inline uint64_t bmap_overflow_peek(const Map *h, const uint8_t *b)
{
    return load64(b + h->t->overflow_off);
}

/* Models t.hasher(key, uintptr(h.hash0)). */
static inline uint64_t map_hash(const Map *h, const uint8_t *key)
{
    if (h->t->hasher)
        return h->t->hasher(h->t->key_ctx, h->m, key, h->hash0);
    return hash_bytes(key, h->t->key.size, h->hash0);
}
/* The same hash, touching nothing (for the checker). */
static inline uint64_t map_hash_peek(const Map *h, const uint8_t *key)
{
    if (h->t->hasher)
        return h->t->hasher(h->t->key_ctx, NULL, key, h->hash0);
    return hash_bytes(key, h->t->key.size, h->hash0);
}

/* Models t.key.equal: byte equality unless the type has its own. */
static inline bool key_equal(const Map *h, const uint8_t *a, const uint8_t *b)
{
    uint32_t n = h->t->key.size;
    if (h->t->equal)
        return h->t->equal(h->t->key_ctx, h->m, a, b);
    if (n == 8)
        return load64(a) == load64(b);
    return memcmp(a, b, n) == 0;
}

/* The key bytes of slot i of b, following the pointer of an indirect key
 * (touching the slot, and the pointer's target). */
static inline Ref slot_key(Map *h, Ref b, unsigned i)
{
    const MapType *t = h->t;
    Ref k = {b.addr + slot_key_off(t, i), b.p + slot_key_off(t, i)};
    if (t->indirect_key) {
        touch_read(h->m, k.addr, 8);
        k = map_ref(h, load64(k.p));
    }
    return k;
}
/* The elem of slot i of b (through the pointer if indirect). */
static inline Ref slot_elem(Map *h, Ref b, unsigned i)
{
    const MapType *t = h->t;
    Ref e = {b.addr + slot_elem_off(t, i), b.p + slot_elem_off(t, i)};
    if (t->indirect_elem) {
        touch_read(h->m, e.addr, 8);
        e = map_ref(h, load64(e.p));
    }
    return e;
}

/* Tophash bytes a loop reads in a row are recorded as one access of the
 * bytes read: flushed before each key compare and when leaving a bucket,
 * so the order of accesses is Go's. */
typedef struct {
    uint64_t addr;
    unsigned from;
} TopScan;
static inline void topscan_flush(Map *h, TopScan *s, unsigned upto)
{
    if (upto > s->from)
        touch_read(h->m, s->addr + s->from, upto - s->from);
    s->from = upto;
}

/* Record a slot's new contents for the viewer. */
void map_trace_slot(Map *h, Ref b, unsigned i);

/* map_make.c */
/* Models makeBucketArray (map.go:345) without dirtyalloc: a new array of
 * 2^b buckets plus preallocated overflow; *next_overflow is the first
 * spare bucket or 0.  *nbuckets is what was allocated. */
MapBlock map_bucket_array(Map *h, uint8_t b, uint64_t *nbuckets,
                          uint64_t *next_overflow);
/* Models hmap.createOverflow (map.go:271). */
void map_create_overflow(Map *h);
/* Models hmap.newoverflow (map.go:239): link a fresh overflow bucket
 * after b and return it. */
Ref map_newoverflow(Map *h, Ref b);
/* Allocate a heap object for an indirect key or elem, host bytes zeroed. */
Ref map_newobject(Map *h, const GoType *type, ObjKind kind);

/* map_grow.c */
/* Models hashGrow (map.go:1041). */
void map_hash_grow(Map *h);
/* Models growWork (map.go:1121). */
void map_grow_work(Map *h, uint64_t bucket);

#endif
