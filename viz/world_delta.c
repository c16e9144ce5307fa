/*
 * world_delta.c — keyframes of randomly written arrays as element deltas.
 *
 * A map of 50 k buckets taking inserts everywhere changes a few hundred
 * buckets between two keyframes, but nearly every 256-bucket page, so with
 * pages alone every keyframe copies the whole array and the budget thins
 * the keyframes until seeks replay half a million events.  So writes to
 * such arrays are also logged by element (wpages_dirty), and a keyframe may
 * hold, for each element changed since the previous snapshot, just the
 * 4-byte words that changed.  The keyframes after a full one form a chain:
 * each shares the full one's pages and the deltas before its own, and
 * restoring it copies the pages and applies the deltas in order.
 *
 * The shadow (a copy of the array at the last snapshot, to find the words
 * that changed) costs a whole array, so an array has one only while its
 * writes are sparse: fewer elements than an eighth of the pages they dirty
 * (an array that grows at its end, like the frames, never does).
 *
 * Invariants, for an array with a log, once a snapshot was taken (base):
 *  - the chain's pages and deltas give the array at snapshot `last`;
 *  - shadow_ok: shadow[0, shadow_n) is that array too;
 *  - at_last: the array in hand is that array plus the writes the log
 *    names (each element once); when false the log is empty and unused.
 * A restore of snapshot `last` itself sets at_last again (the lazy index
 * resumes at its frontier that way); any other restore clears it, and the
 * next snapshot is a full one.
 */
#include "world_snap_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD 4u
#define MAX_WORDS 64u /* one mask bit per word: elements up to 256 bytes */

struct WChain {
    bool at_last, shadow_ok;
    uint64_t last;              /* serial of the snapshot the chain ends at */
    WPage **base;               /* the full snapshot's pages (references) */
    uint32_t base_n;
    WDelta **deltas;            /* references */
    uint32_t ndeltas, cap;
    size_t bytes;               /* the deltas' bytes */
    unsigned char *shadow;
    uint32_t shadow_n, shadow_cap;
};

bool wdelta_enabled(size_t elem)
{
    return elem >= 16 && elem % WORD == 0 && elem / WORD <= MAX_WORDS;
}

WLog *wlog_new(void)
{
    WLog *l = calloc(1, sizeof *l);
    if (!l || !(l->chain = calloc(1, sizeof *l->chain)))
        abort();
    return l;
}

static void set_at_last(WLog *l, bool at_last)
{
    l->chain->at_last = l->on = at_last;
}

void wlog_add_slow(WLog *l, uint32_t i)
{
    if (i >= l->nbits) {
        uint32_t nb = l->nbits ? l->nbits : 1024;
        while (nb <= i)
            nb = nb > UINT32_MAX / 2 ? UINT32_MAX : nb * 2;
        uint64_t *b = realloc(l->bits, (size_t)(nb / 64 + 1) * sizeof *b);
        if (!b)
            abort();
        memset(b + l->nbits / 64, 0, (size_t)(nb / 64 + 1 - l->nbits / 64) * sizeof *b);
        l->bits = b, l->nbits = nb;
    }
    if (l->bits[i >> 6] >> (i & 63) & 1)
        return;
    l->bits[i >> 6] |= 1ull << (i & 63);
    wvec_grow((void **)&l->idx, &l->cap, l->n + 1, sizeof *l->idx);
    l->idx[l->n++] = i;
}

static void log_clear(WLog *l)
{
    for (uint32_t k = 0; k < l->n; k++)
        l->bits[l->idx[k] >> 6] &= ~(1ull << (l->idx[k] & 63));
    l->n = 0;
}

void wdelta_unref(WDelta *d)
{
    if (--d->refs)
        return;
    *d->acct -= d->bytes;
    free(d);
}

static void chain_drop(WChain *c)
{
    for (uint32_t p = 0; p < npages(c->base_n) && c->base; p++)
        wpage_unref(c->base[p]);
    free(c->base);
    c->base = NULL;
    for (uint32_t k = 0; k < c->ndeltas; k++)
        wdelta_unref(c->deltas[k]);
    c->ndeltas = 0;
    c->bytes = 0;
}

void wlog_forget(WLog *l)
{
    log_clear(l);
    chain_drop(l->chain);
    set_at_last(l, false);
    l->chain->shadow_ok = false;
}

void wlog_free(WPages *pg)
{
    WLog *l = pg->log;
    if (!l)
        return;
    wlog_forget(l);
    free(l->chain->deltas);
    free(l->chain->shadow);
    free(l->chain);
    free(l->bits);
    free(l->idx);
    free(l);
    pg->log = NULL;
}

/* Words of element i that differ from the shadow (zeros past it). */
static uint64_t diff_mask(const VecRef *r, const WChain *c, uint32_t i)
{
    static const unsigned char zero[MAX_WORDS * WORD];
    const unsigned char *a = elem_at(r, i);
    const unsigned char *b = i < c->shadow_n ? c->shadow + (size_t)i * r->elem : zero;
    uint64_t m = 0;
    for (unsigned k = 0; k < r->elem / WORD; k++) {
        uint32_t x, y;
        memcpy(&x, a + k * WORD, WORD);
        memcpy(&y, b + k * WORD, WORD);
        m |= (uint64_t)(x != y) << k;
    }
    return m;
}

/* The shadow becomes the array in hand: only the logged elements changed,
 * unless it is to be taken whole. */
static void shadow_update(World *w, const VecRef *r, WLog *l, bool whole)
{
    WChain *c = l->chain;
    uint32_t n = *r->n;
    if (n > c->shadow_cap) {
        uint32_t cap = c->shadow_cap ? c->shadow_cap : 64;
        while (cap < n)
            cap = cap > UINT32_MAX / 2 ? UINT32_MAX : cap * 2;
        unsigned char *s = realloc(c->shadow, (size_t)cap * r->elem);
        if (!s)
            abort();
        w->page_bytes += (size_t)(cap - c->shadow_cap) * r->elem;
        c->shadow = s, c->shadow_cap = cap;
    }
    if (whole) {
        if (n)
            memcpy(c->shadow, *r->v, (size_t)n * r->elem);
    } else {
        for (uint32_t k = 0; k < l->n; k++)
            if (l->idx[k] < n)
                memcpy(c->shadow + (size_t)l->idx[k] * r->elem, elem_at(r, l->idx[k]), r->elem);
    }
    c->shadow_n = n;
    log_clear(l);
}

WDelta *wdelta_new(World *w, uint32_t n, uint32_t n_after, uint32_t words)
{
    size_t bytes = sizeof(WDelta) + (size_t)n * (sizeof(uint32_t) + sizeof(uint64_t)) +
                   (size_t)words * WORD;
    WDelta *d = wsnap_xmalloc(bytes);
    d->refs = 1, d->n = n, d->n_after = n_after, d->bytes = (uint32_t)bytes;
    d->acct = &w->page_bytes;
    w->page_bytes += bytes;
    d->mask = (uint64_t *)(void *)(d + 1);
    d->idx = (uint32_t *)(void *)(d->mask + n);
    d->words = d->idx + n;
    return d;
}

/* The delta from the shadow to the array in hand, elements in ascending
 * order (the log's bitmap gives it), or NULL as soon as it would cost more
 * than `limit` bytes. */
static WDelta *delta_make(World *w, const VecRef *r, WLog *l, size_t limit)
{
    uint32_t n = *r->n, nel = 0;
    uint32_t *idx = wsnap_xmalloc(l->n * sizeof *idx);
    uint64_t *mask = wsnap_xmalloc(l->n * sizeof *mask);
    size_t bytes = sizeof(WDelta);
    for (uint32_t q = 0; q < l->nbits / 64 && q * 64 < n; q++)
        for (uint64_t bits = l->bits[q]; bits; bits &= bits - 1) {
            uint32_t i = q * 64 + (uint32_t)__builtin_ctzll(bits);
            uint64_t m = i < n ? diff_mask(r, l->chain, i) : 0;
            if (!m)
                continue;
            idx[nel] = i, mask[nel++] = m;
            bytes += sizeof(uint32_t) + sizeof(uint64_t) + __builtin_popcountll(m) * WORD;
            if (bytes > limit)
                goto too_big;
        }
    WDelta *d = wdelta_new(w, nel, n, (uint32_t)((bytes - sizeof(WDelta) - nel * 12u) / WORD));
    memcpy(d->mask, mask, nel * sizeof *mask);
    memcpy(d->idx, idx, nel * sizeof *idx);
    for (uint32_t e = 0, o = 0; e < nel; e++) {
        const unsigned char *src = elem_at(r, idx[e]);
        for (uint64_t b = mask[e]; b; b &= b - 1)
            memcpy(&d->words[o++], src + __builtin_ctzll(b) * WORD, WORD);
    }
    free(idx), free(mask);
    return d;
too_big:
    free(idx), free(mask);
    return NULL;
}

static void sv_share_chain(const WChain *c, uint32_t n, SnapVec *sv)
{
    uint32_t np = npages(c->base_n);
    sv->n = n;
    sv->base_n = c->base_n;
    sv->pages = wsnap_xmalloc(np * sizeof *sv->pages);
    for (uint32_t p = 0; p < np; p++)
        (sv->pages[p] = c->base[p])->refs++;
    sv->ndeltas = c->ndeltas;
    sv->deltas = wsnap_xmalloc(c->ndeltas * sizeof *sv->deltas);
    for (uint32_t k = 0; k < c->ndeltas; k++)
        (sv->deltas[k] = c->deltas[k])->refs++;
}

bool wdelta_snap(World *w, const VecRef *r, SnapVec *sv)
{
    WLog *l = r->pg->log;
    WChain *c = l->chain;
    if (!c->base || !c->at_last || !c->shadow_ok)
        return false;
    uint32_t n = *r->n, np = npages(n), dirty = 0;
    for (uint32_t p = 0; p < np; p++)
        dirty += p >= r->pg->nbase || !r->pg->base[p];
    /* Worth it if a quarter of the pages a full snapshot would cut, and
     * while the chain (what a restore applies) stays under half the array. */
    size_t full = (size_t)dirty * WPAGE * r->elem, whole = (size_t)n * r->elem;
    size_t chain_room = whole / 2 > c->bytes ? whole / 2 - c->bytes : 0;
    size_t limit = full / 4 < chain_room ? full / 4 : chain_room;
    if ((size_t)l->n * (sizeof(uint32_t) + sizeof(uint64_t) + WORD) > limit)
        return false; /* even one word per element written would not fit */
    WDelta *d = delta_make(w, r, l, limit);
    if (!d)
        return false;
    wvec_grow((void **)&c->deltas, &c->cap, c->ndeltas + 1, sizeof *c->deltas);
    c->deltas[c->ndeltas++] = d;
    c->bytes += d->bytes;
    sv_share_chain(c, n, sv);
    shadow_update(w, r, l, false);
    c->last = w->snap_serial;
    return true;
}

static void shadow_release(World *w, const VecRef *r, WChain *c)
{
    w->page_bytes -= (size_t)c->shadow_cap * r->elem;
    free(c->shadow);
    c->shadow = NULL;
    c->shadow_n = c->shadow_cap = 0;
}

void wdelta_full_taken(World *w, const VecRef *r, const SnapVec *sv, uint32_t dirty)
{
    WLog *l = r->pg->log;
    WChain *c = l->chain;
    bool sparse = c->at_last && (uint64_t)l->n * 8 < (uint64_t)dirty * WPAGE &&
                  (size_t)sv->n * r->elem >= (64u << 10);
    bool incremental = c->at_last && c->shadow_ok;
    chain_drop(c);
    uint32_t np = npages(sv->n);
    c->base = wsnap_xmalloc(np * sizeof *c->base);
    for (uint32_t p = 0; p < np; p++)
        (c->base[p] = sv->pages[p])->refs++;
    c->base_n = sv->n;
    if (sparse) {
        shadow_update(w, r, l, !incremental);
    } else {
        shadow_release(w, r, c);
        log_clear(l);
    }
    c->shadow_ok = sparse;
    set_at_last(l, true);
    c->last = w->snap_serial;
}

void wdelta_restored(WLog *l, uint64_t serial)
{
    log_clear(l);
    set_at_last(l, l->chain->base && l->chain->last == serial);
}

/* The array is at the delta's predecessor: make it what the delta left.
 * An element whose key changed leaves the index under its old key only if
 * that still names it (another may have taken the key over already), so
 * the order of the elements does not matter; an element whose key's words
 * did not change (a slot written in a bucket) costs no index work at all. */
static void delta_apply(const VecRef *r, const WDelta *d)
{
    uint32_t cur = *r->n;
    if (r->ix && d->n_after < cur)
        wsnap_unindex(r, d->n_after, cur);
    wvec_grow(r->v, r->cap, d->n_after, r->elem);
    if (d->n_after > cur) /* new elements were zero before their writes */
        memset(elem_at(r, cur), 0, (size_t)(d->n_after - cur) * r->elem);
    wpages_dirty_range(r->pg, min32(cur, d->n_after), cur > d->n_after ? cur : d->n_after);
    uint32_t o = 0;
    for (uint32_t k = 0; k < d->n; k++) {
        uint32_t i = d->idx[k], *dst = elem_at(r, i);
        bool keyed = r->ix && i < cur && (d->mask[k] & r->key_words);
        uint64_t old = keyed ? r->key(dst) : 0;
        for (uint64_t b = d->mask[k]; b; b &= b - 1)
            memcpy(&dst[__builtin_ctzll(b)], &d->words[o++], WORD);
        wpages_dirty(r->pg, i);
        uint64_t now = keyed ? r->key(dst) : 0;
        if (keyed && now != old) {
            if (windex_get(r->ix, old) == i + 1)
                windex_del(r->ix, old);
            windex_put(r->ix, now, i);
        }
    }
    *r->n = d->n_after;
    if (r->ix && cur < d->n_after) /* as a push indexes them */
        wsnap_reindex(r, cur, d->n_after);
}

void wdelta_apply(const VecRef *r, const SnapVec *sv)
{
    for (uint32_t k = 0; k < sv->ndeltas; k++)
        delta_apply(r, sv->deltas[k]);
}

size_t wdelta_table_bytes(const SnapVec *sv)
{
    return sv->ndeltas * sizeof *sv->deltas;
}
