/*
 * map_grow.c — growth: hashGrow allocates the new array, then every assign
 * and delete evacuates at most two old buckets (growWork), splitting each
 * old chain into X (same index) and Y (index + old count) by one hash bit,
 * until nevacuate reaches the old bucket count.  Models map.go:1041-1290.
 *
 * Invariants: old buckets below nevacuate are evacuated (tophash of every
 * slot in 2..4); an old bucket that is not evacuated has empty X and Y
 * destinations; growth ends (oldbuckets = 0) exactly when nevacuate
 * reaches noldbuckets, and only then do the old array and the old
 * generation's overflow buckets become garbage.
 */
#include <assert.h>
#include <stdlib.h>

#include "map_internal.h"

void map_hash_grow(Map *h)
{
    uint8_t bigger = 1;
    if (!over_load_factor(h->count + 1, h->B)) {
        bigger = 0; /* too many overflow buckets: grow "laterally" */
        h->flags |= HFLAG_SAME_SIZE_GROW;
    }
    uint64_t oldbuckets = h->buckets, next, n;
    MapBlock nb = map_bucket_array(h, h->B + bigger, &n, &next);
    uint8_t flags = h->flags & ~(HFLAG_ITERATOR | HFLAG_OLD_ITERATOR);
    if (h->flags & HFLAG_ITERATOR)
        flags |= HFLAG_OLD_ITERATOR;
    /* commit the grow */
    uint8_t oldB = h->B;
    h->B += bigger;
    h->flags = flags;
    h->oldbuckets = oldbuckets;
    h->buckets = nb.addr;
    h->nevacuate = 0;
    h->noverflow = 0;
    hwrite(h, HMAP_FLAGS, 1);
    hwrite(h, HMAP_B, 1);
    hwrite(h, HMAP_OLDBUCKETS, 8);
    hwrite(h, HMAP_BUCKETS, 8);
    hwrite(h, HMAP_NEVACUATE, 8);
    hwrite(h, HMAP_NOVERFLOW, 2);
    assert(h->old.bytes == NULL && h->gen_ovf[1].n == 0);
    h->old = h->cur;
    h->old_n = h->cur_n;
    h->cur = nb;
    h->cur_n = n;
    h->gen_ovf[1] = h->gen_ovf[0];
    h->gen_ovf[0] = (MapAddrs){NULL, 0, 0};
    hread(h, HMAP_EXTRA, 8);
    if (h->extra && h->ovf_hdr) { /* current overflow -> old generation */
        assert(h->oldovf_hdr == 0 && "oldoverflow is not nil");
        h->oldovf_hdr = h->ovf_hdr;
        h->oldovf = h->ovf;
        h->ovf_hdr = 0;
        touch_write(h->m, h->extra + MAPEXTRA_OLDOVERFLOW, 8);
        touch_write(h->m, h->extra + MAPEXTRA_OVERFLOW, 8);
    }
    if (next) {
        if (h->extra == 0) {
            h->extra = machine_alloc(h->m, MAPEXTRA_SIZE, false, OBJ_MAPEXTRA,
                                     "runtime.mapextra");
            hwrite(h, HMAP_EXTRA, 8);
        }
        h->next_overflow = next;
        touch_write(h->m, h->extra + MAPEXTRA_NEXTOVERFLOW, 8);
    }
    TRACE(h->m->tr, MAP_GROW_START, h->addr, oldB, h->B, bigger == 0,
          h->oldbuckets, h->buckets);
    TRACE(h->m->tr, MAP_BUCKETS, h->addr, h->buckets, h->B, n);
    (void)oldB;
}

/* An evacuation destination (evacDst, map.go:1137). */
typedef struct {
    Ref b;
    unsigned i;
    unsigned moved;
} EvacDst;

/* Copy one live slot of an old bucket to its destination. */
static void evac_move(Map *h, EvacDst *dst, Ref src, unsigned i, uint8_t top)
{
    const MapType *t = h->t;
    if (dst->i == BUCKET_CNT) {
        dst->b = map_newoverflow(h, dst->b);
        dst->i = 0;
    }
    Ref d = dst->b;
    unsigned j = dst->i;
    d.p[j] = top;
    touch_write(h->m, d.addr + j, 1);
    uint64_t sk = slot_key_off(t, i), dk = slot_key_off(t, j);
    uint64_t se = slot_elem_off(t, i), de = slot_elem_off(t, j);
    /* an indirect key/elem moves as its pointer: keysize/elemsize is 8 */
    touch_read(h->m, src.addr + sk, t->keysize);
    memcpy(d.p + dk, src.p + sk, t->keysize);
    touch_write(h->m, d.addr + dk, t->keysize);
    touch_read(h->m, src.addr + se, t->elemsize);
    memcpy(d.p + de, src.p + se, t->elemsize);
    touch_write(h->m, d.addr + de, t->elemsize);
    map_trace_slot(h, d, j);
    dst->i++;
    dst->moved++;
}

/* Which half a live slot goes to: the hash bit that B gained. */
static unsigned evac_side(Map *h, Ref b, unsigned i, uint64_t newbit)
{
    if (same_size_grow(h))
        return 0;
    Ref k = {b.addr + slot_key_off(h->t, i), b.p + slot_key_off(h->t, i)};
    if (h->t->indirect_key) {
        touch_read(h->m, k.addr, 8);
        k = map_ref(h, load64(k.p));
    }
    touch_read(h->m, k.addr, h->t->key.size);
    return (map_hash(h, k.p) & newbit) != 0;
}

/* Move every entry of an old chain to X or Y (map.go:1144-1246). */
static void evacuate_chain(Map *h, Ref b, EvacDst xy[2], uint64_t newbit)
{
    for (; b.addr; b = map_ref(h, bmap_overflow(h, b))) {
        for (unsigned i = 0; i < BUCKET_CNT; i++) {
            touch_read(h->m, b.addr + i, 1);
            uint8_t top = b.p[i];
            if (is_empty(top)) {
                b.p[i] = TOPHASH_EVACUATED_EMPTY;
                touch_write(h->m, b.addr + i, 1);
                continue;
            }
            assert(top >= TOPHASH_MIN && "bad map state");
            unsigned useY = evac_side(h, b, i, newbit);
            b.p[i] = (uint8_t)(TOPHASH_EVACUATED_X + useY);
            touch_write(h->m, b.addr + i, 1);
            TRACE(h->m->tr, MAP_SLOT_CLEAR, h->addr, b.addr, i, b.p[i]);
            evac_move(h, &xy[useY], b, i, top);
        }
    }
}

/* Growth is over: the old array and the old generation's overflow
 * buckets are unreachable now (map.go:1276-1286). */
static void end_growth(Map *h)
{
    Heap *heap = &h->m->heap;
    if (h->oldbuckets != h->stack_bucket)
        heap_garbage(heap, h->oldbuckets);
    /* An iterator started before the growth may still read them. */
    bool keep = (h->flags & HFLAG_OLD_ITERATOR) != 0;
    for (uint32_t i = 0; i < h->gen_ovf[1].n; i++) {
        uint64_t a = h->gen_ovf[1].a[i];
        heap_garbage(heap, a);
        MapBlock ob = {a, h->t->bucketsize, mapmem_take(&h->objs, a)};
        if (keep)
            map_retire(h, ob);
        else
            free(ob.bytes);
    }
    free(h->gen_ovf[1].a);
    h->gen_ovf[1] = (MapAddrs){NULL, 0, 0};
    if (keep)
        map_retire(h, h->old);
    else
        free(h->old.bytes);
    h->old = (MapBlock){0, 0, NULL};
    h->old_n = 0;
    h->oldbuckets = 0;
    hwrite(h, HMAP_OLDBUCKETS, 8);
    hread(h, HMAP_EXTRA, 8);
    if (h->extra) {
        if (h->oldovf_hdr) {
            slice_drop(h->m, h->oldovf);
            heap_garbage(heap, h->oldovf_hdr);
            h->oldovf_hdr = 0;
        }
        touch_write(h->m, h->extra + MAPEXTRA_OLDOVERFLOW, 8);
    }
    h->flags &= ~HFLAG_SAME_SIZE_GROW;
    hwrite(h, HMAP_FLAGS, 1);
    TRACE(h->m->tr, MAP_GROW_END, h->addr);
}

/* Models advanceEvacuationMark (map.go:1265): step nevacuate past old
 * buckets already evacuated out of order (at most 1024 at a time). */
static void advance_evacuation_mark(Map *h, uint64_t newbit)
{
    h->nevacuate++;
    uint64_t stop = h->nevacuate + 1024;
    if (stop > newbit)
        stop = newbit;
    while (h->nevacuate != stop) {
        Ref b = map_ref(h, h->oldbuckets + h->nevacuate * h->t->bucketsize);
        touch_read(h->m, b.addr, 1);
        if (!evacuated_top(b.p[0]))
            break;
        h->nevacuate++;
    }
    hwrite(h, HMAP_NEVACUATE, 8);
    if (h->nevacuate == newbit) /* newbit == # of old buckets */
        end_growth(h);
}

/* Models evacuate (map.go:1144). */
static void evacuate(Map *h, uint64_t oldbucket)
{
    const MapType *t = h->t;
    Ref b = map_ref(h, h->oldbuckets + oldbucket * t->bucketsize);
    uint64_t newbit = noldbuckets(h);
    touch_read(h->m, b.addr, 1);
    if (!evacuated_top(b.p[0])) {
        EvacDst xy[2] = {{map_ref(h, h->buckets + oldbucket * t->bucketsize), 0, 0},
                         {{0, NULL}, 0, 0}};
        if (!same_size_grow(h)) /* only then does Y exist */
            xy[1].b = map_ref(h, h->buckets + (oldbucket + newbit) * t->bucketsize);
        evacuate_chain(h, b, xy, newbit);
        /* Unlink overflow buckets and clear keys/elems to help GC; the
         * tophash keeps the evacuation state. */
        if (!(h->flags & HFLAG_OLD_ITERATOR) && !t->bucket_noscan) {
            memset(b.p + MAP_DATA_OFFSET, 0, t->bucketsize - MAP_DATA_OFFSET);
            touch_write(h->m, b.addr + MAP_DATA_OFFSET, t->bucketsize - MAP_DATA_OFFSET);
        }
        TRACE(h->m->tr, MAP_EVACUATE, h->addr, oldbucket, xy[0].moved, xy[1].moved);
    }
    hread(h, HMAP_NEVACUATE, 8);
    if (oldbucket == h->nevacuate)
        advance_evacuation_mark(h, newbit);
}

void map_grow_work(Map *h, uint64_t bucket)
{
    /* the old bucket the caller is about to use ... */
    evacuate(h, bucket & (noldbuckets(h) - 1));
    /* ... and one more, to make progress */
    hread(h, HMAP_OLDBUCKETS, 8);
    if (growing(h)) {
        hread(h, HMAP_NEVACUATE, 8);
        evacuate(h, h->nevacuate);
    }
}

bool map_growing(const Map *h)
{
    return h && growing(h);
}

bool map_same_size_grow(const Map *h)
{
    return h && same_size_grow(h);
}
