/*
 * arenamap.c — the arena-backed map (see arenamap.h).
 *
 * Invariant: see arenamap.h.  All simulated memory comes from am->arena;
 * every tophash, key, value and overflow word read or written is touched at
 * its bucket offset (hmap's layout for 8-byte keys and values), and
 * recorded as an hmap's would be (MAP_NEW, MAP_BUCKETS, MAP_SLOT_SET,
 * MAP_OVERFLOW), so the viewer's map pane shows the table.
 */
#include "arenamap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

enum { SLOTS = 8, KEYS_OFF = 8, VALS_OFF = 72, OVF_OFF = 136 };
enum { HDR_MU = 0, HDR_COUNT = 8, HDR_B = 16, HDR_BUCKETS = 24 };

/* The top byte of the hash, past the marks below minTopHash as
 * runtime.tophash does (map.go:205), so that the viewer reads the slots as
 * it reads an hmap's; 0 marks an empty slot. */
static uint8_t top_of(uint64_t h)
{
    uint8_t t = (uint8_t)(h >> 56);
    return t < 5 ? t + 5 : t;
}

/* The viewer's map pane shows the table as it shows an hmap. */
static void trace_slot(Machine *m, const ArenaMap *am, const ArenaBucket *b, int s)
{
    TRACE(m->tr, MAP_SLOT_SET, am->hdr, b->addr, s, b->top[s], TRACE_STR(m->tr, ""),
          SLOT_NUMS_KEY_ELEM, (uint64_t)b->key[s], (uint64_t)b->val[s]);
    (void)m, (void)am, (void)b, (void)s;
}

static int32_t new_bucket(ArenaMap *am)
{
    if (am->npool == am->cap) {
        am->cap = am->cap ? 2 * am->cap : 64;
        am->pool = realloc(am->pool, am->cap * sizeof *am->pool);
        assert(am->pool);
    }
    ArenaBucket *b = &am->pool[am->npool];
    memset(b, 0, sizeof *b);
    b->next = -1;
    return (int32_t)am->npool++;
}

/* 2^B buckets in one arena object. */
static void new_array(Machine *m, ArenaMap *am, uint8_t B)
{
    uint64_t n = 1ull << B;
    uint64_t base = arena_alloc(&am->arena, n * ARENAMAP_BUCKET, 8, OBJ_BUCKETS,
                                "arenamap bucket array");
    TRACE(m->tr, MAP_BUCKETS, am->hdr, base, B, n);
    (void)m;
    free(am->dir);
    am->dir = malloc(n * sizeof *am->dir);
    assert(am->dir);
    for (uint64_t i = 0; i < n; i++) {
        am->dir[i] = (uint32_t)new_bucket(am);
        am->pool[am->dir[i]].addr = base + i * ARENAMAP_BUCKET;
    }
    am->B = B;
}

void arenamap_init(ArenaMap *am, Machine *m, unsigned id, uint64_t chunk_size,
                   uint64_t hint)
{
    memset(am, 0, sizeof *am);
    arena_init(&am->arena, &m->heap, id, chunk_size);
    am->hdr = arena_alloc(&am->arena, ARENAMAP_HEADER, 8, OBJ_HMAP, "arenamap header");
    mutex_init(&am->mu, am->hdr + HDR_MU);
    am->seed = machine_rand(m);
    uint8_t B = 0;
    while (hint > 8 && hint > 13 * ((1ull << B) / 2))
        B++;
    TRACE(m->tr, MAP_NEW, am->hdr, 8, 8, ARENAMAP_BUCKET, B,
          TRACE_STR(m->tr, "arenaMap[int64]int64"));
    new_array(m, am, B);
}

void arenamap_release(ArenaMap *am)
{
    arena_release(&am->arena);
    am->npool = 0;
    am->count = 0;
}

void arenamap_free(ArenaMap *am)
{
    free(am->pool);
    free(am->dir);
    memset(am, 0, sizeof *am);
}

/* The slot of key in the chain of its bucket: *b and *i; false if absent,
 * with *b the last bucket of the chain. */
static bool find(Machine *m, ArenaMap *am, int64_t key, uint64_t h, int32_t *b, int *i)
{
    uint8_t top = top_of(h);
    for (int32_t x = (int32_t)am->dir[h & ((1ull << am->B) - 1)];; x = am->pool[x].next) {
        ArenaBucket *bk = &am->pool[x];
        touch_read(m, bk->addr, SLOTS);
        *b = x;
        for (int s = 0; s < SLOTS; s++) {
            if (bk->top[s] != top)
                continue;
            touch_read(m, bk->addr + KEYS_OFF + 8u * s, 8);
            if (bk->key[s] == key) {
                *i = s;
                return true;
            }
        }
        touch_read(m, bk->addr + OVF_OFF, 8);
        if (bk->next < 0)
            return false;
    }
}

static void put(Machine *m, ArenaMap *am, int64_t key, int64_t val, uint64_t h);

/* Growth at once: a new array twice as big, every live entry (reachable
 * from the current array) rehashed into it; the old buckets stay behind,
 * dead, in the arena. */
static void grow(Machine *m, ArenaMap *am)
{
    uint64_t nb = 1ull << am->B, n = 0;
    int64_t *kv = malloc(2 * am->count * sizeof *kv + 1);
    assert(kv);
    for (uint64_t i = 0; i < nb; i++)
        for (int32_t x = (int32_t)am->dir[i]; x >= 0; x = am->pool[x].next)
            for (int s = 0; s < SLOTS; s++)
                if (am->pool[x].top[s]) {
                    touch_read(m, am->pool[x].addr + KEYS_OFF + 8u * s, 8);
                    touch_read(m, am->pool[x].addr + VALS_OFF + 8u * s, 8);
                    kv[n++] = am->pool[x].key[s];
                    kv[n++] = am->pool[x].val[s];
                }
    new_array(m, am, am->B + 1);
    am->count = 0;
    for (uint64_t i = 0; i < n; i += 2)
        put(m, am, kv[i], kv[i + 1], hash_u64((uint64_t)kv[i], am->seed));
    free(kv);
    touch_write(m, am->hdr + HDR_B, 8);
    touch_write(m, am->hdr + HDR_BUCKETS, 8);
}

/* Insert a key known to be absent into the first free slot of its chain. */
static void put(Machine *m, ArenaMap *am, int64_t key, int64_t val, uint64_t h)
{
    int32_t x = (int32_t)am->dir[h & ((1ull << am->B) - 1)];
    for (;; x = am->pool[x].next) {
        for (int s = 0; s < SLOTS; s++)
            if (!am->pool[x].top[s]) {
                ArenaBucket *bk = &am->pool[x];
                bk->top[s] = top_of(h);
                bk->key[s] = key;
                bk->val[s] = val;
                touch_write(m, bk->addr + KEYS_OFF + 8u * s, 8);
                touch_write(m, bk->addr + VALS_OFF + 8u * s, 8);
                touch_write(m, bk->addr + (unsigned)s, 1);
                trace_slot(m, am, bk, s);
                am->count++;
                return;
            }
        if (am->pool[x].next < 0)
            break;
    }
    int32_t o = new_bucket(am); /* may move the pool */
    am->pool[o].addr = arena_alloc(&am->arena, ARENAMAP_BUCKET, 8, OBJ_OVERFLOW,
                                   "arenamap overflow bucket");
    am->pool[x].next = o;
    touch_write(m, am->pool[x].addr + OVF_OFF, 8);
    TRACE(m->tr, MAP_OVERFLOW, am->hdr, am->pool[x].addr, am->pool[o].addr);
    put(m, am, key, val, h);
}

bool arenamap_load(Machine *m, ArenaMap *am, int64_t key, int64_t *val)
{
    mutex_lock(m, &am->mu);
    touch_read(m, am->hdr + HDR_B, 8);
    touch_read(m, am->hdr + HDR_BUCKETS, 8);
    int32_t b;
    int i;
    bool ok = find(m, am, key, hash_u64((uint64_t)key, am->seed), &b, &i);
    if (ok) {
        touch_read(m, am->pool[b].addr + VALS_OFF + 8u * i, 8);
        if (val)
            *val = am->pool[b].val[i];
    }
    mutex_unlock(m, &am->mu);
    return ok;
}

void arenamap_store(Machine *m, ArenaMap *am, int64_t key, int64_t val)
{
    mutex_lock(m, &am->mu);
    touch_read(m, am->hdr + HDR_B, 8);
    touch_read(m, am->hdr + HDR_BUCKETS, 8);
    uint64_t h = hash_u64((uint64_t)key, am->seed);
    int32_t b;
    int i;
    if (find(m, am, key, h, &b, &i)) {
        am->pool[b].val[i] = val;
        touch_write(m, am->pool[b].addr + VALS_OFF + 8u * i, 8);
        trace_slot(m, am, &am->pool[b], i);
    } else {
        touch_read(m, am->hdr + HDR_COUNT, 8);
        if (am->count + 1 > 8 && am->count + 1 > 13 * ((1ull << am->B) / 2))
            grow(m, am);
        put(m, am, key, val, h);
        touch_write(m, am->hdr + HDR_COUNT, 8);
    }
    mutex_unlock(m, &am->mu);
}

bool arenamap_check(const ArenaMap *am)
{
    uint64_t live = 0, mask = (1ull << am->B) - 1;
    for (uint64_t i = 0; i <= mask; i++)
        for (int32_t x = (int32_t)am->dir[i]; x >= 0; x = am->pool[x].next)
            for (int s = 0; s < SLOTS; s++) {
                if (!am->pool[x].top[s])
                    continue;
                live++;
                uint64_t h = hash_u64((uint64_t)am->pool[x].key[s], am->seed);
                if ((h & mask) != i || top_of(h) != am->pool[x].top[s])
                    return false;
            }
    return live == am->count && mutex_check(&am->mu);
}
