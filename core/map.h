/*
 * map.h — Go 1.19's hash map (runtime/map.go) on the simulated machine:
 * hmap, buckets of 8 slots (tophash, keys, elems, overflow pointer), lazy
 * first bucket, load factor 6.5, overflow and preallocated overflow
 * buckets, incremental evacuation to X/Y halves, same-size growth, deletes
 * with emptyOne/emptyRest, randomised iteration, and the small local map
 * whose hmap and first bucket live in the frame.
 *
 * A map's memory is simulated memory: the bytes of every bucket (tophash,
 * keys, elems, overflow pointer) are kept host-side under their simulated
 * address, lookups really read them, and every access Go makes is touched
 * at its simulated address (hmap fields at their Go offsets).  The hmap's
 * own fields are kept in the Map struct, which mirrors runtime.hmap.
 *
 * Invariants (map_check, called by the tests after every operation): count
 * equals the live slots; tophash values are valid for where they are; old
 * buckets below nevacuate are evacuated and an old bucket not yet evacuated
 * has empty destinations; overflow chains are acyclic; noverflow equals the
 * overflow buckets hanging off the current array (exact while B < 16).
 */
#ifndef GMV_MAP_H
#define GMV_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "slice.h"

#define BUCKET_CNT 8          /* bucketCnt: slots per bucket */
#define MAP_MAX_KEY_SIZE 128  /* maxKeySize: larger keys are indirect */
#define MAP_MAX_ELEM_SIZE 128 /* maxElemSize */
#define MAP_DATA_OFFSET 8     /* dataOffset: keys start after tophash[8] */
#define HMAP_SIZE 48
#define MAPEXTRA_SIZE 24

/* runtime.hmap field offsets (map.go:117). */
enum {
    HMAP_COUNT = 0, HMAP_FLAGS = 8, HMAP_B = 9, HMAP_NOVERFLOW = 10,
    HMAP_HASH0 = 12, HMAP_BUCKETS = 16, HMAP_OLDBUCKETS = 24,
    HMAP_NEVACUATE = 32, HMAP_EXTRA = 40
};
/* runtime.mapextra field offsets (map.go:133). */
enum { MAPEXTRA_OVERFLOW = 0, MAPEXTRA_OLDOVERFLOW = 8, MAPEXTRA_NEXTOVERFLOW = 16 };

/* Special tophash values (map.go:89). */
enum {
    TOPHASH_EMPTY_REST, TOPHASH_EMPTY_ONE, TOPHASH_EVACUATED_X,
    TOPHASH_EVACUATED_Y, TOPHASH_EVACUATED_EMPTY, TOPHASH_MIN
};
/* hmap.flags (map.go:97). */
enum {
    HFLAG_ITERATOR = 1, HFLAG_OLD_ITERATOR = 2, HFLAG_WRITING = 4,
    HFLAG_SAME_SIZE_GROW = 8
};

/* Key operations for keys that are not compared as plain bytes: an
 * interface key is hashed and compared by the value its data word points to
 * (runtime.nilinterhash, nilinterequal; alg.go:117, :238).  ctx is
 * MapType.key_ctx; m is the machine to touch the memory they read, NULL
 * when nothing may be touched (map_check). */
typedef uint64_t (*MapHashFn)(void *ctx, Machine *m, const uint8_t *key,
                              uint64_t seed);
typedef bool (*MapEqualFn)(void *ctx, Machine *m, const uint8_t *a,
                           const uint8_t *b);

/* Models runtime.maptype (type.go:356) with the bucket type the compiler
 * builds (reflectdata.MapBucketType). */
typedef struct {
    GoType key, elem;
    uint8_t keysize, elemsize;   /* slot sizes: 8 when stored indirectly */
    uint16_t bucketsize;
    bool indirect_key, indirect_elem;
    bool bucket_noscan;          /* t.bucket.ptrdata == 0 */
    uint32_t keys_off, elems_off, overflow_off;
    char name[64];               /* "map[int64]int64" */
    char bucket_name[80];        /* "bucket[int64]int64" */
    /* Optional key ops (NULL: hash_bytes and byte equality), set after
     * maptype_init; needkeyupdate: mapassign overwrites the stored key of
     * an existing entry (map.go:640), as for interface and string keys. */
    MapHashFn hasher;
    MapEqualFn equal;
    void *key_ctx;
    bool needkeyupdate;
} MapType;

/* Build the map type for key and elem; models MapBucketType
 * (reflectdata/reflect.go:92).  Key and elem alignment must be <= 8. */
void maptype_init(MapType *t, const GoType *key, const GoType *elem);

/* A simulated object's bytes, kept host-side. */
typedef struct {
    uint64_t addr, size;
    uint8_t *bytes;
} MapBlock;

/* Simulated address -> host bytes, for overflow buckets and indirect keys
 * and elems (bucket arrays are looked up by range first). */
typedef struct {
    MapBlock *slot;   /* linear probing, addr 0 = empty; cap a power of 2 */
    uint32_t cap, n;
} MapBlockTable;

/* Addresses of overflow buckets, per bucket-array generation. */
typedef struct {
    uint64_t *a;
    uint32_t n, cap;
} MapAddrs;

/* Turns a key/elem into a short label for the viewer (e.g. "42"); only
 * called while recording. */
struct Map;
typedef void (*MapLabelFn)(const struct Map *h, const uint8_t *key,
                           const uint8_t *elem, char *buf, unsigned size);

typedef struct Map {
    Machine *m;
    const MapType *t;
    uint64_t addr;          /* the hmap's simulated address */
    bool on_stack;          /* hmap in the frame (non-escaping make) */
    /* runtime.hmap */
    uint64_t count;
    uint8_t flags, B;
    uint16_t noverflow;
    uint32_t hash0;
    uint64_t buckets, oldbuckets, nevacuate, extra;
    /* runtime.mapextra (when extra != 0) */
    uint64_t ovf_hdr, oldovf_hdr;   /* the *[]*bmap boxes, 0 = nil */
    Slice ovf, oldovf;              /* their []*bmap values */
    uint64_t next_overflow;
    /* host side */
    MapBlock cur, old;              /* the two bucket arrays */
    uint64_t cur_n, old_n;          /* buckets allocated in each (with prealloc) */
    MapBlockTable objs;
    MapAddrs gen_ovf[2];            /* separately allocated overflow buckets:
                                       [0] of cur, [1] of old */
    MapBlock *retired;              /* arrays and overflow buckets a live
                                       iterator may still read after growth */
    uint32_t nretired;
    uint64_t stack_bucket;          /* the frame's bucket, 0 if none */
    MapLabelFn label;
} Map;

typedef enum { MAP_OK, MAP_PANIC } MapStatus;

/* make(map[K]E, hint) at site.  Models walk.walkMakeMap (walk/builtin.go:
 * 264): a non-escaping map puts its hmap (and, if the hint is at most 8,
 * one bucket) in the current frame; an escaping one calls makemap_small for
 * a constant hint <= 8, else makemap (map.go:304).  hint < 0 is 0.
 * Returns a host object to free with map_free. */
Map *map_make(Machine *m, const MapType *t, int64_t hint, MakeSite site);

/* Free the host side.  Records nothing (see map_drop). */
void map_free(Map *h);
/* The program dropped the map: its heap objects become garbage.  Frees
 * the host side too. */
void map_drop(Map *h);

/* m[key] = elem.  Models runtime.mapassign (map.go:578) followed by the
 * store through the returned pointer.  h == NULL is a nil map: emits PANIC
 * "assignment to entry in nil map" and returns MAP_PANIC. */
MapStatus map_assign(Machine *m, Map *h, const void *key, const void *elem);

/* elem, ok := m[key]; elem may be NULL.  Models runtime.mapaccess2
 * (map.go:456).  A nil map reads as empty. */
bool map_access(Machine *m, Map *h, const void *key, void *elem);

/* delete(m, key).  Models runtime.mapdelete (map.go:695). */
void map_delete(Machine *m, Map *h, const void *key);

/* len(m): reads hmap.count. */
uint64_t map_len(Machine *m, const Map *h);

/* Convenience wrappers for map[int64]int64 (key and elem 8 bytes). */
MapStatus map_assign_i64(Machine *m, Map *h, int64_t key, int64_t elem);
bool map_get_i64(Machine *m, Map *h, int64_t key, int64_t *elem);
void map_delete_i64(Machine *m, Map *h, int64_t key);
/* The types map[int64]int64 uses (for maptype_init). */
extern const GoType GOTYPE_INT64;
/* A label function printing int64 keys and elems. */
void map_label_i64(const struct Map *h, const uint8_t *key, const uint8_t *elem,
                   char *buf, unsigned size);

/* Models runtime.hiter (map.go:164). */
typedef struct {
    Map *h;
    uint8_t *key, *elem;       /* host copies of the current entry's bytes */
    uint64_t buckets;          /* bucket array when iteration started */
    uint64_t bptr;             /* current bucket, 0 = none */
    uint64_t start_bucket, bucket, check_bucket;
    uint8_t offset, B, i;
    bool wrapped, done;
} MapIter;

/* for k, e := range m: starts at a random bucket and offset.  Models
 * runtime.mapiterinit (map.go:811).  Finish with map_iter_free. */
void map_iter_init(Machine *m, Map *h, MapIter *it);
/* Next entry into it->key/it->elem; false at the end.  Models
 * runtime.mapiternext (map.go:860). */
bool map_iter_next(MapIter *it);
void map_iter_free(MapIter *it);

/* Growth state, for scenarios and probes. */
bool map_growing(const Map *h);
bool map_same_size_grow(const Map *h);

/* Check every invariant listed at the top; false (with the reason on
 * stderr) if one is broken.  Records nothing. */
bool map_check(const Map *h);

#endif
