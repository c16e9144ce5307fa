/*
 * syncmap_check.c — sync.Map's invariants (listed at syncmap_check in
 * syncmap.h), checked on host state without touching simulated memory.
 *
 * Invariant: records nothing; reads map buckets through map_internal.h's
 * host view, walking the current array and any old buckets not yet
 * evacuated, so it sees every live key once.
 */
#include <stdio.h>
#include <stdlib.h>

#include "map_internal.h"
#include "syncmap_internal.h"

typedef struct {
    Eface key;
    uint64_t entry;
    uint64_t hash;
} KV;

typedef struct {
    KV *a;
    uint32_t n, cap;
} KVList;

static bool fail(const char *why)
{
    fprintf(stderr, "syncmap_check: %s\n", why);
    return false;
}

static void kv_push(KVList *l, KV kv)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        l->a = realloc(l->a, l->cap * sizeof *l->a);
        if (!l->a)
            abort();
    }
    l->a[l->n++] = kv;
}

/* Every live slot of the chain from bucket address b. */
static void collect_chain(const Map *h, uint64_t b, KVList *out)
{
    for (; b; b = bmap_overflow_peek(h, map_host(h, b))) {
        const uint8_t *p = map_host(h, b);
        for (unsigned i = 0; i < BUCKET_CNT; i++) {
            if (p[i] < TOPHASH_MIN)
                continue;
            KV kv;
            memcpy(&kv.key, p + slot_key_off(h->t, i), sizeof kv.key);
            kv.entry = load64(p + slot_elem_off(h->t, i));
            kv.hash = iface_hash(h->t->key_ctx, NULL, (const uint8_t *)&kv.key, 0);
            kv_push(out, kv);
        }
    }
}

static void collect(const Map *h, KVList *out)
{
    if (!h)
        return;
    for (uint64_t i = 0; h->buckets && i < bucket_shift(h->B); i++)
        collect_chain(h, h->buckets + i * h->t->bucketsize, out);
    for (uint64_t i = 0; h->oldbuckets && i < noldbuckets(h); i++)
        collect_chain(h, h->oldbuckets + i * h->t->bucketsize, out);
}

/* The entry of key in l, 0 if absent. */
static uint64_t find(const SyncMap *sm, const KVList *l, const KV *kv)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->a[i].hash == kv->hash &&
            iface_equal(sm->mem, NULL, (const uint8_t *)&l->a[i].key,
                        (const uint8_t *)&kv->key))
            return l->a[i].entry;
    return 0;
}

static bool check_values(const SyncMap *sm, const KVList *l)
{
    for (uint32_t i = 0; i < l->n; i++) {
        uint64_t p = boxmem_get(sm->mem, l->a[i].entry, 0);
        if (p && p != SYNCMAP_EXPUNGED && heap_object_state(&sm->m->heap, p) != SLOT_LIVE)
            return fail("an entry points to a value that is not live");
    }
    return true;
}

static bool check_pair(const SyncMap *sm, const KVList *read, const KVList *dirty)
{
    for (uint32_t i = 0; i < read->n; i++) {
        uint64_t p = boxmem_get(sm->mem, read->a[i].entry, 0);
        uint64_t in_dirty = find(sm, dirty, &read->a[i]);
        if (!sm->dirty && p == SYNCMAP_EXPUNGED)
            return fail("an expunged entry while dirty is nil");
        if (sm->dirty && (p == SYNCMAP_EXPUNGED) != (in_dirty == 0))
            return fail("a read entry is expunged iff it is missing from dirty: broken");
        if (in_dirty && in_dirty != read->a[i].entry)
            return fail("read and dirty hold different entries for one key");
    }
    if (!sm->read.amended)
        for (uint32_t i = 0; i < dirty->n; i++)
            if (!find(sm, read, &dirty->a[i]))
                return fail("not amended, but dirty has a key that read lacks");
    return true;
}

static bool check_shape(const SyncMap *sm)
{
    if (sm->read_typ && (boxmem_get(sm->mem, sm->read_box, 0) != (sm->read.m ? sm->read.m->addr : 0) ||
                         (boxmem_get(sm->mem, sm->read_box, 1) != 0) != sm->read.amended))
        return fail("the host readOnly differs from the box");
    if (!sm->dirty && (sm->read.amended || sm->misses != 0))
        return fail("dirty is nil but read is amended or misses != 0");
    if (sm->dirty && (uint64_t)sm->misses >= sm->dirty->count && !sm->active)
        return fail("misses >= len(dirty) without a promotion");
    if (sm->read.amended && !sm->dirty)
        return fail("amended without a dirty map");
    if ((sm->read.m && !map_check(sm->read.m)) || (sm->dirty && !map_check(sm->dirty)))
        return fail("a map is broken");
    return mutex_check(&sm->mu) || fail("the mutex is broken");
}

bool syncmap_check(const SyncMap *sm)
{
    if (!check_shape(sm))
        return false;
    KVList read = {0}, dirty = {0};
    collect(sm->read.m, &read);
    collect(sm->dirty, &dirty);
    bool ok = read.n == syncmap_read_len(sm) &&
              dirty.n == (sm->dirty ? sm->dirty->count : 0);
    if (!ok)
        fail("a map's count differs from its live slots");
    ok = ok && check_pair(sm, &read, &dirty) && check_values(sm, &read) &&
         check_values(sm, &dirty);
    free(read.a);
    free(dirty.a);
    return ok;
}
