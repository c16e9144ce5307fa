/*
 * world_model.h — helpers for the tests that compare the viewer's World
 * with the model that recorded the trace (test_world_model.c,
 * test_world_maps.c): run a model on a recording machine, then rebuild the
 * World from what it recorded, all at once or position by position.
 */
#ifndef GMV_TEST_WORLD_MODEL_H
#define GMV_TEST_WORLD_MODEL_H

#include "testutil.h"

#include <string.h>

#include "machine.h"
#include "map_internal.h"
#include "syncmap.h"
#include "trace_read.h"
#include "world.h"

/* Start m on cfg, recording into mt. */
static inline void start(Machine *m, MemTrace *mt, MachineConfig cfg)
{
    TraceParams tp = trace_params_default();
    tp.ncores = (uint8_t)cfg.ncores;
    tp.flags = cfg.cache ? TRACE_FLAG_CACHE : 0;
    memtrace_open(mt, &tp);
    machine_init(m, &mt->tr, &cfg);
}

/* Stop recording (the model stays, for the comparison) and open what m
 * recorded into mt: *w is the World before the first event, c the cursor
 * that advance() moves it on with.  close_world frees all four. */
static inline void open_world(Machine *m, MemTrace *mt, TraceReader *r, TraceCursor *c, World *w)
{
    m->tr = m->heap.tr = NULL;
    for (unsigned g = 0; g < m->ng; g++)
        if (m->g[g])
            m->g[g]->tr = NULL;
    memtrace_close(mt);
    assert_int_equal(trace_open_mem(r, (uint8_t *)mt->buf, mt->len), TRACE_OK);
    world_init(w, &r->params);
    trace_cursor_init(c, r);
}

/* Apply events until the World is at position `to` (or the trace ends). */
static inline void advance(World *w, TraceCursor *c, uint64_t to)
{
    Event e;
    while (w->c.events < to && trace_cursor_next(c, &e))
        world_apply(w, &e);
}

static inline void close_world(MemTrace *mt, TraceReader *r, TraceCursor *c, World *w)
{
    trace_cursor_free(c);
    trace_close(r);
    free(mt->buf);
    world_free(w);
}

/* The World of everything m recorded into mt (world_free it). */
static inline void rebuild(Machine *m, MemTrace *mt, World *w)
{
    TraceReader r;
    TraceCursor c;
    open_world(m, mt, &r, &c, w);
    advance(w, &c, UINT64_MAX);
    trace_cursor_free(&c);
    trace_close(&r);
    free(mt->buf);
}

/* ---- maps and sync.Maps: the World's against the model's ------------- */

/* One bucket and its overflow chain: the World's record has the model's
 * tophash bytes and links (a bucket the trace never mentioned has no
 * record, and then every slot is still emptyRest). */
static inline void check_chain(const Map *h, const World *w, uint64_t addr)
{
    /* the array bucket, then overflow buckets that know it (the pane shows
     * the array bucket of a chain that changed) */
    for (uint64_t head = addr; addr; addr = bmap_overflow_peek(h, map_host(h, addr))) {
        const WBucket *rec = world_bucket(w, addr);
        if (rec && (rec->is_overflow != (addr != head) || (addr != head && rec->head != head)))
            fail_msg("bucket 0x%llx: World is_overflow %u head 0x%llx, in the chain of 0x%llx",
                     (unsigned long long)addr, rec->is_overflow, (unsigned long long)rec->head,
                     (unsigned long long)head);
        const uint8_t *top = map_host(h, addr);
        uint64_t ovf = bmap_overflow_peek(h, top);
        const WBucket *b = world_bucket(w, addr);
        static const uint8_t none[8];
        if (b ? memcmp(b->tophash, top, 8) != 0 || b->overflow != ovf : memcmp(top, none, 8) != 0) {
            char mt[40] = "", wt[40] = "(no record)";
            for (int i = 0; i < 8; i++) {
                snprintf(mt + 3 * i, 4, "%02x ", top[i]);
                if (b)
                    snprintf(wt + 3 * i, 4, "%02x ", b->tophash[i]);
            }
            fail_msg("bucket 0x%llx: model tophash %s overflow 0x%llx, World %s overflow 0x%llx",
                     (unsigned long long)addr, mt, (unsigned long long)ovf, wt,
                     b ? (unsigned long long)b->overflow : 0ull);
        }
    }
}

/* The hmap and every bucket of both arrays, chains included. */
static inline void check_map(const Map *h, const World *w)
{
    const WMap *wm = world_map(w, h->addr);
    assert_non_null(wm);
    assert_int_equal(wm->B, h->B);
    assert_int_equal(wm->buckets, h->buckets);
    assert_int_equal(wm->oldbuckets, h->oldbuckets);
    assert_int_equal(wm->growing, h->oldbuckets != 0);
    assert_int_equal(wm->used, h->count);
    assert_int_equal(wm->seed, h->hash0);
    for (uint64_t i = 0; h->buckets && i < (1ull << h->B); i++)
        check_chain(h, w, h->buckets + i * h->t->bucketsize);
    if (h->buckets) { /* 2^B, and makeBucketArray's spare overflow buckets apart */
        assert_int_equal(wm->nbuckets, 1ull << h->B);
        assert_int_equal(wm->nbuckets + wm->nspare, h->cur_n);
    }
    uint64_t nold = h->oldbuckets ? noldbuckets(h) : 0;
    assert_int_equal(wm->noldbuckets, nold);
    uint32_t evacuated = 0; /* the pane's "N of M evacuated" */
    for (uint64_t i = 0; i < nold; i++) {
        check_chain(h, w, h->oldbuckets + i * h->t->bucketsize);
        evacuated += evacuated_top(map_host(h, h->oldbuckets + i * h->t->bucketsize)[0]);
    }
    if (h->oldbuckets) { /* shown while growing only */
        assert_int_equal(wm->nevacuated, evacuated);
        assert_int_equal(wm->same_size, same_size_grow(h));
        assert_int_equal(wm->oldB, same_size_grow(h) ? h->B : h->B - 1);
    }
}

/* The World's record of entry e of sync.Map sm, or NULL. */
static inline const WEntry *world_entry(const World *w, uint64_t sm, uint64_t e)
{
    for (uint32_t i = 0; i < w->entries.n; i++)
        if (w->entries.v[i].m == sm && w->entries.v[i].entry == e)
            return &w->entries.v[i];
    return NULL;
}

/* The elems of map h's occupied slots (new and old arrays, overflow
 * chains), appended to (*v)[*n...]: for a sync.Map's maps, its *entry's. */
static inline void map_elems(const Map *h, uint64_t **v, size_t *n)
{
    uint64_t arrays[2] = {h->buckets, h->oldbuckets};
    uint64_t counts[2] = {h->buckets ? 1ull << h->B : 0, h->oldbuckets ? noldbuckets(h) : 0};
    for (int a = 0; a < 2; a++)
        for (uint64_t i = 0; i < counts[a]; i++)
            for (uint64_t b = arrays[a] + i * h->t->bucketsize; b;
                 b = bmap_overflow_peek(h, map_host(h, b)))
                for (unsigned s = 0; s < BUCKET_CNT; s++) {
                    const uint8_t *bp = map_host(h, b);
                    if (bp[s] < TOPHASH_MIN)
                        continue;
                    *v = realloc(*v, (*n + 1) * sizeof **v);
                    assert_non_null(*v);
                    (*v)[(*n)++] = load64(bp + slot_elem_off(h->t, s));
                }
}

/* Every *entry held by map h has the model's state and p. */
static inline void check_entries(const SyncMap *sm, const Map *h, const World *w)
{
    uint64_t *v = NULL;
    size_t n = 0;
    map_elems(h, &v, &n);
    for (size_t i = 0; i < n; i++) {
        uint64_t e = v[i], p = boxmem_get(sm->mem, e, 0);
        unsigned st = p == 0 ? ENTRY_NIL : p == SYNCMAP_EXPUNGED ? ENTRY_EXPUNGED : ENTRY_VALUE;
        const WEntry *we = world_entry(w, sm->addr, e);
        if (!we || we->state != st || (st == ENTRY_VALUE && we->value != p))
            fail_msg("entry 0x%llx: model state %u p 0x%llx, World %s %u p 0x%llx",
                     (unsigned long long)e, st, (unsigned long long)p, we ? "" : "(none)",
                     we ? we->state : 0, we ? (unsigned long long)we->value : 0ull);
    }
    free(v);
}

/* The entries the World shows as held (world_sm_entry_held) are the ones
 * read or dirty holds.  While an operation is under way the model drops
 * nothing yet (syncmap_op_end), so then only one way round. */
static inline void check_entries_held(const SyncMap *sm, const World *w)
{
    uint64_t *held = NULL;
    size_t n = 0;
    if (sm->read.m)
        map_elems(sm->read.m, &held, &n);
    if (sm->dirty)
        map_elems(sm->dirty, &held, &n);
    for (uint32_t i = 0; i < w->entries.n; i++) {
        const WEntry *we = &w->entries.v[i];
        if (we->m != sm->addr)
            continue;
        uint64_t gone;
        bool world = world_sm_entry_held(w, we, &gone), model = false;
        for (size_t k = 0; k < n && !model; k++)
            model = held[k] == we->entry;
        if (model != world && (model || !sm->active))
            fail_msg("entry 0x%llx (key %lld): model %s, World %s", (unsigned long long)we->entry,
                     (long long)we->key, model ? "held" : "dropped", world ? "held" : "dropped");
    }
    free(held);
}

/* A sync.Map: read and dirty (both hmaps, entries included), amended,
 * misses and len(dirty). */
static inline void check_syncmap(const SyncMap *sm, const World *w)
{
    const WSyncMap *ws = NULL;
    for (uint32_t i = 0; i < w->sms.n; i++)
        ws = w->sms.v[i].m == sm->addr ? &w->sms.v[i] : ws;
    assert_non_null(ws);
    assert_int_equal(ws->readmap, sm->read.m ? sm->read.m->addr : 0);
    assert_int_equal(ws->amended, sm->read.amended);
    assert_int_equal(ws->dirty, sm->dirty ? sm->dirty->addr : 0);
    assert_int_equal(ws->misses, (uint64_t)sm->misses);
    assert_int_equal(world_sm_dirty_len(w, ws), sm->dirty ? (uint64_t)syncmap_dirty_len(sm) : 0);
    const Map *maps[2] = {sm->read.m, sm->dirty};
    for (int i = 0; i < 2; i++)
        if (maps[i]) {
            check_map(maps[i], w);
            check_entries(sm, maps[i], w);
        }
    check_entries_held(sm, w);
}

#endif
