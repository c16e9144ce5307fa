/*
 * map_access.c — lookups, assignment and deletion: runtime.mapaccess2,
 * mapassign and mapdelete (map.go:456, :578, :695), line by line.
 *
 * Invariant: the hashWriting flag is set exactly while an assign or delete
 * runs; every hmap field and bucket byte Go loads or stores is touched at
 * its simulated address.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "map_internal.h"

void map_trace_slot(Map *h, Ref b, unsigned i)
{
#ifndef GMV_NO_TRACE
    Tracer *tr = h->m->tr;
    if (!tr)
        return;
    char buf[48] = "";
    int64_t k = 0, e = 0;
    unsigned nums = SLOT_NUMS_NONE;
    if (h->label) {
        const uint8_t *kp = b.p + slot_key_off(h->t, i);
        const uint8_t *ep = b.p + slot_elem_off(h->t, i);
        if (h->t->indirect_key)
            kp = map_host(h, load64(kp));
        if (h->t->indirect_elem)
            ep = map_host(h, load64(ep));
        if (h->label == map_label_i64) { /* numbers: no formatting here */
            memcpy(&k, kp, 8);
            memcpy(&e, ep, 8);
            nums = SLOT_NUMS_KEY_ELEM;
        } else {
            h->label(h, kp, ep, buf, sizeof buf);
        }
    }
    TRACE(tr, MAP_SLOT_SET, h->addr, b.addr, i, b.p[i], tracer_str(tr, buf), nums,
          (uint64_t)k, (uint64_t)e);
#else
    (void)h, (void)b, (void)i;
#endif
}

static MapStatus nil_map_panic(Machine *m)
{
    TRACE(m->tr, PANIC, m->cur_g, TRACE_STR(m->tr, "assignment to entry in nil map"));
    (void)m;
    return MAP_PANIC;
}

/* A tophash match at slot i: record the tophash bytes scanned so far, then
 * read the key and compare (the `k := add(...); if t.key.equal(key, k)` of
 * mapaccess and mapassign). */
static bool key_at(Map *h, TopScan *sc, Ref b, unsigned i, const uint8_t *key)
{
    topscan_flush(h, sc, i + 1);
    Ref k = slot_key(h, b, i);
    touch_read(h->m, k.addr, h->t->key.size);
    return key_equal(h, key, k.p);
}

/* Where a key was found (or put): its bucket and slot. */
typedef struct {
    Ref b;
    unsigned i;
    bool found;
} Slot;

/* The chain loop shared by lookups: scan b and its overflow buckets for
 * key (top is its tophash). */
static Slot find_in_chain(Map *h, Ref b, uint8_t top, const uint8_t *key)
{
    Slot s = {b, 0, false};
    for (; b.addr; b = map_ref(h, bmap_overflow(h, b))) {
        TopScan sc = {b.addr, 0};
        for (unsigned i = 0; i < BUCKET_CNT; i++) {
            if (b.p[i] != top) {
                if (b.p[i] == TOPHASH_EMPTY_REST) {
                    topscan_flush(h, &sc, i + 1);
                    return s;
                }
                continue;
            }
            if (key_at(h, &sc, b, i, key)) {
                Slot hit = {b, i, true};
                return hit;
            }
        }
        topscan_flush(h, &sc, BUCKET_CNT);
    }
    return s;
}

/* The bucket a lookup starts in: the old one while it is not evacuated
 * (mapaccess1, map.go:415-427). */
static Ref lookup_bucket(Map *h, uint64_t hash)
{
    const MapType *t = h->t;
    hread(h, HMAP_B, 1);
    hread(h, HMAP_BUCKETS, 8);
    uint64_t mask = bucket_mask(h->B);
    Ref b = map_ref(h, h->buckets + (hash & mask) * t->bucketsize);
    hread(h, HMAP_OLDBUCKETS, 8);
    if (h->oldbuckets) {
        if (!same_size_grow(h))
            mask >>= 1; /* there used to be half as many buckets */
        Ref oldb = map_ref(h, h->oldbuckets + (hash & mask) * t->bucketsize);
        touch_read(h->m, oldb.addr, 1);
        if (!evacuated_top(oldb.p[0]))
            b = oldb;
    }
    return b;
}

/* Models mapaccess2 (map.go:456) and the copy out of *elem. */
bool map_access(Machine *m, Map *h, const void *key, void *elem)
{
    (void)m;
    if (h)
        hread(h, HMAP_COUNT, 8);
    if (!h || h->count == 0) {
        if (elem && h)
            memset(elem, 0, h->t->elem.size);
        return false;
    }
    hread(h, HMAP_FLAGS, 1);
    assert(!(h->flags & HFLAG_WRITING) && "concurrent map read and map write");
    hread(h, HMAP_HASH0, 4);
    uint64_t hash = map_hash(h, key);
    Ref b = lookup_bucket(h, hash);
    Slot s = find_in_chain(h, b, tophash(hash), key);
    if (!s.found) {
        if (elem)
            memset(elem, 0, h->t->elem.size);
        return false;
    }
    Ref e = slot_elem(h, s.b, s.i);
    touch_read(h->m, e.addr, h->t->elem.size);
    if (elem)
        memcpy(elem, e.p, h->t->elem.size);
    return true;
}

/* The first empty slot of the chain, remembered while searching. */
typedef struct {
    Ref b;
    int i; /* -1: none yet */
} InsertAt;

/* mapassign's bucketloop (map.go:617-656): find key in the chain from b,
 * noting the first free slot; on a miss, s.b is the chain's last bucket. */
static Slot assign_search(Map *h, Ref b, uint8_t top, const uint8_t *key,
                          InsertAt *ins)
{
    for (;;) {
        TopScan sc = {b.addr, 0};
        for (unsigned i = 0; i < BUCKET_CNT; i++) {
            uint8_t th = b.p[i];
            if (th != top) {
                if (is_empty(th) && ins->i < 0) {
                    ins->b = b;
                    ins->i = (int)i;
                }
                if (th == TOPHASH_EMPTY_REST) {
                    topscan_flush(h, &sc, i + 1);
                    Slot miss = {b, 0, false};
                    return miss;
                }
                continue;
            }
            if (key_at(h, &sc, b, i, key)) {
                Slot hit = {b, i, true};
                return hit;
            }
        }
        topscan_flush(h, &sc, BUCKET_CNT);
        uint64_t ovf = bmap_overflow(h, b);
        if (!ovf) {
            Slot miss = {b, 0, false};
            return miss;
        }
        b = map_ref(h, ovf);
    }
}

/* Store a new key at ins (map.go:673-691): indirect objects first, then
 * the key bytes, the tophash, and count++. */
static Slot assign_store(Map *h, InsertAt ins, uint8_t top, const uint8_t *key)
{
    const MapType *t = h->t;
    Ref b = ins.b;
    unsigned i = (unsigned)ins.i;
    Ref k = {b.addr + slot_key_off(t, i), b.p + slot_key_off(t, i)};
    if (t->indirect_key) {
        Ref kmem = map_newobject(h, &t->key, OBJ_KEY);
        store64(k.p, kmem.addr);
        touch_write(h->m, k.addr, 8);
        k = kmem;
    }
    if (t->indirect_elem) {
        Ref e = {b.addr + slot_elem_off(t, i), b.p + slot_elem_off(t, i)};
        Ref vmem = map_newobject(h, &t->elem, OBJ_ELEM);
        store64(e.p, vmem.addr);
        touch_write(h->m, e.addr, 8);
    }
    memcpy(k.p, key, t->key.size); /* typedmemmove(t.key, insertk, key) */
    touch_write(h->m, k.addr, t->key.size);
    b.p[i] = top;
    touch_write(h->m, b.addr + i, 1);
    h->count++;
    hwrite(h, HMAP_COUNT, 8);
    Slot s = {b, i, false};
    return s;
}

/* A new key and not already growing: over the load factor, or too many
 * overflow buckets (map.go:663), reading the fields as Go's && and || do. */
static bool should_grow(Map *h)
{
    hread(h, HMAP_OLDBUCKETS, 8);
    if (growing(h))
        return false;
    hread(h, HMAP_COUNT, 8);
    if (over_load_factor(h->count + 1, h->B))
        return true;
    hread(h, HMAP_NOVERFLOW, 2);
    return too_many_overflow_buckets(h->noverflow, h->B);
}

/* An existing key is overwritten with the new one when the key type asks
 * for it (map.go:640): equal interface keys may hold different data words. */
static void key_update(Map *h, Slot s, const uint8_t *key)
{
    if (!h->t->needkeyupdate)
        return;
    Ref k = slot_key(h, s.b, s.i);
    memcpy(k.p, key, h->t->key.size); /* typedmemmove(t.key, k, key) */
    touch_write(h->m, k.addr, h->t->key.size);
}

/* Models mapassign (map.go:578): the slot for key, added if absent. */
static Slot mapassign(Map *h, const uint8_t *key)
{
    const MapType *t = h->t;
    hread(h, HMAP_FLAGS, 1);
    assert(!(h->flags & HFLAG_WRITING) && "concurrent map writes");
    hread(h, HMAP_HASH0, 4);
    uint64_t hash = map_hash(h, key);
    h->flags ^= HFLAG_WRITING; /* after hashing: the hasher may panic */
    hwrite(h, HMAP_FLAGS, 1);
    hread(h, HMAP_BUCKETS, 8);
    if (h->buckets == 0) { /* newobject(t.bucket): the lazy first bucket */
        uint64_t next;
        h->cur = map_bucket_array(h, 0, &h->cur_n, &next);
        h->buckets = h->cur.addr;
        hwrite(h, HMAP_BUCKETS, 8);
        TRACE(h->m->tr, MAP_BUCKETS, h->addr, h->buckets, 0, 1);
    }
    uint8_t top = tophash(hash);
    for (;;) { /* again: */
        hread(h, HMAP_B, 1);
        uint64_t bucket = hash & bucket_mask(h->B);
        hread(h, HMAP_OLDBUCKETS, 8);
        if (growing(h))
            map_grow_work(h, bucket);
        Ref b = map_ref(h, h->buckets + bucket * t->bucketsize);
        InsertAt ins = {{0, NULL}, -1};
        Slot s = assign_search(h, b, top, key, &ins);
        if (s.found) {
            key_update(h, s, key);
            return s;
        }
        if (should_grow(h)) {
            map_hash_grow(h);
            continue; /* growing invalidates everything: try again */
        }
        if (ins.i < 0) { /* the chain is full: a new overflow bucket */
            ins.b = map_newoverflow(h, s.b);
            ins.i = 0;
        }
        return assign_store(h, ins, top, key);
    }
}

MapStatus map_assign(Machine *m, Map *h, const void *key, const void *elem)
{
    if (!h)
        return nil_map_panic(m);
    Slot s = mapassign(h, key);
    hread(h, HMAP_FLAGS, 1);
    assert(h->flags & HFLAG_WRITING);
    h->flags &= ~HFLAG_WRITING;
    hwrite(h, HMAP_FLAGS, 1);
    Ref e = slot_elem(h, s.b, s.i); /* *mapassign(...) = elem */
    memcpy(e.p, elem, h->t->elem.size);
    touch_write(m, e.addr, h->t->elem.size);
    map_trace_slot(h, s.b, s.i);
    return MAP_OK;
}

uint64_t map_len(Machine *m, const Map *h)
{
    if (!h)
        return 0;
    touch_read(m, h->addr + HMAP_COUNT, 8);
    return h->count;
}
