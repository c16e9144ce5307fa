/*
 * map_check.c — map_check: every invariant of the hmap, checked from the
 * host bytes without touching simulated memory (the tests call it after
 * every operation; it must not change the trace).
 */
#include <stdarg.h>
#include <stdio.h>

#include "map_internal.h"

static bool fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("map_check: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return false;
}

/* What walking one chain found. */
typedef struct {
    uint64_t live, overflow, evacuated, empty_slots;
    bool bad;
} ChainInfo;

/* Walk the chain from addr.  In the current array (old == false) slots
 * are empty or live; an old chain is either wholly evacuated or not at
 * all.  emptyRest must have nothing live after it in the chain.  Each
 * live key must hash to bucket index idx under mask. */
static ChainInfo walk_chain(const Map *h, uint64_t addr, bool old,
                            uint64_t idx, uint64_t mask)
{
    ChainInfo ci = {0, 0, 0, 0, false};
    bool rest = false;
    unsigned steps = 0;
    for (uint64_t a = addr; a; a = bmap_overflow_peek(h, map_host(h, a))) {
        const uint8_t *b = map_host(h, a);
        if (!b || ++steps > 1u << 20) {
            ci.bad = !fail("bucket %#llx: unknown memory or a cycle", (unsigned long long)a);
            return ci;
        }
        ci.overflow += a != addr;
        for (unsigned i = 0; i < BUCKET_CNT; i++) {
            uint8_t top = b[i];
            if (top >= TOPHASH_MIN) {
                ci.live++;
                const uint8_t *k = b + slot_key_off(h->t, i);
                if (h->t->indirect_key)
                    k = map_host(h, load64(k));
                uint64_t hash = map_hash_peek(h, k);
                if (rest || tophash(hash) != top || (hash & mask) != idx)
                    ci.bad = !fail("bucket %#llx slot %u: live key misplaced (tophash %u)",
                                   (unsigned long long)a, i, top);
            } else if (top <= TOPHASH_EMPTY_ONE) {
                ci.empty_slots++;
                rest |= top == TOPHASH_EMPTY_REST;
            } else {
                ci.evacuated++;
                if (!old)
                    ci.bad = !fail("bucket %#llx slot %u: evacuation mark in the new array",
                                   (unsigned long long)a, i);
            }
        }
        if (old && h->t->bucket_noscan == false && ci.evacuated)
            break; /* evacuate cleared the overflow pointer */
    }
    if (old && ci.evacuated && ci.live + ci.empty_slots)
        ci.bad = !fail("old bucket %#llx: partly evacuated", (unsigned long long)addr);
    return ci;
}

static bool check_fields(const Map *h)
{
    if (h->flags & HFLAG_WRITING)
        return fail("hashWriting left set");
    if (!h->oldbuckets && (h->flags & HFLAG_SAME_SIZE_GROW))
        return fail("sameSizeGrow set while not growing");
    if (h->oldbuckets && h->nevacuate >= noldbuckets(h))
        return fail("nevacuate %llu past the old buckets", (unsigned long long)h->nevacuate);
    if (h->buckets != h->cur.addr || h->oldbuckets != h->old.addr)
        return fail("bucket arrays out of step with the host blocks");
    if (h->buckets && h->cur_n < bucket_shift(h->B))
        return fail("array of %llu buckets for B=%u", (unsigned long long)h->cur_n, h->B);
    if (h->next_overflow && (h->next_overflow < h->buckets + bucket_shift(h->B) * h->t->bucketsize ||
                             h->next_overflow >= h->buckets + h->cur_n * h->t->bucketsize))
        return fail("nextOverflow outside the spare buckets");
    return true;
}

/* The old generation: evacuated below nevacuate; where not evacuated,
 * the destinations are still empty. */
static bool check_old(const Map *h, uint64_t *live)
{
    uint64_t nold = noldbuckets(h), bs = h->t->bucketsize;
    bool ok = true;
    for (uint64_t j = 0; j < nold; j++) {
        ChainInfo ci = walk_chain(h, h->oldbuckets + j * bs, true, j, nold - 1);
        ok &= !ci.bad;
        bool evac = evacuated_top(map_host(h, h->oldbuckets + j * bs)[0]);
        if (j < h->nevacuate && !evac)
            ok = fail("old bucket %llu below nevacuate %llu not evacuated",
                      (unsigned long long)j, (unsigned long long)h->nevacuate);
        if (evac)
            continue;
        *live += ci.live;
        uint64_t dst[2] = {j, j + nold};
        for (unsigned d = 0; d < (same_size_grow(h) ? 1u : 2u); d++) {
            ChainInfo di = walk_chain(h, h->buckets + dst[d] * bs, false, dst[d],
                                      bucket_mask(h->B));
            if (di.live)
                ok = fail("bucket %llu filled before old bucket %llu was evacuated",
                          (unsigned long long)dst[d], (unsigned long long)j);
        }
    }
    return ok;
}

bool map_check(const Map *h)
{
    if (!h)
        return true;
    if (!check_fields(h))
        return false;
    uint64_t live = 0, overflow = 0, bs = h->t->bucketsize;
    bool ok = true;
    if (h->buckets)
        for (uint64_t j = 0; j < bucket_shift(h->B); j++) {
            ChainInfo ci = walk_chain(h, h->buckets + j * bs, false, j, bucket_mask(h->B));
            ok &= !ci.bad;
            live += ci.live;
            overflow += ci.overflow;
        }
    if (h->oldbuckets)
        ok &= check_old(h, &live);
    if (live != h->count)
        ok = fail("count %llu but %llu live slots", (unsigned long long)h->count,
                  (unsigned long long)live);
    if (h->B < 16 && overflow != h->noverflow)
        ok = fail("noverflow %u but %llu overflow buckets", h->noverflow,
                  (unsigned long long)overflow);
    uint64_t indirect = h->count * (h->t->indirect_key + h->t->indirect_elem);
    uint64_t separate = h->gen_ovf[0].n + h->gen_ovf[1].n;
    if (h->objs.n != indirect + separate)
        ok = fail("%u host objects, expected %llu", h->objs.n,
                  (unsigned long long)(indirect + separate));
    return ok;
}
