/*
 * world_mem.c — the memory part of the World: heap objects and spans,
 * goroutine stacks with frames and locals, slices, arenas.
 *
 * Invariant: objs only grows: a freed object stays, OBJ_DEAD, so that an
 * object's position is its allocation ordinal and obj_hist (every ordinal
 * under (addr << 1 | sub), sub = tiny or arena sub-object) holds at every
 * position of the trace; at most one object per key is not dead, the newest
 * (a second ALLOC at a live address kills the first); a container's nsub
 * counts its live sub-objects so that freeing a container without subs never
 * scans.  Objects leave the World only on FREE (or a frame pop for stack
 * objects); GARBAGE only greys them.  Every write to objs, spans, frames,
 * locals and slices marks its element (WDIRTY, for keyframe pages).
 */
#include "world.h"

#include <string.h>

static bool is_sub(unsigned space)
{
    return space == SPACE_TINY || space == SPACE_ARENA;
}

#define key_of wobj_key

static uint32_t clamp32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* The heap pane's counts of objects, all and by kind (see WCounters);
 * stack and static objects are no heap objects. */
static void count_heap(World *w, const WObj *o, int64_t by)
{
    if (o->space == SPACE_STACK || o->space == SPACE_STATIC)
        return;
    w->c.objects += by > 0 || w->c.objects > 0 ? (uint64_t)by : 0;
    w->c.heap_kind[o->kind] += (uint64_t)by;
    w->c.heap_whole += is_sub(o->space) ? 0 : (uint64_t)by;
}

/* objs[i] is freed: it stays in place, dead. */
static void obj_remove(World *w, uint32_t i)
{
    count_heap(w, wobj(w, i), -1);
    wobj_kill(w, i);
}

/* The container (tiny block or arena chunk) holding a sub-object, + 1. */
static uint32_t container_of(World *w, uint64_t addr, unsigned space)
{
    if (space == SPACE_TINY) { /* tiny blocks are 16-byte aligned */
        uint32_t i = world_obj_find(w, addr & ~15ull, false);
        return i && wobj(w, i - 1)->kind == OBJ_TINY_BLOCK ? i : 0;
    }
    for (uint32_t k = 0; k < w->arena_objs.n; k++) {
        uint32_t i = w->arena_objs.v[k];
        const WObj *o = wobj(w, i);
        if (o && o->state != OBJ_DEAD && addr >= o->addr && addr - o->addr < o->rounded)
            return i + 1;
    }
    return 0;
}

/* A sub-object freed with its container: the counters and the object. */
static void sub_remove(World *w, uint32_t k)
{
    const WObj *s = wobj(w, k);
    w->c.garbage_objs -= s->state == OBJ_GARBAGE && w->c.garbage_objs;
    obj_remove(w, k);
}

/* The live sub-objects in [lo, hi) go with their container.  A tiny block
 * is 16 bytes: each address is looked up.  An arena chunk is big and freed
 * rarely: one pass over the objects. */
static void free_subs(World *w, uint64_t lo, uint64_t hi)
{
    if (hi - lo <= 64) {
        for (uint64_t a = lo; a < hi; a++) {
            uint32_t k = world_obj_find(w, a, true);
            if (k)
                sub_remove(w, k - 1);
        }
        return;
    }
    for (uint32_t k = w->objs.n; k-- > 0;) {
        const WObj *s = wobj(w, k);
        if (s && is_sub(s->space) && s->state != OBJ_DEAD && s->addr >= lo && s->addr < hi)
            sub_remove(w, k);
    }
}

static void apply_alloc(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    unsigned space = f[6] < SPACE_COUNT ? (unsigned)f[6] : SPACE_HEAP;
    bool sub = is_sub(space);
    uint32_t old = world_obj_find(w, f[0], sub);
    if (old) /* a second ALLOC at a live address replaces the first */
        obj_remove(w, old - 1);
    WObj *o = wobj_push(w);
    o->addr = f[0];
    o->size = clamp32(f[1]);
    o->rounded = clamp32(f[2]);
    o->cls = f[3] < 256 ? (uint8_t)f[3] : 0;
    o->type = (uint32_t)f[4];
    o->kind = f[5] < OBJ_COUNT ? (uint8_t)f[5] : OBJ_OTHER;
    o->space = (uint8_t)space;
    o->g = f[7] < UINT16_MAX ? (uint16_t)f[7] : UINT16_MAX;
    o->born = o->changed = e->index;
    o->state = OBJ_LIVE;
    whist_add(&w->obj_hist, key_of(o), w->objs.n - 1);
    count_heap(w, o, 1);
    if (space == SPACE_STACK)
        *WVEC_PUSH(w->stack_objs) = w->objs.n - 1;
    if (o->kind == OBJ_ARENA && !sub)
        *WVEC_PUSH(w->arena_objs) = w->objs.n - 1;
    if (space != SPACE_STACK && space != SPACE_STATIC) {
        /* as MemStats.Mallocs counts: a tiny allocation once, not again for
         * the block it opens, and what an arena carves out not at all */
        w->c.allocs += o->kind != OBJ_TINY_BLOCK && space != SPACE_ARENA;
        w->c.alloc_bytes += o->rounded;
        w->c.live_bytes += o->rounded;
    }
    uint32_t c = sub ? container_of(w, f[0], space) : 0; /* o is stale from here */
    if (c && wobj(w, c - 1)->nsub < UINT16_MAX)
        wobj_mut(w, c - 1)->nsub++;
}

/* GARBAGE addr: a live tiny sub-object there first, else the object. */
static void apply_garbage(World *w, const Event *e)
{
    uint32_t i = world_obj_find(w, e->f[0], true);
    if (!i || wobj(w, i - 1)->space != SPACE_TINY || wobj(w, i - 1)->state != OBJ_LIVE)
        i = world_obj_find(w, e->f[0], false);
    if (!i || wobj(w, i - 1)->state != OBJ_LIVE) {
        w->c.ignored++;
        return;
    }
    WObj *o = wobj_mut(w, i - 1);
    o->state = OBJ_GARBAGE;
    o->changed = e->index;
    w->c.garbage_objs++;
}

/* FREE addr: the object and the sub-objects inside it go. */
static void apply_free(World *w, const Event *e)
{
    uint32_t i = world_obj_find(w, e->f[0], false);
    if (!i) {
        w->c.ignored++;
        return;
    }
    const WObj *o = wobj(w, i - 1);
    uint64_t lo = o->addr, hi = o->addr + (o->rounded ? o->rounded : o->size);
    bool subs = o->nsub > 0;
    w->c.frees++;
    w->c.freed_bytes += o->rounded;
    w->c.live_bytes -= o->rounded <= w->c.live_bytes ? o->rounded : w->c.live_bytes;
    w->c.garbage_objs -= o->state == OBJ_GARBAGE && w->c.garbage_objs;
    WNarration *n = &w->nar;
    n->freed[n->freed_next % WORLD_FREED].addr = o->addr;
    n->freed[n->freed_next % WORLD_FREED].at = e->index;
    n->freed_next++;
    obj_remove(w, i - 1);
    if (subs)
        free_subs(w, lo, hi);
}

static void apply_span(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    for (uint32_t i = 0; i < w->spans.n; i++)
        if (w->spans.v[i].base == f[0]) {
            if (e->type == EV_SPAN_FREE) {
                WDIRTY_RANGE(w->spans, i, w->spans.n);
                w->spans.n--;
                memmove(&w->spans.v[i], &w->spans.v[i + 1],
                        (size_t)(w->spans.n - i) * sizeof *w->spans.v);
            } else {
                w->c.ignored++;
            }
            return;
        }
    if (e->type == EV_SPAN_FREE) {
        w->c.ignored++;
        return;
    }
    WSpan *s = WVEC_PUSH(w->spans);
    s->base = f[0];
    s->npages = clamp32(f[1]);
    s->cls = f[2] < 256 ? (uint8_t)f[2] : 0;
    s->noscan = f[3] != 0;
    s->nelems = clamp32(f[4] ? f[4] : 1);
    s->born = e->index;
    uint64_t bytes = (uint64_t)s->npages * (w->params.page_size ? w->params.page_size : 8192);
    s->elemsize = clamp32(bytes / s->nelems);
}

/* ---- goroutines, frames, locals ---------------------------------------- */

static int g_index(World *w, uint64_t id)
{
    if (w->last_g < w->gs.n && w->gs.v[w->last_g].id == id)
        return (int)w->last_g;
    for (uint32_t i = 0; i < w->gs.n; i++)
        if (w->gs.v[i].id == id)
            return (int)(w->last_g = i);
    return -1;
}

/* A goroutine first seen in a FRAME_PUSH or LOCAL is created on the fly
 * (a trace cut from the middle of a run still shows its stacks). */
static int g_get(World *w, uint64_t id, uint32_t fn)
{
    int gi = g_index(w, id);
    if (gi >= 0 || w->gs.n >= WORLD_MAX_G)
        return gi;
    WGoroutine *g = WVEC_PUSH(w->gs);
    g->id = id;
    g->fn = fn;
    g->core = -1;
    return (int)(w->gs.n - 1);
}

static void apply_frame_pop(World *w, int gi, uint64_t sp, uint64_t at)
{
    for (uint32_t i = w->frames.n; i-- > 0;) {
        WFrame *fr = &w->frames.v[i];
        if (fr->g != gi || fr->sp != sp)
            continue;
        uint32_t serial = fr->serial;
        WNarration *n = &w->nar;
        n->popped[n->popped_next++ % WORLD_POPPED] = (WPopped){sp, at, fr->fn, (uint16_t)gi};
        WDIRTY_RANGE(w->frames, i, w->frames.n);
        memmove(fr, fr + 1, (size_t)(w->frames.n - i - 1) * sizeof *fr);
        w->frames.n--;
        for (uint32_t k = w->locals.n; k-- > 0;)
            if (w->locals.v[k].frame == serial) {
                for (uint32_t m = 0; m < w->maps.n; m++) /* a local map goes now */
                    if (w->maps.v[m].h == w->locals.v[k].addr)
                        w->maps.v[m].popped_at = at;
                WDIRTY_RANGE(w->locals, k, w->locals.n);
                memmove(&w->locals.v[k], &w->locals.v[k + 1],
                        (size_t)(w->locals.n - k - 1) * sizeof *w->locals.v);
                w->locals.n--;
            }
        /* Objects the frame held (a small map's hmap and bucket) die with it. */
        const WGoroutine *g = &w->gs.v[gi];
        for (uint32_t k = w->stack_objs.n; k-- > 0;) {
            uint32_t oi = w->stack_objs.v[k];
            const WObj *o = wobj(w, oi);
            if (o && o->state != OBJ_DEAD && o->addr < sp && o->addr >= g->stack_lo)
                obj_remove(w, oi);
        }
        return;
    }
    w->c.ignored++;
}

static void apply_stack(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    if (e->type == EV_G_CREATE) {
        int gi = g_get(w, f[0], (uint32_t)f[1]);
        if (gi < 0)
            return (void)w->c.ignored++;
        w->gs.v[gi].fn = (uint32_t)f[1];
        w->gs.v[gi].stack_lo = f[2];
        w->gs.v[gi].stack_hi = f[3];
        return;
    }
    int gi = g_get(w, f[0], e->type == EV_FRAME_PUSH ? (uint32_t)f[1] : 0);
    if (gi < 0)
        return (void)w->c.ignored++;
    if (e->type == EV_FRAME_PUSH) {
        WFrame *fr = WVEC_PUSH(w->frames);
        fr->g = (uint16_t)gi;
        fr->fn = (uint32_t)f[1];
        fr->sp = f[2];
        fr->born = e->index;
        fr->serial = ++w->frame_serial;
        w->c.frames_pushed++;
    } else if (e->type == EV_FRAME_POP) {
        apply_frame_pop(w, gi, f[1], e->index);
    } else { /* LOCAL: belongs to the goroutine's top frame */
        uint32_t frame = 0;
        for (uint32_t i = w->frames.n; i-- > 0;)
            if (w->frames.v[i].g == gi) {
                frame = w->frames.v[i].serial;
                break;
            }
        if (!frame)
            return (void)w->c.ignored++;
        WLocal *l = WVEC_PUSH(w->locals);
        l->g = (uint16_t)gi;
        l->frame = frame;
        l->name = (uint32_t)f[1];
        l->type = (uint32_t)f[2];
        l->addr = f[3];
        l->size = clamp32(f[4]);
        l->born = e->index;
    }
}

/* ---- slices ------------------------------------------------------------- */

/* The record of the header at hdr, made if there is none. */
static WSlice *slice_at(World *w, uint64_t hdr)
{
    uint32_t i = windex_get(&w->slice_index, hdr);
    if (i)
        return &w->slices.v[i - 1];
    WSlice *s = WVEC_PUSH(w->slices);
    windex_put(&w->slice_index, hdr, w->slices.n - 1);
    s->hdr = hdr;
    return s;
}

/* SLICE_GROW names the old array, not the header: traces from before
 * SLICE_SET existed show a growth on the newest header holding that array.
 * A header the trace stores (SLICE_SET) follows its stores only, and a nil
 * array names no header. */
static void slice_grow(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    w->nar.grow_old = f[0], w->nar.grow_new = f[1];
    w->nar.grow_len = f[2], w->nar.grow_at = e->index;
    for (uint32_t i = w->slices.n; f[0] && i-- > 0;) {
        WSlice *s = &w->slices.v[i];
        if (s->array != f[0])
            continue;
        if (!s->stored) {
            WDIRTY(w->slices, i);
            s->array = f[1];
            s->len = f[2]; /* the elements copied; the append adds more */
            s->cap = f[4];
            s->born = e->index;
        }
        return;
    }
    if (f[0])
        w->c.ignored++;
}

static void apply_slice(World *w, const Event *e)
{
    const uint64_t *f = e->f;
    if (e->type == EV_SLICE_GROW) {
        slice_grow(w, e);
        return;
    }
    if (e->type == EV_SLICE_COPY)
        return; /* changes no state; the animation shows it */
    WSlice *s = slice_at(w, f[0]); /* one record per header address */
    WDIRTY(w->slices, s - w->slices.v);
    s->array = f[1], s->len = f[2], s->cap = f[3];
    s->born = e->index;
    s->stored = e->type == EV_SLICE_SET;
    if (e->type == EV_SLICE_MAKE) {
        s->elem = clamp32(f[4]), s->type = (uint32_t)f[5];
        s->where = clamp32(f[6]), s->reason = (uint32_t)f[7];
    }
}

void world_apply_mem(World *w, const Event *e)
{
    switch (e->type) {
    case EV_ALLOC: apply_alloc(w, e); break;
    case EV_GARBAGE: apply_garbage(w, e); break;
    case EV_FREE: apply_free(w, e); break;
    case EV_SPAN_NEW: case EV_SPAN_FREE: apply_span(w, e); break;
    case EV_GC: w->c.gc_cycles++; break;
    case EV_G_CREATE: case EV_FRAME_PUSH: case EV_FRAME_POP: case EV_LOCAL:
        apply_stack(w, e);
        break;
    case EV_SLICE_MAKE: case EV_SLICE_GROW: case EV_SLICE_COPY: case EV_SLICE_SET:
        apply_slice(w, e);
        break;
    default: break; /* ARENA_NEW/FREE: the chunk's ALLOC/GARBAGE tell it all */
    }
}
