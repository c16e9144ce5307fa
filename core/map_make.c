/*
 * map_make.c — where a map's memory comes from: make(map) on the heap or in
 * the frame, makemap and makemap_small, makeBucketArray with its
 * preallocated overflow buckets, newoverflow and the mapextra bookkeeping,
 * and dropping a map.
 *
 * Invariants: every heap object the map owns is live in the heap until the
 * map drops it; bucket arrays are the Map's cur/old blocks; separately
 * allocated overflow buckets and indirect keys/elems are in objs, and each
 * overflow bucket is listed in the generation (gen_ovf) of the array whose
 * chains it extends.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "map_internal.h"
#include "sizeclass.h"

static const GoType GOTYPE_BMAP_PTR = {8, 8, true, "*runtime.bmap"};

MapBlock map_bucket_array(Map *h, uint8_t b, uint64_t *nbuckets,
                          uint64_t *next_overflow)
{
    const MapType *t = h->t;
    uint64_t base = bucket_shift(b), n = base;
    if (b >= 4) {
        /* room for the overflow buckets the median fill needs, then the
         * rest of the size class */
        n += bucket_shift(b - 4);
        uint64_t sz = t->bucketsize * n, up = sizeclass_roundup(sz);
        if (up != sz)
            n = up / t->bucketsize;
    }
    MapBlock blk = {0, t->bucketsize * n, NULL};
    blk.addr = machine_alloc(h->m, blk.size, t->bucket_noscan, OBJ_BUCKETS,
                             t->bucket_name);
    blk.bytes = calloc(1, blk.size);
    if (!blk.bytes)
        abort();
    *next_overflow = 0;
    if (base != n) {
        /* A preallocated bucket whose overflow pointer is nil means "more
         * follow"; the last one points back at the array as a sentinel. */
        *next_overflow = blk.addr + base * t->bucketsize;
        Ref last = {blk.addr + (n - 1) * t->bucketsize,
                    blk.bytes + (n - 1) * t->bucketsize};
        bmap_setoverflow(h, last, blk.addr);
    }
    *nbuckets = n;
    return blk;
}

void map_create_overflow(Map *h)
{
    if (h->extra == 0) {
        h->extra = machine_alloc(h->m, MAPEXTRA_SIZE, false, OBJ_MAPEXTRA,
                                 "runtime.mapextra");
        hwrite(h, HMAP_EXTRA, 8);
    }
    if (h->ovf_hdr == 0) {
        h->ovf_hdr = machine_alloc(h->m, SLICE_HEADER_SIZE, false, OBJ_OTHER,
                                   "[]*runtime.bmap");
        h->ovf = slice_nil(&GOTYPE_BMAP_PTR, h->ovf_hdr);
        touch_write(h->m, h->extra + MAPEXTRA_OVERFLOW, 8);
    }
}

/* Models hmap.incrnoverflow (map.go:224): exact below B = 16, then a
 * 1-in-2^(B-15) chance, so a uint16 can count up to 2^B. */
static void incrnoverflow(Map *h)
{
    if (h->B < 16)
        h->noverflow++;
    else if ((machine_rand(h->m) & ((1u << (h->B - 15)) - 1)) == 0)
        h->noverflow++;
    hwrite(h, HMAP_NOVERFLOW, 2);
}

Ref map_newoverflow(Map *h, Ref b)
{
    const MapType *t = h->t;
    Ref ovf;
    hread(h, HMAP_EXTRA, 8);
    if (h->extra) touch_read(h->m, h->extra + MAPEXTRA_NEXTOVERFLOW, 8);
    if (h->extra && h->next_overflow) {
        ovf = map_ref(h, h->next_overflow);
        if (bmap_overflow(h, ovf) == 0) {
            h->next_overflow += t->bucketsize; /* bump */
        } else {
            bmap_setoverflow(h, ovf, 0); /* the last one: drop the sentinel */
            h->next_overflow = 0;
        }
        touch_write(h->m, h->extra + MAPEXTRA_NEXTOVERFLOW, 8);
    } else {
        ovf.addr = machine_alloc(h->m, t->bucketsize, t->bucket_noscan,
                                 OBJ_OVERFLOW, t->bucket_name);
        ovf.p = mapmem_new(&h->objs, ovf.addr, t->bucketsize);
        mapaddrs_push(&h->gen_ovf[0], ovf.addr);
    }
    incrnoverflow(h);
    if (t->bucket_noscan) { /* keep ovf alive: the bucket cannot */
        map_create_overflow(h);
        h->ovf = slice_append(h->m, h->ovf, 1);
    }
    bmap_setoverflow(h, b, ovf.addr);
    TRACE(h->m->tr, MAP_OVERFLOW, h->addr, b.addr, ovf.addr);
    return ovf;
}

Ref map_newobject(Map *h, const GoType *type, ObjKind kind)
{
    Ref r;
    r.addr = machine_alloc(h->m, type->size, !type->ptrs, kind, type->name);
    r.p = mapmem_new(&h->objs, r.addr, type->size);
    return r;
}

static Map *map_new(Machine *m, const MapType *t)
{
    Map *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    h->m = m;
    h->t = t;
    return h;
}

/* Models makemap_small (map.go:294). */
static void makemap_small(Map *h)
{
    h->addr = machine_alloc(h->m, HMAP_SIZE, false, OBJ_HMAP, "runtime.hmap");
    h->hash0 = machine_rand(h->m);
    hwrite(h, HMAP_HASH0, 4);
}

/* Models makemap (map.go:304); h->addr is set if the hmap already exists
 * (in the frame). */
static void makemap(Map *h, int64_t hint)
{
    const MapType *t = h->t;
    if (hint < 0 || (uint64_t)hint > SLICE_MAX_ALLOC / t->bucketsize)
        hint = 0;
    if (h->addr == 0)
        h->addr = machine_alloc(h->m, HMAP_SIZE, false, OBJ_HMAP, "runtime.hmap");
    h->hash0 = machine_rand(h->m);
    hwrite(h, HMAP_HASH0, 4);
    uint8_t B = 0;
    while (over_load_factor((uint64_t)hint, B))
        B++;
    h->B = B;
    hwrite(h, HMAP_B, 1);
    if (h->B == 0) /* the bucket array comes lazily, in mapassign */
        return;
    uint64_t next;
    h->cur = map_bucket_array(h, h->B, &h->cur_n, &next);
    h->buckets = h->cur.addr;
    hwrite(h, HMAP_BUCKETS, 8); /* MAP_BUCKETS follows MAP_NEW (map_make) */
    if (next) {
        h->extra = machine_alloc(h->m, MAPEXTRA_SIZE, false, OBJ_MAPEXTRA,
                                 "runtime.mapextra");
        hwrite(h, HMAP_EXTRA, 8);
        h->next_overflow = next;
        touch_write(h->m, h->extra + MAPEXTRA_NEXTOVERFLOW, 8);
    }
}

/* The hmap and (if the hint allows) one bucket as temporaries of the
 * current frame (walk/builtin.go:271-300). */
static void make_local(Map *h, int64_t hint, MakeSite site)
{
    Stack *s = machine_stack(h->m);
    const char *var = site.var ? site.var : "map";
    h->addr = stack_local(s, var, "runtime.hmap", HMAP_SIZE, 8);
    h->on_stack = true;
    touch_write(h->m, h->addr, HMAP_SIZE); /* the compiler zeroes hv */
    bool may_use_bucket = !site.constant || hint <= BUCKET_CNT;
    if (may_use_bucket && hint <= BUCKET_CNT) {
        char name[80];
        if (h->m->tr)
            snprintf(name, sizeof name, "%s.bucket", var);
        uint64_t bs = h->t->bucketsize;
        h->stack_bucket = stack_local(s, h->m->tr ? name : "", h->t->bucket_name, bs, 8);
        touch_write(h->m, h->stack_bucket, (uint32_t)bs);
        h->cur.addr = h->buckets = h->stack_bucket;
        h->cur.size = bs;
        h->cur.bytes = calloc(1, bs);
        h->cur_n = 1;
        if (!h->cur.bytes)
            abort();
        hwrite(h, HMAP_BUCKETS, 8); /* MAP_BUCKETS follows MAP_NEW */
    }
}

Map *map_make(Machine *m, const MapType *t, int64_t hint, MakeSite site)
{
    Map *h = map_new(m, t);
    bool small_const = site.constant && hint <= BUCKET_CNT;
    if (!site.escapes)
        make_local(h, hint, site);
    if (small_const && !site.escapes) {
        h->hash0 = machine_rand(m); /* all the compiler calls */
        hwrite(h, HMAP_HASH0, 4);
    } else if (small_const) {
        makemap_small(h);
    } else {
        makemap(h, hint);
    }
    TRACE(m->tr, MAP_NEW, h->addr, t->key.size, t->elem.size, t->bucketsize,
          h->B, TRACE_STR(m->tr, t->name));
    /* after MAP_NEW, so a replay knows the map the seed and the array
     * belong to (hash0 was set first, as in makemap) */
    TRACE(m->tr, MAP_SEED, h->addr, h->hash0);
    if (h->buckets)
        TRACE(m->tr, MAP_BUCKETS, h->addr, h->buckets, h->B, h->cur_n);
    return h;
}

void map_free(Map *h)
{
    if (!h)
        return;
    free(h->cur.bytes);
    free(h->old.bytes);
    mapmem_free(&h->objs);
    free(h->gen_ovf[0].a);
    free(h->gen_ovf[1].a);
    for (uint32_t i = 0; i < h->nretired; i++)
        free(h->retired[i].bytes);
    free(h->retired);
    free(h);
}

static void drop_array(Map *h, uint64_t addr)
{
    if (addr && addr != h->stack_bucket)
        heap_garbage(&h->m->heap, addr);
}

void map_drop(Map *h)
{
    if (!h)
        return;
    Heap *heap = &h->m->heap;
    for (uint32_t i = 0; i < h->objs.cap; i++)
        if (h->objs.slot[i].addr)
            heap_garbage(heap, h->objs.slot[i].addr);
    drop_array(h, h->buckets);
    drop_array(h, h->oldbuckets);
    if (h->ovf_hdr) {
        slice_drop(h->m, h->ovf);
        heap_garbage(heap, h->ovf_hdr);
    }
    if (h->oldovf_hdr) {
        slice_drop(h->m, h->oldovf);
        heap_garbage(heap, h->oldovf_hdr);
    }
    if (h->extra)
        heap_garbage(heap, h->extra);
    if (!h->on_stack)
        heap_garbage(heap, h->addr);
    map_free(h);
}
