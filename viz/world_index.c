/*
 * world_index.c — the World's two lookup structures (see world.h).
 *
 * WIndex: open addressing with linear probing from a 64-bit key to an array
 * position; deletion shifts later members of a run back, so a lookup never
 * stops early.  Invariant: every run from a key's home slot to the key holds
 * no empty slot, and the table is at most 3/4 full.
 *
 * WHistory: every object ever allocated, by key, as a chain of ordinals
 * from the newest back with skew-binary jump pointers (Myers, "An applicative
 * random-access stack", 1983).  Invariant: ordinals [0, n) are recorded in
 * order; along a chain ordinals and depths fall by at least one per link;
 * a link's jump lands on a link of its own chain, never newer.
 */
#include "world.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* ---- the index: linear probing, backward-shift deletion ---------------- */

static uint32_t slot_of(const WIndex *ix, uint64_t key)
{
    return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (ix->cap - 1);
}

static void index_resize(WIndex *ix, uint32_t cap)
{
    WIndex old = *ix;
    ix->cap = cap;
    ix->n = 0;
    ix->keys = calloc(cap, sizeof *ix->keys);
    ix->vals = calloc(cap, sizeof *ix->vals);
    if (!ix->keys || !ix->vals)
        abort();
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.vals[i])
            windex_put(ix, old.keys[i], old.vals[i] - 1);
    free(old.keys);
    free(old.vals);
}

void windex_put(WIndex *ix, uint64_t key, uint32_t pos)
{
    if ((ix->n + 1) * 4 > ix->cap * 3 || ix->cap == 0)
        index_resize(ix, ix->cap ? ix->cap * 2 : 64);
    uint32_t i = slot_of(ix, key);
    while (ix->vals[i] && ix->keys[i] != key)
        i = (i + 1) & (ix->cap - 1);
    ix->n += !ix->vals[i];
    ix->keys[i] = key;
    ix->vals[i] = pos + 1;
}

uint32_t windex_get(const WIndex *ix, uint64_t key)
{
    if (!ix->cap)
        return 0;
    uint32_t i = slot_of(ix, key);
    while (ix->vals[i]) {
        if (ix->keys[i] == key)
            return ix->vals[i];
        i = (i + 1) & (ix->cap - 1);
    }
    return 0;
}

void windex_del(WIndex *ix, uint64_t key)
{
    if (!ix->cap)
        return;
    uint32_t m = ix->cap - 1, i = slot_of(ix, key);
    while (ix->vals[i] && ix->keys[i] != key)
        i = (i + 1) & m;
    if (!ix->vals[i])
        return;
    ix->vals[i] = 0;
    ix->n--;
    /* Shift later members of the run back so lookups never stop early. */
    for (uint32_t j = (i + 1) & m; ix->vals[j]; j = (j + 1) & m) {
        uint32_t home = slot_of(ix, ix->keys[j]);
        if (((j - home) & m) >= ((j - i) & m)) {
            ix->keys[i] = ix->keys[j];
            ix->vals[i] = ix->vals[j];
            ix->vals[j] = 0;
            i = j;
        }
    }
}

/* Index element i of [0, n) (stride bytes apart) under key(element i), from
 * scratch.  Inserting in array order misses the cache on nearly every key
 * of a big table; a counting sort by home slot first keeps each run of
 * inserts inside a few lines of it (3-10x faster at 10^6 keys). */
void windex_build(WIndex *ix, const void *base, uint32_t n, size_t stride,
                  uint64_t (*key)(const void *))
{
    uint32_t cap = ix->cap ? ix->cap : 64, bits = 0;
    while ((uint64_t)(n + 1) * 4 > (uint64_t)cap * 3)
        cap *= 2;
    if (cap != ix->cap) {
        free(ix->keys);
        free(ix->vals);
        ix->keys = NULL, ix->vals = NULL, ix->cap = 0;
        index_resize(ix, cap);
    }
    windex_clear(ix);
    const char *b = base;
    if (n < 4096) {
        for (uint32_t i = 0; i < n; i++)
            windex_put(ix, key(b + i * stride), i);
        return;
    }
    while ((1u << bits) < cap)
        bits++;
    unsigned rb = bits < 11 ? bits : 11, shift = bits - rb;
    uint32_t *start = calloc((1u << rb) + 1, sizeof *start);
    uint64_t *k = malloc((size_t)n * sizeof *k), *sk = malloc((size_t)n * sizeof *sk);
    uint32_t *sp = malloc((size_t)n * sizeof *sp);
    if (!start || !k || !sk || !sp)
        abort();
    for (uint32_t i = 0; i < n; i++) {
        k[i] = key(b + i * stride);
        start[(slot_of(ix, k[i]) >> shift) + 1]++;
    }
    for (uint32_t r = 0; r < (1u << rb); r++)
        start[r + 1] += start[r];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t at = start[slot_of(ix, k[i]) >> shift]++;
        sk[at] = k[i], sp[at] = i;
    }
    for (uint32_t j = 0; j < n; j++)
        windex_put(ix, sk[j], sp[j]);
    free(start);
    free(k);
    free(sk);
    free(sp);
}

/* ---- the object history (world.h) ------------------------------------- */

/* Record that objs[ord] is under key.  Ordinals come in order; one already
 * recorded (replaying after a restore to an earlier keyframe) is left. */
void whist_add(WHistory *h, uint64_t key, uint32_t ord)
{
    if (ord < h->n)
        return;
    assert(ord == h->n);
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->link = realloc(h->link, (size_t)h->cap * sizeof *h->link);
        if (!h->link)
            abort();
    }
    uint32_t p = windex_get(&h->newest, key), self = ord + 1;
    WLink *l = &h->link[ord];
    l->prev = p;
    l->depth = p ? h->link[p - 1].depth + 1 : 0;
    l->jump = self; /* the oldest link jumps to itself */
    if (p) {
        uint32_t j = h->link[p - 1].jump, jj = h->link[j - 1].jump;
        bool skip = h->link[p - 1].depth - h->link[j - 1].depth ==
                    h->link[j - 1].depth - h->link[jj - 1].depth;
        l->jump = skip ? jj : p;
    }
    h->n++;
    windex_put(&h->newest, key, ord);
}

/* The newest ordinal under key that is below `below`, + 1; 0 if none.
 * Ordinals fall along the chain, so a jump that still lands at or above
 * `below` cannot pass the answer. */
uint32_t whist_find(const WHistory *h, uint64_t key, uint32_t below)
{
    uint32_t u = windex_get(&h->newest, key);
    while (u && u - 1 >= below) {
        uint32_t j = h->link[u - 1].jump;
        u = j != u && j - 1 >= below ? j : h->link[u - 1].prev;
    }
    return u;
}

void whist_free(WHistory *h)
{
    free(h->newest.keys);
    free(h->newest.vals);
    free(h->link);
    memset(h, 0, sizeof *h);
}

void windex_clear(WIndex *ix)
{
    if (ix->cap)
        memset(ix->vals, 0, ix->cap * sizeof *ix->vals);
    ix->n = 0;
}

