/*
 * map_iter.c — for k, e := range m: runtime.mapiterinit and mapiternext
 * (map.go:811, :860).  Iteration starts at a random bucket and a random
 * offset inside each bucket, and copes with a growth in progress: while the
 * old bucket of the bucket it visits is not evacuated, it walks the old
 * chain and keeps only the keys bound for this bucket.
 *
 * Invariant: an iteration returns every key present for its whole
 * duration exactly once (the Go spec's guarantee); it never evacuates.
 */
#include <stdlib.h>

#include "map_internal.h"

#define NO_CHECK UINT64_MAX /* noCheck: this bucket needs no filtering */

void map_iter_init(Machine *m, Map *h, MapIter *it)
{
    memset(it, 0, sizeof *it);
    it->h = h;
    it->done = true;
    if (!h || (touch_read(m, h->addr + HMAP_COUNT, 8), h->count == 0))
        return;
    it->done = false;
    it->key = malloc(h->t->key.size + 1);
    it->elem = malloc(h->t->elem.size + 1);
    if (!it->key || !it->elem)
        abort();
    hread(h, HMAP_B, 1);
    hread(h, HMAP_BUCKETS, 8);
    it->B = h->B; /* a snapshot of the bucket state */
    it->buckets = h->buckets;
    if (h->t->bucket_noscan) /* keep overflow buckets alive */
        map_create_overflow(h);
    uint64_t r = machine_rand(m);
    if (h->B > 31 - 3)
        r = r << 32 | machine_rand(m); /* fastrand64 */
    it->start_bucket = r & bucket_mask(h->B);
    it->offset = (uint8_t)(r >> h->B & (BUCKET_CNT - 1));
    it->bucket = it->start_bucket;
    hread(h, HMAP_FLAGS, 1);
    if ((h->flags & (HFLAG_ITERATOR | HFLAG_OLD_ITERATOR)) !=
        (HFLAG_ITERATOR | HFLAG_OLD_ITERATOR)) {
        h->flags |= HFLAG_ITERATOR | HFLAG_OLD_ITERATOR;
        touch_atomic(m, h->addr + HMAP_FLAGS, 1); /* atomic.Or8 */
    }
}

/* The next bucket to walk (mapiternext's "if b == nil" block). */
static Ref next_bucket(MapIter *it, uint64_t *bucket, uint64_t *check)
{
    Map *h = it->h;
    uint64_t bs = h->t->bucketsize;
    Ref b;
    hread(h, HMAP_OLDBUCKETS, 8);
    if (growing(h) && it->B == h->B) {
        /* started mid-growth and the growth is not done */
        uint64_t oldbucket = *bucket & (noldbuckets(h) - 1);
        b = map_ref(h, h->oldbuckets + oldbucket * bs);
        touch_read(h->m, b.addr, 1);
        if (!evacuated_top(b.p[0])) {
            *check = *bucket;
        } else {
            b = map_ref(h, it->buckets + *bucket * bs);
            *check = NO_CHECK;
        }
    } else {
        b = map_ref(h, it->buckets + *bucket * bs);
        *check = NO_CHECK;
    }
    if (++*bucket == bucket_shift(it->B)) {
        *bucket = 0;
        it->wrapped = true;
    }
    return b;
}

/* Copy out the entry at slot i of b, or the current one for its key if the
 * table grew since (mapaccessK); false if the key has been deleted. */
static bool emit_entry(MapIter *it, Ref b, unsigned i, uint8_t top)
{
    Map *h = it->h;
    const MapType *t = h->t;
    Ref k = slot_key(h, b, i);
    touch_read(h->m, k.addr, t->key.size);
    if (top != TOPHASH_EVACUATED_X && top != TOPHASH_EVACUATED_Y) {
        Ref e = slot_elem(h, b, i); /* the golden data */
        touch_read(h->m, e.addr, t->elem.size);
        memcpy(it->key, k.p, t->key.size);
        memcpy(it->elem, e.p, t->elem.size);
        return true;
    }
    memcpy(it->key, k.p, t->key.size);
    return map_access(h->m, h, it->key, it->elem);
}

bool map_iter_next(MapIter *it)
{
    if (it->done)
        return false;
    Map *h = it->h;
    hread(h, HMAP_FLAGS, 1);
    uint64_t bucket = it->bucket, check = it->check_bucket;
    Ref b = map_ref(h, it->bptr);
    unsigned i = it->i;
    for (;;) {
        if (!b.addr) {
            if (bucket == it->start_bucket && it->wrapped) {
                it->done = true;
                return false;
            }
            b = next_bucket(it, &bucket, &check);
            i = 0;
        }
        for (; i < BUCKET_CNT; i++) {
            unsigned offi = (i + it->offset) & (BUCKET_CNT - 1);
            touch_read(h->m, b.addr + offi, 1);
            uint8_t top = b.p[offi];
            if (is_empty(top) || top == TOPHASH_EVACUATED_EMPTY)
                continue;
            if (check != NO_CHECK && !same_size_grow(h)) {
                /* an old bucket mid-growth: only keys bound for this one */
                Ref k = slot_key(h, b, offi);
                if ((map_hash(h, k.p) & bucket_mask(it->B)) != check)
                    continue;
            }
            if (!emit_entry(it, b, offi, top))
                continue; /* deleted since */
            it->bucket = bucket;
            it->bptr = b.addr;
            it->i = (uint8_t)(i + 1);
            it->check_bucket = check;
            return true;
        }
        b = map_ref(h, bmap_overflow(h, b));
        i = 0;
    }
}

void map_iter_free(MapIter *it)
{
    free(it->key);
    free(it->elem);
    it->key = it->elem = NULL;
    it->done = true;
}
