/*
 * map_delete.c — delete(m, k): runtime.mapdelete (map.go:695), with its
 * emptyOne/emptyRest bookkeeping, and the int64 convenience wrappers.
 *
 * Invariant: after a delete, a slot is emptyRest only if no slot after it
 * in its bucket or the bucket's overflow chain is in use, so lookups can
 * stop at the first emptyRest.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>

#include "map_internal.h"

static void set_top(Map *h, Ref b, unsigned i, uint8_t top)
{
    b.p[i] = top;
    touch_write(h->m, b.addr + i, 1);
    TRACE(h->m->tr, MAP_SLOT_CLEAR, h->addr, b.addr, i, top);
}

/* Clear the key and elem of slot i (only what GC would see, and the elem
 * always, as Go does) and drop indirect objects. */
static void clear_slot(Map *h, Ref b, unsigned i)
{
    const MapType *t = h->t;
    Ref k = {b.addr + slot_key_off(t, i), b.p + slot_key_off(t, i)};
    Ref e = {b.addr + slot_elem_off(t, i), b.p + slot_elem_off(t, i)};
    if (t->indirect_key) {
        uint64_t obj = load64(k.p);
        heap_garbage(&h->m->heap, obj);
        mapmem_remove(&h->objs, obj);
        store64(k.p, 0);
        touch_write(h->m, k.addr, 8);
    } else if (t->key.ptrs) {
        memset(k.p, 0, t->key.size);
        touch_write(h->m, k.addr, t->key.size);
    }
    if (t->indirect_elem) {
        uint64_t obj = load64(e.p);
        heap_garbage(&h->m->heap, obj);
        mapmem_remove(&h->objs, obj);
        store64(e.p, 0);
        touch_write(h->m, e.addr, 8);
    } else {
        memset(e.p, 0, t->elem.size);
        touch_write(h->m, e.addr, t->elem.size);
    }
}

/* The slot before (b, i) in the chain starting at orig; false at the
 * start of the chain (map.go:760-775). */
static bool prev_slot(Map *h, Ref orig, Ref *b, unsigned *i)
{
    if (*i > 0) {
        (*i)--;
        return true;
    }
    if (b->addr == orig.addr)
        return false;
    Ref c = *b;
    for (*b = orig; bmap_overflow(h, *b) != c.addr;)
        *b = map_ref(h, bmap_overflow(h, *b));
    *i = BUCKET_CNT - 1;
    return true;
}

/* Slot i of b became emptyOne; if nothing follows it, it and the run of
 * emptyOne slots before it become emptyRest (map.go:745-777). */
static void mark_empty_rest(Map *h, Ref orig, Ref b, unsigned i)
{
    if (i == BUCKET_CNT - 1) {
        uint64_t ovf = bmap_overflow(h, b);
        if (ovf) {
            Ref o = map_ref(h, ovf);
            touch_read(h->m, o.addr, 1);
            if (o.p[0] != TOPHASH_EMPTY_REST)
                return;
        }
    } else {
        touch_read(h->m, b.addr + i + 1, 1);
        if (b.p[i + 1] != TOPHASH_EMPTY_REST)
            return;
    }
    for (;;) {
        set_top(h, b, i, TOPHASH_EMPTY_REST);
        if (!prev_slot(h, orig, &b, &i))
            break;
        touch_read(h->m, b.addr + i, 1);
        if (b.p[i] != TOPHASH_EMPTY_ONE)
            break;
    }
}

/* Find key's slot in the chain from b for deletion (map.go:726-743). */
static bool delete_search(Map *h, Ref *b, unsigned *slot, uint8_t top,
                          const uint8_t *key)
{
    for (; b->addr; *b = map_ref(h, bmap_overflow(h, *b))) {
        TopScan sc = {b->addr, 0};
        for (unsigned i = 0; i < BUCKET_CNT; i++) {
            if (b->p[i] != top) {
                if (b->p[i] == TOPHASH_EMPTY_REST) {
                    topscan_flush(h, &sc, i + 1);
                    return false;
                }
                continue;
            }
            topscan_flush(h, &sc, i + 1);
            Ref k = slot_key(h, *b, i);
            touch_read(h->m, k.addr, h->t->key.size);
            if (key_equal(h, key, k.p)) {
                *slot = i;
                return true;
            }
        }
        topscan_flush(h, &sc, BUCKET_CNT);
    }
    return false;
}

/* Models mapdelete (map.go:695). */
void map_delete(Machine *m, Map *h, const void *key)
{
    (void)m;
    if (!h)
        return;
    hread(h, HMAP_COUNT, 8);
    if (h->count == 0)
        return;
    hread(h, HMAP_FLAGS, 1);
    assert(!(h->flags & HFLAG_WRITING) && "concurrent map writes");
    hread(h, HMAP_HASH0, 4);
    uint64_t hash = map_hash(h, key);
    h->flags ^= HFLAG_WRITING;
    hwrite(h, HMAP_FLAGS, 1);
    hread(h, HMAP_B, 1);
    uint64_t bucket = hash & bucket_mask(h->B);
    hread(h, HMAP_OLDBUCKETS, 8);
    if (growing(h))
        map_grow_work(h, bucket); /* even when the key is absent */
    hread(h, HMAP_BUCKETS, 8);
    Ref orig = map_ref(h, h->buckets + bucket * h->t->bucketsize), b = orig;
    unsigned i;
    if (delete_search(h, &b, &i, tophash(hash), key)) {
        clear_slot(h, b, i);
        set_top(h, b, i, TOPHASH_EMPTY_ONE);
        mark_empty_rest(h, orig, b, i);
        h->count--;
        hwrite(h, HMAP_COUNT, 8);
        if (h->count == 0) { /* re-seed: harder to attack (issue 25237) */
            h->hash0 = machine_rand(h->m);
            hwrite(h, HMAP_HASH0, 4);
            TRACE(h->m->tr, MAP_SEED, h->addr, h->hash0);
        }
    }
    h->flags &= ~HFLAG_WRITING;
    hwrite(h, HMAP_FLAGS, 1);
}

static void key_i64(uint8_t out[8], int64_t k)
{
    memcpy(out, &k, 8);
}

MapStatus map_assign_i64(Machine *m, Map *h, int64_t key, int64_t elem)
{
    uint8_t k[8];
    key_i64(k, key);
    return map_assign(m, h, k, &elem);
}

bool map_get_i64(Machine *m, Map *h, int64_t key, int64_t *elem)
{
    uint8_t k[8];
    int64_t e = 0;
    key_i64(k, key);
    bool ok = map_access(m, h, k, &e);
    if (elem)
        *elem = e;
    return ok;
}

void map_delete_i64(Machine *m, Map *h, int64_t key)
{
    uint8_t k[8];
    key_i64(k, key);
    map_delete(m, h, k);
}

void map_label_i64(const Map *h, const uint8_t *key, const uint8_t *elem,
                   char *buf, unsigned size)
{
    (void)h;
    int64_t k, e;
    memcpy(&k, key, 8);
    memcpy(&e, elem, 8);
    snprintf(buf, size, "%" PRId64 ":%" PRId64, k, e);
}
