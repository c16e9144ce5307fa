/*
 * world_struct.c — maps (hmap: bucket arrays, slots, overflow chains,
 * growth and evacuation) and sync.Maps (read, dirty, misses, entries) in the
 * World.
 *
 * Invariant: a bucket record exists only for a known map and only once the
 * trace said something about that bucket (a slot, an overflow link, an
 * evacuation); buckets and bucket_index agree.  Every write to buckets and
 * entries marks its element (WDIRTY); maps and sms are copied whole into
 * each keyframe.  Events about unknown maps are
 * ignored, so a trace of random slot writes costs nothing.
 */
#include "world.h"

#include <string.h>

static int map_index(const World *w, uint64_t h)
{
    for (uint32_t i = 0; i < w->maps.n; i++)
        if (w->maps.v[i].h == h)
            return (int)i;
    return -1;
}

static uint32_t count_of(uint64_t B)
{
    return B < 31 ? 1u << B : 1u << 31;
}

static bool in_array(uint64_t addr, uint64_t base, uint32_t n, uint32_t bsize)
{
    return base && addr >= base && (addr - base) / bsize < n;
}

/* MAP_BUCKETS' count: 2^B buckets, the rest spare overflow buckets (Go's
 * makeBucketArray rounds the allocation up to its size class and keeps what
 * is left for overflow).  A trace that records fewer has that many. */
static void set_count(WMap *m, uint64_t n)
{
    uint32_t array = count_of(m->B);
    m->nbuckets = n < array ? (uint32_t)n : array;
    m->nspare = n > array ? (n - array < 1u << 31 ? (uint32_t)(n - array) : 1u << 31) : 0;
}

/* b's chain changed: its array bucket goes to the front of the ring. */
static void note_recent(World *w, const WBucket *b)
{
    uint64_t a = b->is_overflow ? b->head : b->addr, *r = w->nar.map_recent;
    if (!a || r[0] == a)
        return;
    int i = 1;
    while (i < WORLD_MAP_RECENT - 1 && r[i] != a)
        i++;
    memmove(r + 1, r, (size_t)i * sizeof *r);
    r[0] = a;
}

/* Slot s's key and elem: numbers as nums says, else the label (0: none)
 * in key[s] (see WBucket). */
static void slot_write(WBucket *b, unsigned s, uint64_t nums, uint32_t label, int64_t k,
                       int64_t e)
{
    uint8_t bit = (uint8_t)(1u << s);
    bool nk = nums >= SLOT_NUMS_KEY, ne = nums >= SLOT_NUMS_KEY_ELEM;
    b->nums_key = (uint8_t)(nk ? b->nums_key | bit : b->nums_key & ~bit);
    b->nums_elem = (uint8_t)(ne ? b->nums_elem | bit : b->nums_elem & ~bit);
    b->key[s] = nk ? k : (int64_t)label;
    b->elem[s] = ne ? e : 0;
}

static WBucket *bucket_get(World *w, int mi, uint64_t addr, bool create)
{
    uint32_t i = windex_get(&w->bucket_index, addr);
    if (i) { /* every caller changes the bucket it gets */
        WDIRTY(w->buckets, i - 1);
        return &w->buckets.v[i - 1];
    }
    if (!create)
        return NULL;
    const WMap *m = &w->maps.v[mi];
    WBucket *b = WVEC_PUSH(w->buckets);
    b->addr = addr;
    b->map = (uint16_t)mi;
    b->is_overflow = !in_array(addr, m->buckets, m->nbuckets, m->bucketsize) &&
                     !in_array(addr, m->oldbuckets, m->noldbuckets, m->bucketsize);
    windex_put(&w->bucket_index, addr, w->buckets.n - 1);
    return b;
}

/* Which bucket records to forget: those of map mi in [base, +n buckets)
 * (and, with evacuated, its evacuated ones; with all, every one), or with
 * mi < 0 those of any map at addresses in [lo, hi). */
typedef struct {
    int mi;
    uint64_t base, lo, hi;
    uint32_t n, bsize;
    bool evacuated, all;
} DropWhat;

/* Slots of b holding a key: minTopHash is 5, below are empty marks. */
static uint32_t bucket_used(const WBucket *b)
{
    uint32_t n = 0;
    for (int s = 0; s < 8; s++)
        n += b->tophash[s] > 4;
    return n;
}

/* b's slots join (+1) or leave (-1) its map's count of used slots. */
static void used_count(World *w, const WBucket *b, int sign)
{
    if (b->map < w->maps.n && !(b->evacuated & BUCKET_EVACUATED))
        w->maps.v[b->map].used += (uint32_t)sign * bucket_used(b);
}

static bool should_drop(const WBucket *b, const DropWhat *d)
{
    if (d->mi < 0)
        return b->addr >= d->lo && b->addr < d->hi;
    return b->map == d->mi && (d->all || in_array(b->addr, d->base, d->n, d->bsize) ||
                               (d->evacuated && b->evacuated));
}

static void drop_where(World *w, const DropWhat *d)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < w->buckets.n; i++) {
        const WBucket *b = &w->buckets.v[i];
        if (!should_drop(b, d)) {
            if (k != i)
                WDIRTY(w->buckets, k);
            w->buckets.v[k++] = *b;
        } else {
            used_count(w, b, -1);
        }
    }
    if (k == w->buckets.n)
        return;
    WDIRTY_RANGE(w->buckets, k, w->buckets.n);
    w->buckets.n = k;
    windex_build(&w->bucket_index, w->buckets.v, w->buckets.n, sizeof *w->buckets.v,
                 wbucket_key_of);
}

static void drop_buckets(World *w, int mi, uint64_t base, uint32_t n, bool evacuated)
{
    DropWhat d = {mi, base, 0, 0, n, w->maps.v[mi].bucketsize, evacuated, false};
    drop_where(w, &d);
}

/* Memory a map just got is zeroed: records left at those addresses by a map
 * that died (its memory freed and reused) describe nothing any more. */
static void forget_range(World *w, uint64_t lo, uint64_t hi)
{
    /* One address (a new overflow bucket, as often as every few inserts):
     * the index says whether there is anything, without the O(buckets) scan. */
    if (hi - lo == 1 && !windex_get(&w->bucket_index, lo))
        return;
    DropWhat d = {-1, 0, lo, hi, 0, 1, false, false};
    drop_where(w, &d);
}

/* With every record taken, the one a new map may have: the oldest map that
 * no longer exists and no sync.Map names; -1 if every one is in use (the
 * new map is then left out).  A program that makes maps by the thousand
 * keeps showing its newest. */
static int map_victim(const World *w)
{
    int v = -1;
    for (uint32_t i = 0; i < w->maps.n; i++) {
        const WMap *m = &w->maps.v[i];
        uint64_t gone;
        if ((v < 0 || m->born < w->maps.v[v].born) && !world_map_in_sm(w, m->h) &&
            !world_map_alive(w, m, &gone))
            v = (int)i;
    }
    return v;
}

static void map_new(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    int mi = map_index(w, f[0]);
    bool reused = mi >= 0;
    if (mi < 0 && w->maps.n >= WORLD_MAX_MAPS) {
        if ((mi = map_victim(w)) < 0)
            return (void)w->c.ignored++;
        reused = true;
    } else if (mi < 0) {
        WVEC_PUSH(w->maps);
        mi = (int)w->maps.n - 1;
    }
    if (reused) { /* a new hmap where one died, or in its record: what the
                   * old one held went with it */
        DropWhat d = {mi, 0, 0, 0, 0, 1, false, true};
        drop_where(w, &d);
    }
    WMap *m = &w->maps.v[mi];
    memset(m, 0, sizeof *m);
    m->h = f[0];
    m->keysize = f[1] < 1u << 20 ? (uint32_t)f[1] : 0;
    m->elemsize = f[2] < 1u << 20 ? (uint32_t)f[2] : 0;
    m->bucketsize = f[3] && f[3] < 1u << 20 ? (uint32_t)f[3] : 1;
    m->B = f[4] < 31 ? (uint8_t)f[4] : 31;
    m->type = (uint32_t)f[5];
    m->born = e->index;
}

static void map_grow(World *w, int mi, const Event *e)
{
    const uint64_t *f = e->f;
    WMap *m = &w->maps.v[mi];
    m->oldbuckets = f[4];
    m->oldB = f[1] < 31 ? (uint8_t)f[1] : 31;
    m->noldbuckets = count_of(m->oldB);
    m->buckets = f[5];
    m->B = f[2] < 31 ? (uint8_t)f[2] : 31;
    m->nbuckets = count_of(m->B);
    m->nspare = 0; /* MAP_BUCKETS says */
    m->same_size = f[3] != 0;
    m->growing = 1;
    m->nevacuated = 0;
    m->grow_at = e->index;
    forget_range(w, m->buckets, m->buckets + (uint64_t)m->nbuckets * m->bucketsize);
    m = &w->maps.v[mi];
    /* Buckets recorded under the old array's addresses are old buckets now. */
    for (uint32_t i = 0; i < w->buckets.n; i++)
        if (w->buckets.v[i].map == mi) {
            WBucket *b = &w->buckets.v[i];
            bool was = b->evacuated & BUCKET_EVACUATED;
            WDIRTY(w->buckets, i);
            b->evacuated = 0;
            if (was) /* its slots count again */
                used_count(w, b, +1);
        }
}

static void map_evacuate(World *w, int mi, const Event *e)
{
    WMap *m = &w->maps.v[mi];
    if (!m->growing || e->f[1] >= m->noldbuckets)
        return (void)w->c.ignored++;
    uint64_t addr = m->oldbuckets + e->f[1] * m->bucketsize;
    uint8_t mark = (uint8_t)(BUCKET_EVACUATED | (e->f[2] ? BUCKET_TO_X : 0) |
                             (e->f[3] ? BUCKET_TO_Y : 0));
    /* A chain longer than there are buckets loops: only a bad trace links one. */
    uint32_t hops = 0;
    for (WBucket *b = bucket_get(w, mi, addr, true); b && hops++ <= w->buckets.n;
         b = bucket_get(w, mi, b->overflow, false)) {
        used_count(w, b, -1); /* nothing if it was evacuated already */
        for (int i = 0; i < 8; i++) /* evacuate (map.go:1180): emptyRest and */
            if (b->tophash[i] <= 1) /* emptyOne become evacuatedEmpty; the */
                b->tophash[i] = 4;  /* trace has events for moved slots only */
        b->evacuated = mark;
        b->changed = e->index;
        if (hops == 1)
            note_recent(w, b);
        if (!b->overflow)
            break;
    }
    m->nevacuated++;
    w->c.evacuations++;
}

/* MAP_SLOT_SET / MAP_SLOT_CLEAR: a slot's tophash, key and elem. */
static void map_slot(World *w, int mi, const Event *e)
{
    const uint64_t *f = e->f;
    if (f[2] >= 8)
        return (void)w->c.ignored++;
    WBucket *b = bucket_get(w, mi, f[1], true);
    used_count(w, b, -1);
    b->tophash[f[2]] = (uint8_t)f[3];
    used_count(w, b, +1);
    if (e->type == EV_MAP_SLOT_SET)
        slot_write(b, (unsigned)f[2], f[5], (uint32_t)f[4], (int64_t)f[6], (int64_t)f[7]);
    else
        slot_write(b, (unsigned)f[2], SLOT_NUMS_NONE, 0, 0, 0);
    b->changed = e->index;
    w->c.map_slot_sets += e->type == EV_MAP_SLOT_SET;
    note_recent(w, b);
}

/* MAP_OVERFLOW: bucket f[1] links the new overflow bucket f[2], which
 * belongs to the chain of f[1]'s array bucket. */
static void map_overflow(World *w, int mi, const Event *e)
{
    const uint64_t *f = e->f;
    forget_range(w, f[2], f[2] + 1); /* a new overflow bucket is new memory */
    WBucket *b = bucket_get(w, mi, f[1], true);
    b->overflow = f[2];
    b->changed = e->index;
    uint64_t head = b->is_overflow ? b->head : b->addr;
    note_recent(w, b);
    b = bucket_get(w, mi, f[2], true);
    b->is_overflow = 1;
    b->head = head;
    b->changed = e->index;
}

static void map_event(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    int mi = map_index(w, f[0]);
    if (mi < 0)
        return (void)w->c.ignored++;
    WMap *m = &w->maps.v[mi];
    switch (e->type) {
    case EV_MAP_BUCKETS:
        if (!m->growing)
            drop_buckets(w, mi, m->buckets, m->nbuckets + m->nspare, false);
        m = &w->maps.v[mi];
        m->buckets = f[1];
        m->B = f[2] < 31 ? (uint8_t)f[2] : 31;
        set_count(m, f[3]);
        forget_range(w, m->buckets,
                     m->buckets + ((uint64_t)m->nbuckets + m->nspare) * m->bucketsize);
        break;
    case EV_MAP_SLOT_SET:
    case EV_MAP_SLOT_CLEAR: map_slot(w, mi, e); break;
    case EV_MAP_OVERFLOW: map_overflow(w, mi, e); break;
    case EV_MAP_GROW_START: map_grow(w, mi, e); break;
    case EV_MAP_EVACUATE: map_evacuate(w, mi, e); break;
    case EV_MAP_GROW_END:
        drop_buckets(w, mi, m->oldbuckets, m->noldbuckets, true);
        m = &w->maps.v[mi];
        m->oldbuckets = 0;
        m->noldbuckets = 0;
        m->growing = 0;
        break;
    case EV_MAP_SEED: m->seed = (uint32_t)f[1]; break;
    }
}

/* ---- sync.Map ----------------------------------------------------------- */

static WSyncMap *sm_find(World *w, uint64_t m)
{
    for (uint32_t i = 0; i < w->sms.n; i++)
        if (w->sms.v[i].m == m)
            return &w->sms.v[i];
    return NULL;
}

/* The record of (m, entry): the index's, else (a shared key) by a scan;
 * absent from the index means absent (see world_entries_index). */
static int64_t entry_find(const World *w, uint64_t m, uint64_t entry)
{
    uint32_t i = windex_get(&w->entry_index, wentry_key(m, entry));
    if (!i)
        return -1;
    if (w->entries.v[i - 1].entry == entry && w->entries.v[i - 1].m == m)
        return i - 1;
    for (uint32_t k = w->entries.n; k-- > 0;)
        if (w->entries.v[k].entry == entry && w->entries.v[k].m == m)
            return k;
    return -1;
}

static WEntry *entry_get(World *w, uint64_t m, uint64_t entry)
{
    int64_t i = entry_find(w, m, entry);
    if (i >= 0) {
        WDIRTY(w->entries, i); /* every caller changes it */
        return &w->entries.v[i];
    }
    WEntry *en = WVEC_PUSH(w->entries);
    en->m = m;
    en->entry = entry;
    world_entries_index(w, w->entries.n - 1);
    return en;
}

void world_entries_index(World *w, uint32_t from)
{
    if (from > w->entries.n) /* fewer records: from scratch */
        windex_build(&w->entry_index, w->entries.v, w->entries.n, sizeof *w->entries.v,
                     wentry_key_of);
    else
        for (uint32_t i = from; i < w->entries.n; i++)
            windex_put(&w->entry_index, wentry_key_of(&w->entries.v[i]), i);
}

static void sm_event(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    WSyncMap *s = sm_find(w, f[0]);
    if (e->type == EV_SM_NEW) {
        if (s || w->sms.n >= WORLD_MAX_SM)
            return (void)w->c.ignored++;
        s = WVEC_PUSH(w->sms);
        s->m = f[0];
        s->changed = e->index;
        return;
    }
    if (!s)
        return (void)w->c.ignored++;
    s->changed = e->index;
    WEntry *en;
    switch (e->type) {
    case EV_SM_READ_STORE:
        s->readonly = f[1], s->readmap = f[2], s->amended = f[3] != 0;
        break;
    case EV_SM_DIRTY_INIT: s->dirty = f[1], s->dirty_at = e->index, s->dirty_len = f[2]; break;
    case EV_SM_MISS:
        s->misses = f[1], s->dirty_len = f[2];
        w->c.sm_misses++;
        break;
    case EV_SM_PROMOTE:
        s->oldread = f[1], s->readmap = f[2];
        s->dirty = 0, s->misses = 0, s->amended = 0, s->dirty_len = 0;
        s->promoted_at = e->index;
        w->c.promotions++;
        break;
    case EV_SM_ENTRY:
        en = entry_get(w, f[0], f[1]);
        en->key = (int64_t)f[2];
        en->state = f[3] <= ENTRY_EXPUNGED ? (uint8_t)f[3] : ENTRY_NIL;
        en->value = f[4];
        en->changed = e->index;
        break;
    case EV_SM_EXPUNGE:
    case EV_SM_UNEXPUNGE:
        en = entry_get(w, f[0], f[1]);
        en->state = e->type == EV_SM_EXPUNGE ? ENTRY_EXPUNGED : ENTRY_NIL;
        en->changed = e->index;
        break;
    }
}

void world_apply_struct(World *w, const Event *e)
{
    if (e->type == EV_MAP_NEW)
        map_new(w, e);
    else if (e->type >= EV_SM_NEW && e->type <= EV_SM_UNEXPUNGE)
        sm_event(w, e);
    else
        map_event(w, e);
}
