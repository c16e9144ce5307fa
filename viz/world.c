/*
 * world.c — the World's containers, keyframe blobs, equality, and the
 * events that are neither memory, structure nor cache: scheduling, locks and
 * the lesson's narration.
 *
 * Invariant: the arrays listed in VECS and the objects are the whole state;
 * world_save copies exactly them (plus the fixed cache array and the
 * scalars), and the indexes (obj_hist, bucket_index, slice_index,
 * entry_index) are derived data, rebuilt by world_load.
 */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wvec_grow(void **v, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return;
    uint32_t n = *cap ? *cap : 16;
    while (n < need)
        n = n > UINT32_MAX / 2 ? UINT32_MAX : n * 2;
    void *p = realloc(*v, (size_t)n * elem);
    if (!p) {
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    *v = p;
    *cap = n;
}

/* ---- lifetime ----------------------------------------------------------- */

void world_init(World *w, const TraceParams *p)
{
    memset(w, 0, sizeof *w);
    w->params = *p;
    unsigned line = p->line_size ? p->line_size : 64;
    unsigned ways = p->ways ? p->ways : 8;
    if (ways > 64)
        ways = 64;
    uint64_t lines = p->cache_size / line;
    if (lines > WORLD_CACHE_MAX_LINES)
        lines = WORLD_CACHE_MAX_LINES;
    if (lines < ways)
        lines = ways;
    w->ways = ways;
    w->nsets = (unsigned)(lines / ways);
    w->set_mask = (w->nsets & (w->nsets - 1)) == 0 ? w->nsets - 1 : 0;
    while ((1u << w->line_shift) < p->line_size && w->line_shift < 31)
        w->line_shift++;
    unsigned ncores = p->ncores >= 1 && p->ncores <= WORLD_MAX_CORES ? p->ncores : 1;
    w->params.ncores = (uint8_t)ncores;
    w->nlines = ncores * w->nsets * w->ways;
    w->lines = calloc(w->nlines, sizeof *w->lines);
    if (!w->lines)
        abort();
    w->nar.step_at = UINT64_MAX;
    w->nar.variant = -1;
#define LOG_VEC(name, tracked)                                                 \
    if (tracked && wdelta_enabled(sizeof *w->name.v))                          \
        w->name.pg.log = wlog_new();
    WORLD_VECS(LOG_VEC)
#undef LOG_VEC
}

#define VECS(X) WORLD_VECS(X)

/* Forget which immutable pages the arrays equal (they are about to change
 * wholesale, or go). */
static void forget_pages(World *w)
{
#define FORGET_VEC(name, tracked) wpages_forget(&w->name.pg);
    VECS(FORGET_VEC)
#undef FORGET_VEC
    wpages_forget(&w->lines_pg);
}

void world_free(World *w)
{
    forget_pages(w);
#define FREE_VEC(name, tracked) free(w->name.v), free(w->name.pg.base), wlog_free(&w->name.pg);
    VECS(FREE_VEC)
#undef FREE_VEC
    free(w->lines_pg.base);
    free(w->lines);
    wobjs_clear(w);
    free(w->objs.page);
    whist_free(&w->obj_hist);
    WIndex *ix[] = {&w->bucket_index, &w->slice_index, &w->entry_index};
    for (int i = 0; i < 3; i++) {
        free(ix[i]->keys);
        free(ix[i]->vals);
    }
    memset(w, 0, sizeof *w);
}

/* ---- keyframes ---------------------------------------------------------- */

typedef struct {
    WCounters c;
    WNarration nar;
    uint32_t frame_serial, nlines, n_objs;
#define COUNT_FIELD(name, tracked) uint32_t n_##name;
    VECS(COUNT_FIELD)
#undef COUNT_FIELD
} BlobHead;

size_t world_bytes(const World *w)
{
    size_t n = sizeof(BlobHead) + w->nlines * sizeof *w->lines +
               (size_t)w->objs.n * sizeof(WObj);
#define ADD_VEC(name, tracked) n += (size_t)w->name.n * sizeof *w->name.v;
    VECS(ADD_VEC)
#undef ADD_VEC
    return n;
}

void *world_save(const World *w, size_t *size)
{
    size_t n = world_bytes(w);
    char *blob = malloc(n), *p = blob;
    if (!blob)
        abort();
    BlobHead h = {w->c, w->nar, w->frame_serial, w->nlines, w->objs.n,
#define COUNT_INIT(name, tracked) w->name.n,
                  VECS(COUNT_INIT)
#undef COUNT_INIT
    };
    memcpy(p, &h, sizeof h);
    p += sizeof h;
    memcpy(p, w->lines, w->nlines * sizeof *w->lines);
    p += w->nlines * sizeof *w->lines;
    for (uint32_t i = 0; i < w->objs.n; i++, p += sizeof(WObj)) {
        static const WObj gone = {.state = OBJ_DEAD};
        memcpy(p, wobj(w, i) ? wobj(w, i) : &gone, sizeof(WObj));
    }
#define SAVE_VEC(name, tracked)                                   \
    if (w->name.n) {                                     \
        memcpy(p, w->name.v, w->name.n * sizeof *w->name.v); \
        p += w->name.n * sizeof *w->name.v;              \
    }
    VECS(SAVE_VEC)
#undef SAVE_VEC
    *size = n;
    return blob;
}

void world_load(World *w, const void *blob, size_t size)
{
    const char *p = blob;
    BlobHead h;
    forget_pages(w);
    memcpy(&h, p, sizeof h);
    p += sizeof h;
    w->c = h.c;
    w->nar = h.nar;
    w->frame_serial = h.frame_serial;
    memcpy(w->lines, p, w->nlines * sizeof *w->lines);
    p += w->nlines * sizeof *w->lines;
    wobjs_clear(w);
    for (uint32_t i = 0; i < h.n_objs; i++, p += sizeof(WObj)) {
        WObj *o = wobj_push(w);
        memcpy(o, p, sizeof(WObj));
        if (o->state == OBJ_DEAD) { /* count it and let its page go as apply would */
            o->state = OBJ_LIVE;
            wobj_kill(w, i);
        }
    }
#define LOAD_VEC(name, tracked)                                                      \
    wvec_grow((void **)&w->name.v, &w->name.cap, h.n_##name, sizeof *w->name.v); \
    w->name.n = h.n_##name;                                                  \
    if (h.n_##name) {                                                       \
        memcpy(w->name.v, p, h.n_##name * sizeof *w->name.v);               \
        p += h.n_##name * sizeof *w->name.v;                                \
    }
    VECS(LOAD_VEC)
#undef LOAD_VEC
    (void)size;
    whist_free(&w->obj_hist); /* the blob may come from another trace */
    for (uint32_t i = 0; i < w->objs.n; i++) /* a page let go: its keys are gone, */
        whist_add(&w->obj_hist, wobj(w, i) ? wobj_key(wobj(w, i)) : 0, i); /* all dead */
    windex_build(&w->bucket_index, w->buckets.v, w->buckets.n, sizeof *w->buckets.v,
                 wbucket_key_of);
    windex_build(&w->slice_index, w->slices.v, w->slices.n, sizeof *w->slices.v,
                 wslice_key_of);
    world_entries_index(w, UINT32_MAX); /* rebuild */
    w->last_g = 0;
}

bool world_equal(const World *a, const World *b)
{
    if (memcmp(&a->c, &b->c, sizeof a->c) || memcmp(&a->nar, &b->nar, sizeof a->nar) ||
        a->nlines != b->nlines || a->frame_serial != b->frame_serial ||
        memcmp(a->lines, b->lines, a->nlines * sizeof *a->lines) || a->objs.n != b->objs.n)
        return false;
    for (uint32_t i = 0; i < a->objs.n; i++) {
        const WObj *x = wobj(a, i), *y = wobj(b, i);
        if (!x != !y || (x && memcmp(x, y, sizeof(WObj))))
            return false;
    }
#define EQ_VEC(name, tracked)                                                        \
    if (a->name.n != b->name.n ||                                           \
        (a->name.n && memcmp(a->name.v, b->name.v, a->name.n * sizeof *a->name.v))) \
        return false;
    VECS(EQ_VEC)
#undef EQ_VEC
    return true;
}

/* ---- queries ------------------------------------------------------------ */

uint32_t world_obj_find(const World *w, uint64_t addr, bool sub)
{
    uint32_t i = whist_find(&w->obj_hist, addr << 1 | sub, w->objs.n);
    const WObj *o = i ? wobj(w, i - 1) : NULL;
    return o && o->state != OBJ_DEAD ? i : 0;
}

const WObj *world_obj_at(const World *w, uint64_t addr, bool sub)
{
    uint32_t i = world_obj_find(w, addr, sub);
    return i ? wobj(w, i - 1) : NULL;
}

const WGoroutine *world_g(const World *w, uint64_t id)
{
    for (uint32_t i = 0; i < w->gs.n; i++)
        if (w->gs.v[i].id == id)
            return &w->gs.v[i];
    return NULL;
}

const WMap *world_map(const World *w, uint64_t h)
{
    for (uint32_t i = 0; i < w->maps.n; i++)
        if (w->maps.v[i].h == h)
            return &w->maps.v[i];
    return NULL;
}

bool world_map_in_sm(const World *w, uint64_t h)
{
    for (uint32_t k = 0; k < w->sms.n; k++)
        if (h == w->sms.v[k].readmap || h == w->sms.v[k].dirty || h == w->sms.v[k].oldread)
            return true;
    return false;
}

bool world_map_alive(const World *w, const WMap *m, uint64_t *gone)
{
    uint32_t i = whist_find(&w->obj_hist, m->h << 1, w->objs.n);
    *gone = 0;
    if (i) { /* an object recorded at the hmap's address: the newest says */
        const WObj *o = wobj(w, i - 1); /* NULL: its page went, all freed */
        if (o && o->born <= m->born && o->state == OBJ_LIVE)
            return true;
        /* when the hmap's own object went: the one before any newer ones */
        for (int hops = 0; o && o->born > m->born && hops < 8; hops++) {
            i = whist_find(&w->obj_hist, m->h << 1, i - 1);
            o = i ? wobj(w, i - 1) : NULL;
        }
        *gone = o && o->born <= m->born && o->state != OBJ_LIVE ? o->changed : 0;
        return false;
    }
    for (uint32_t g = 0; g < w->gs.n; g++) { /* on a stack: a frame's local */
        if (m->h < w->gs.v[g].stack_lo || m->h >= w->gs.v[g].stack_hi)
            continue;
        for (uint32_t k = 0; k < w->locals.n; k++)
            if (w->locals.v[k].addr == m->h)
                return true;
        if (m->popped_at && m->popped_at >= m->born) /* a local: gone with its frame */
            return *gone = m->popped_at, false;
        /* else gone with the innermost popped frame above it, if the ring
         * of recent pops still has it */
        uint64_t best = UINT64_MAX;
        for (uint32_t k = 0; k < WORLD_POPPED && k < w->nar.popped_next; k++) {
            const WPopped *p = &w->nar.popped[k];
            if (p->g == g && p->sp > m->h && p->at >= m->born &&
                (p->sp < best || (p->sp == best && p->at > *gone)))
                best = p->sp, *gone = p->at;
        }
        return false;
    }
    return true; /* nothing says otherwise: static data, or a trace of maps only */
}

uint64_t world_sm_dirty_len(const World *w, const WSyncMap *s)
{
    if (!s->dirty)
        return 0;
    const WMap *m = world_map(w, s->dirty);
    return m ? m->used : s->dirty_len;
}

/* Whether a map of its sync.Map still holds en.  sync/map.go lets go of
 * an entry only once it is deleted: an expunged one when promotion drops
 * the read map that held it, a key only dirty had when Delete removes it
 * (p = nil after) — so an entry holding a value is held, and a frame need
 * not look up the many that do.  For the others the recorder has marked
 * the entry's object garbage (syncmap_retire_read, syncmap_delete); an
 * object at that address born after en last changed means en's own went
 * and the memory was reused.  A trace that never allocated the entry:
 * held, as far as anyone can tell.  *gone: when it stopped being held. */
bool world_sm_entry_held(const World *w, const WEntry *en, uint64_t *gone)
{
    *gone = 0;
    if (en->state == ENTRY_VALUE)
        return true;
    uint32_t i = whist_find(&w->obj_hist, en->entry << 1, w->objs.n);
    const WObj *o = i ? wobj(w, i - 1) : NULL;
    if (!i)
        return true;
    if (!o) /* its page went: every object on it was freed */
        return false;
    if (o->born > en->changed)
        *gone = o->born;
    else if (o->state != OBJ_LIVE)
        *gone = o->changed;
    else
        return true;
    return false;
}

const WBucket *world_bucket(const World *w, uint64_t addr)
{
    uint32_t i = windex_get(&w->bucket_index, addr);
    return i ? &w->buckets.v[i - 1] : NULL;
}

const WSlice *world_slice_by_hdr(const World *w, uint64_t hdr)
{
    uint32_t i = windex_get(&w->slice_index, hdr);
    return i ? &w->slices.v[i - 1] : NULL;
}

/* ---- narration, scheduling, locks -------------------------------------- */

static void new_step(WNarration *n, uint64_t at, uint32_t index, uint32_t title)
{
    n->step = index;
    n->step_title = title;
    n->step_at = at;
    n->nnarrate = 0;
    n->nclaims = 0;
    n->question = n->choices = n->answer = 0;
}

/* A VARIANT event: close the running variant's counters, open id's. */
static void switch_variant(World *w, uint64_t id, uint32_t name)
{
    WNarration *n = &w->nar;
    if (id >= WORLD_VARIANTS)
        return (void)w->c.ignored++;
    if (n->variant >= 0)
        n->vend[n->variant] = w->c;
    n->variant = (int8_t)id;
    n->vstart[id] = w->c;
    n->vname[id] = name;
    if (id + 1 > n->nvariants)
        n->nvariants = (uint8_t)(id + 1);
}

WCounters world_variant_counters(const World *w, unsigned v)
{
    const WNarration *n = &w->nar;
    WCounters out = {0};
    if (v >= n->nvariants)
        return out;
    const uint64_t *end = (const uint64_t *)((int)v == n->variant ? &w->c : &n->vend[v]);
    const uint64_t *start = (const uint64_t *)&n->vstart[v];
    uint64_t *o = (uint64_t *)&out;
    _Static_assert(sizeof(WCounters) % sizeof(uint64_t) == 0, "WCounters is all uint64_t");
    for (size_t i = 0; i < sizeof(WCounters) / sizeof(uint64_t); i++)
        o[i] = end[i] - start[i];
    return out;
}

static void apply_lesson(World *w, const Event *e)
{
    WNarration *n = &w->nar;
    const uint64_t *f = e->f;
    switch (e->type) {
    case EV_LESSON_BEGIN:
        n->lesson_id = (uint32_t)f[0], n->lesson_title = (uint32_t)f[1];
        n->source = (uint32_t)f[2];
        break;
    case EV_STEP: new_step(n, e->index, (uint32_t)f[0], (uint32_t)f[1]); break;
    case EV_NARRATE:
        if (n->nnarrate == 4)
            memmove(n->narrate, n->narrate + 1, 3 * sizeof n->narrate[0]), n->nnarrate--;
        n->narrate[n->nnarrate++] = (uint32_t)f[0];
        break;
    case EV_SOURCE_LINE: n->source_line = (uint32_t)(f[0] > UINT32_MAX ? 0 : f[0]); break;
    case EV_CLAIM:
        if (n->nclaims < WORLD_CLAIMS) {
            n->claim[n->nclaims] = (uint32_t)f[0];
            n->claim_ok[n->nclaims++] = f[1] != 0;
        }
        break;
    case EV_QUESTION:
        n->question = (uint32_t)f[0], n->choices = (uint32_t)f[1];
        n->answer = (uint32_t)(f[2] > 9 ? 0 : f[2]);
        break;
    case EV_VARIANT:
        n->variant_name = (uint32_t)f[1];
        switch_variant(w, f[0], (uint32_t)f[1]);
        break;
    case EV_MARK: n->mark = (uint32_t)f[0]; break;
    case EV_PANIC: n->panic_msg = (uint32_t)f[1], w->c.panics++; break;
    case EV_COST_TABLE:
        for (int i = 0; i < 6; i++)
            n->cost[i] = (uint32_t)(f[i] > 100000 ? 100000 : f[i]);
        n->has_cost = 1;
        break;
    }
}

static WGoroutine *g_find(World *w, uint64_t id)
{
    if (w->last_g < w->gs.n && w->gs.v[w->last_g].id == id)
        return &w->gs.v[w->last_g];
    for (uint32_t i = 0; i < w->gs.n; i++)
        if (w->gs.v[i].id == id) {
            w->last_g = i;
            return &w->gs.v[i];
        }
    return NULL;
}

static void apply_sched(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    WGoroutine *g = g_find(w, f[0]);
    if (!g) {
        w->c.ignored++;
        return;
    }
    switch (e->type) {
    case EV_G_RUN:
        for (uint32_t i = 0; i < w->gs.n; i++)
            if (w->gs.v[i].core == (int8_t)f[1])
                w->gs.v[i].core = -1;
        g->core = f[1] < WORLD_MAX_CORES ? (int8_t)f[1] : -1;
        break;
    case EV_G_BLOCK: g->blocked = 1, g->blocked_on = f[1]; break;
    case EV_G_UNBLOCK: g->blocked = 0, g->blocked_on = 0; break;
    case EV_G_EXIT: g->exited = 1, g->core = -1; break;
    case EV_LOCK_WAIT: w->c.lock_waits++, g->blocked = 1, g->blocked_on = f[1]; break;
    case EV_LOCK_ACQUIRE: g->blocked = 0, g->blocked_on = 0; break;
    }
}

void world_apply(World *w, const Event *e)
{
    switch (e->type) {
    case EV_ALLOC: case EV_GARBAGE: case EV_FREE: case EV_SPAN_NEW:
    case EV_SPAN_FREE: case EV_GC: case EV_G_CREATE: case EV_FRAME_PUSH:
    case EV_FRAME_POP: case EV_LOCAL: case EV_ARENA_NEW: case EV_ARENA_FREE:
    case EV_SLICE_MAKE: case EV_SLICE_GROW: case EV_SLICE_COPY: case EV_SLICE_SET:
        world_apply_mem(w, e);
        break;
    case EV_ACCESS: case EV_INVALIDATE: case EV_DOWNGRADE: case EV_EVICT:
        world_apply_cache(w, e);
        break;
    case EV_G_RUN: case EV_G_BLOCK: case EV_G_UNBLOCK: case EV_G_EXIT:
    case EV_LOCK_ACQUIRE: case EV_LOCK_RELEASE: case EV_LOCK_WAIT:
        apply_sched(w, e);
        break;
    case EV_MAP_NEW: case EV_MAP_BUCKETS: case EV_MAP_SLOT_SET: case EV_MAP_SLOT_CLEAR:
    case EV_MAP_OVERFLOW: case EV_MAP_GROW_START: case EV_MAP_EVACUATE:
    case EV_MAP_GROW_END: case EV_MAP_SEED: case EV_SM_NEW: case EV_SM_READ_STORE:
    case EV_SM_DIRTY_INIT: case EV_SM_MISS: case EV_SM_PROMOTE: case EV_SM_ENTRY:
    case EV_SM_EXPUNGE: case EV_SM_UNEXPUNGE:
        world_apply_struct(w, e);
        break;
    default:
        apply_lesson(w, e);
        break;
    }
    w->c.events++;
}
