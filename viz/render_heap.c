/*
 * render_heap.c — the heap as spans by size class: one row per span, one
 * cell per slot, coloured by what the object holds; garbage greyed and
 * hatched; tiny blocks split into their sub-objects; large spans and arena
 * chunks as bars with their contents at their offsets.
 *
 * Invariant: a cell's colour comes from the World's object at that slot (or
 * free if none); the slot is (addr - span base) / object's rounded size, as
 * the heap model placed it.  Only objects inside a span are sorted (none when
 * there are no spans): the others are counted, never drawn.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const WObj **objs;          /* heap objects (not sub-objects), by address */
    const WObj **subs;          /* tiny and arena sub-objects, by address */
    uint32_t nobjs, nsubs;
    const WObj *hover;
    SDL_Rect hover_at;
    SDL_Rect grow_from, grow_to;  /* the growing slice's old and new arrays */
    bool have_from, have_to;
} HeapScratch;

static int by_addr(const void *a, const void *b)
{
    uint64_t x = (*(const WObj *const *)a)->addr, y = (*(const WObj *const *)b)->addr;
    return x < y ? -1 : x > y;
}

static int span_by_base(const void *a, const void *b)
{
    uint64_t x = (*(const WSpan *const *)a)->base, y = (*(const WSpan *const *)b)->base;
    return x < y ? -1 : x > y;
}

/* First index in a sorted object list with addr >= a. */
static uint32_t lower(const WObj **v, uint32_t n, uint64_t a)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid]->addr < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static SDL_Color obj_color(Ctx *c, const WObj *o)
{
    const Palette *p = c->d->pal;
    SDL_Color k = p->kind[o->kind < OBJ_COUNT ? o->kind : 0];
    if (o->state != OBJ_GARBAGE)
        return k;
    return mix(k, p->garbage, recent(c, o->changed) ? appear(c, o->changed) : 1);
}

static void hatch(Draw *d, SDL_Rect r, SDL_Color c)
{
    int step = S(d, 5) > 3 ? S(d, 5) : 3;
    for (int k = -r.h; k < r.w; k += step) {
        int x0 = r.x + k, y0 = r.y + r.h, x1 = r.x + k + r.h, y1 = r.y;
        if (x0 < r.x) y0 -= r.x - x0, x0 = r.x;
        if (x1 > r.x + r.w) y1 += x1 - (r.x + r.w), x1 = r.x + r.w;
        if (x1 > x0)
            draw_line(d, x0, y0 - 1, x1 - 1, y1, c, 1);
    }
}

/* One object's box, growing in when it is new, framed when selected. */
static void obj_box(Ctx *c, HeapScratch *hs, const WObj *o, SDL_Rect r)
{
    Draw *d = c->d;
    float a = appear(c, o->born);
    if (a < 1) {
        int w = (int)(r.w * a), h = (int)(r.h * a);
        r = (SDL_Rect){r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h};
    }
    SDL_Color col = obj_color(c, o);
    draw_fill(d, r, col);
    if (o->state == OBJ_GARBAGE)
        hatch(d, r, rgba(d->pal->bg, 110));
    if (recent(c, o->born) || (o->state == OBJ_GARBAGE && recent(c, o->changed)))
        draw_frame(d, (SDL_Rect){r.x - 2, r.y - 2, r.w + 4, r.h + 4}, d->pal->accent2, 2);
    if (c->v->highlight && c->v->highlight == o->addr)
        draw_frame(d, (SDL_Rect){r.x - 3, r.y - 3, r.w + 6, r.h + 6}, d->pal->title, 2);
    if (pointer_over(c, r))
        hs->hover = o, hs->hover_at = r;
    if (o->addr == c->w->nar.grow_old && o->addr)
        hs->grow_from = r, hs->have_from = true;
    if (o->addr == c->w->nar.grow_new && o->addr)
        hs->grow_to = r, hs->have_to = true;
}

/* growslice's copy in flight: while the step that grew a slice plays, its
 * elements leave the old array one after another for the new one. */
static void slice_copy_flight(Ctx *c, const HeapScratch *hs)
{
    const WNarration *n = &c->w->nar;
    float t = appear(c, n->grow_at);
    if (t >= 1 || !recent(c, n->grow_at) || !hs->have_from || !hs->have_to)
        return;
    Draw *d = c->d;
    int k = n->grow_len < 6 ? (int)n->grow_len : 6, sz = S(d, 12);
    SDL_Rect a = hs->grow_from, z = hs->grow_to;
    for (int i = 0; i < k; i++) {
        float ti = t * (1 + 0.15f * k) - 0.15f * i; /* staggered */
        if (ti <= 0)
            continue;
        if (ti > 1)
            ti = 1;
        int x = a.x + a.w / 2 + (int)((z.x + z.w / 2 - a.x - a.w / 2) * ti) - sz / 2;
        int y = a.y + a.h / 2 + (int)((z.y + z.h / 2 - a.y - a.h / 2) * ti) - sz / 2 -
                (int)(S(d, 24) * 4 * ti * (1 - ti)); /* a little arc */
        draw_round(d, (SDL_Rect){x, y, sz, sz}, S(d, 2), d->pal->accent2);
    }
}

/* Sub-objects of a container drawn across r at their byte offsets. */
static void subs_in(Ctx *c, HeapScratch *hs, const WObj *ct, SDL_Rect r)
{
    uint64_t span = ct->rounded ? ct->rounded : 16;
    for (uint32_t i = lower(hs->subs, hs->nsubs, ct->addr); i < hs->nsubs; i++) {
        const WObj *s = hs->subs[i];
        if (s->addr >= ct->addr + span)
            break;
        double end = (double)(s->addr - ct->addr + (s->size ? s->size : 1)) / span;
        int x0 = r.x + (int)((double)(s->addr - ct->addr) / span * r.w);
        int x1 = r.x + (int)((end < 1 ? end : 1) * r.w); /* a size past the end: a bad trace */
        if (x1 - x0 < 2)
            x1 = x0 + 2;
        SDL_Rect sr = {x0, r.y + S(c->d, 3), x1 - x0 - (x1 - x0 > 3), r.h - S(c->d, 6)};
        obj_box(c, hs, s, sr);
    }
}

/* Objects freed while this step plays fade out of their slots (garbage grey
 * shrinking away) instead of vanishing. */
static void fade_freed(Ctx *c, const WSpan *sp, uint64_t bytes, uint32_t elemsize,
                       SDL_Rect grid, int perrow, int cs, int gap, uint32_t maxcells)
{
    const WNarration *n = &c->w->nar;
    for (uint32_t k = 0; k < WORLD_FREED && k < n->freed_next; k++) {
        uint64_t addr = n->freed[k].addr;
        if (!recent(c, n->freed[k].at) || addr < sp->base || addr >= sp->base + bytes || !elemsize)
            continue;
        uint64_t slot = (addr - sp->base) / elemsize;
        float t = appear(c, n->freed[k].at);
        if (slot >= maxcells || t >= 1)
            continue;
        int s = (int)(cs * (1 - t));
        SDL_Rect cell = {grid.x + (int)(slot % (uint32_t)perrow) * (cs + gap) + (cs - s) / 2,
                         grid.y + (int)(slot / (uint32_t)perrow) * (cs + gap) + (cs - s) / 2, s, s};
        draw_fill(c->d, cell, mix(c->d->pal->free_slot, c->d->pal->garbage, 1 - t));
    }
}

/* Where a span row's parts go: its labels' height, the slot cell's size
 * and gap, cells per grid row and grid rows shown; and the row's height.
 * compact: a pane too short for one whole row gets its first label line
 * and one row of slots. */
typedef struct {
    int lh, cs, gap, perrow, h;
    uint32_t rows;
} RowGeom;

/* A large object's bar: room for its type's label, more when not compact. */
static int bar_height(Ctx *c, bool compact)
{
    Draw *d = c->d;
    return compact ? text_height(d, FACE_BOLD, S(d, 13)) + S(d, 4)
                   : (int)(S(d, 20) * c->v->zoom) + S(d, 10);
}

static RowGeom row_geom(Ctx *c, const WSpan *sp, int gridw, bool compact)
{
    Draw *d = c->d;
    RowGeom g = {text_height(d, FACE_BOLD, S(d, 15)) + text_height(d, FACE_SANS, S(d, 12)),
                 (int)(S(d, 20) * c->v->zoom), S(d, 2) > 1 ? S(d, 2) : 1, 0, 0, 0};
    int pad = compact ? S(d, 4) : S(d, 12);
    if (compact)
        g.lh = text_height(d, FACE_BOLD, S(d, 15));
    if (sp->cls == 0 || sp->nelems == 1) { /* a large object: one bar */
        int bh = bar_height(c, compact);
        g.h = (bh + S(d, 4) > g.lh ? bh + S(d, 4) : g.lh) + pad - S(d, 2);
        return g;
    }
    g.perrow = gridw / (g.cs + g.gap);
    if (g.perrow <= 0) {
        g.h = g.lh;
        return g;
    }
    /* Two rows of slots at zoom 1; zooming in shows more rows. */
    uint32_t maxrows = compact ? 1 : (uint32_t)(2 * c->v->zoom * c->v->zoom);
    uint64_t need = ((uint64_t)sp->nelems + (uint32_t)g.perrow - 1) / (uint32_t)g.perrow;
    g.rows = need > maxrows ? (maxrows ? maxrows : 1) : (uint32_t)need;
    int gh = (int)g.rows * (g.cs + g.gap);
    g.h = (gh > g.lh ? gh : g.lh) + pad;
    return g;
}

static uint64_t span_bytes(const Ctx *c, const WSpan *sp)
{
    uint64_t bytes = sp->npages * (uint64_t)(c->w->params.page_size ? c->w->params.page_size : 8192);
    if (bytes > UINT64_MAX - sp->base) /* a span past the address space: a bad trace */
        bytes = UINT64_MAX - sp->base;
    return bytes;
}

static int span_row(Ctx *c, HeapScratch *hs, const WSpan *sp, SDL_Rect row, int lw,
                    bool compact)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    uint64_t pages = sp->npages, bytes = span_bytes(c, sp);
    uint32_t first = lower(hs->objs, hs->nobjs, sp->base), last = lower(hs->objs, hs->nobjs, sp->base + bytes);
    uint32_t used = last - first, elemsize = sp->elemsize;
    if (used && hs->objs[first]->rounded)
        elemsize = hs->objs[first]->rounded;
    char l1[64], l2[64], sz[32];
    fmt_bytes(sz, sizeof sz, sp->cls ? elemsize : bytes);
    snprintf(l1, sizeof l1, sp->cls ? "%s · class %u" : "%s · large", sz, sp->cls);
    snprintf(l2, sizeof l2, "%llu page%s · %u/%u used%s", (unsigned long long)pages,
             pages == 1 ? "" : "s", used, sp->nelems, sp->noscan ? " · noscan" : "");
    float a = appear(c, sp->born);
    draw_text(d, FACE_BOLD, S(d, 15), mix(p->panel, p->title, a), row.x, row.y, l1, ALIGN_LEFT, lw);
    if (!compact)
        draw_text(d, FACE_SANS, S(d, 12), p->dim, row.x,
                  row.y + text_height(d, FACE_BOLD, S(d, 15)), l2, ALIGN_LEFT, lw);
    SDL_Rect grid = {row.x + lw, row.y, row.w - lw, 0};
    RowGeom g = row_geom(c, sp, grid.w, compact);
    int cs = g.cs, gap = g.gap, perrow = g.perrow;
    uint32_t rows = g.rows;
    if (sp->cls == 0 || sp->nelems == 1) { /* a large object: one bar */
        int h = bar_height(c, compact);
        SDL_Rect bar = {grid.x, grid.y + S(d, 2), grid.w, h};
        draw_fill(d, bar, p->free_slot);
        if (used) {
            const WObj *o = hs->objs[first];
            obj_box(c, hs, o, bar);
            subs_in(c, hs, o, bar);
            if (!o->nsub)
                draw_label(d, FACE_BOLD, S(d, 13), on_color(p, obj_color(c, o)), bar.x + S(d, 8),
                           bar.y + (h - text_height(d, FACE_BOLD, S(d, 13))) / 2, str(c, o->type),
                           ALIGN_LEFT, bar.w - S(d, 16));
        }
        return g.h;
    }
    if (perrow <= 0)
        return g.h;
    uint32_t maxcells = (uint32_t)perrow * rows;
    if (maxcells > sp->nelems)
        maxcells = sp->nelems;
    for (uint32_t i = 0; i < maxcells; i++) {
        SDL_Rect cell = {grid.x + (int)(i % (uint32_t)perrow) * (cs + gap),
                         grid.y + (int)(i / (uint32_t)perrow) * (cs + gap), cs, cs};
        draw_fill(d, cell, p->free_slot);
    }
    if (maxcells < sp->nelems) {
        char more[48];
        snprintf(more, sizeof more, "+%u slots", sp->nelems - maxcells);
        int x = grid.x + (int)(perrow - 1) * (cs + gap) + cs;
        int y = grid.y + (int)(rows - 1) * (cs + gap);
        int tw = text_width(d, FACE_SANS, S(d, 12), more) + S(d, 10);
        draw_fill(d, (SDL_Rect){x - tw, y, tw, cs}, p->panel);
        draw_text(d, FACE_SANS, S(d, 12), p->dim, x, y + (cs - text_height(d, FACE_SANS, S(d, 12))) / 2,
                  more, ALIGN_RIGHT, 0);
        uint32_t hidden = (uint32_t)((tw + cs + gap - 1) / (cs + gap)); /* under the label */
        maxcells = maxcells > hidden ? maxcells - hidden : 0;
    }
    fade_freed(c, sp, bytes, elemsize, grid, perrow, cs, gap, maxcells);
    for (uint32_t k = first; k < last; k++) {
        const WObj *o = hs->objs[k];
        uint64_t slot = (o->addr - sp->base) / (elemsize ? elemsize : 1);
        if (slot >= maxcells)
            continue;
        SDL_Rect cell = {grid.x + (int)(slot % (uint32_t)perrow) * (cs + gap),
                         grid.y + (int)(slot / (uint32_t)perrow) * (cs + gap), cs, cs};
        obj_box(c, hs, o, cell);
        if (o->kind == OBJ_TINY_BLOCK)
            subs_in(c, hs, o, cell);
    }
    return g.h;
}

/* The kinds present, left to right in r; returns where the last one ends. */
static int legend(Ctx *c, SDL_Rect r, const bool *present)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    int x = r.x, px = S(d, 13), sw = S(d, 12);
    for (int k = 0; k <= OBJ_COUNT; k++) {
        if (k < OBJ_COUNT && !present[k])
            continue;
        const char *name = k < OBJ_COUNT ? objkind_name((unsigned)k) : "garbage";
        SDL_Color col = k < OBJ_COUNT ? p->kind[k] : p->garbage;
        int tw = text_width(d, FACE_SANS, px, name);
        if (x + sw + tw + S(d, 8) > r.x + r.w)
            break;
        draw_fill(d, (SDL_Rect){x, r.y + S(d, 3), sw, sw}, col);
        draw_text(d, FACE_SANS, px, p->dim, x + sw + S(d, 5), r.y, name, ALIGN_LEFT, 0);
        x += sw + tw + S(d, 18);
    }
    return x;
}

static void tooltip(Ctx *c, const WObj *o, SDL_Rect at, SDL_Rect pane)
{
    char l[4][96], sz[32], rs[32];
    fmt_bytes(sz, sizeof sz, o->size);
    fmt_bytes(rs, sizeof rs, o->rounded);
    snprintf(l[0], sizeof l[0], "%s", str(c, o->type));
    snprintf(l[1], sizeof l[1], "0x%llx  %s (%s in %s)", (unsigned long long)o->addr, sz, rs,
             space_name(o->space));
    snprintf(l[2], sizeof l[2], "%s · %s · g%u", objkind_name(o->kind),
             o->state == OBJ_GARBAGE ? "garbage" : "live", o->g);
    snprintf(l[3], sizeof l[3], "allocated at event %llu", (unsigned long long)o->born);
    hover_box(c, at, pane, l, 4);
}

/* Keep only the objects inside some span (nothing else is drawn), so that a
 * World of many objects and few spans sorts few.  spans are by base. */
static void keep_in_spans(const World *w, HeapScratch *hs, const WSpan **spans)
{
    uint64_t page = w->params.page_size ? w->params.page_size : 8192;
    uint64_t *maxend = malloc((w->spans.n + 1) * sizeof *maxend), end = 0;
    for (uint32_t i = 0; i < w->spans.n; i++) {
        uint64_t e = spans[i]->base + (uint64_t)spans[i]->npages * page;
        maxend[i] = end = e > end ? e : end;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < hs->nobjs; i++) {
        uint64_t a = hs->objs[i]->addr;
        uint32_t lo = 0, hi = w->spans.n; /* first span with base > a */
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (spans[mid]->base <= a)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo && maxend[lo - 1] > a)
            hs->objs[k++] = hs->objs[i];
    }
    hs->nobjs = k;
    free(maxend);
}

/* How much happened in sp since the current step began: the span made,
 * objects in it allocated or turned garbage, objects freed. */
static uint32_t span_step_changes(const Ctx *c, const HeapScratch *hs, const WSpan *sp)
{
    const WNarration *n = &c->w->nar;
    uint64_t since = n->step_at, end = sp->base + span_bytes(c, sp);
    if (since == UINT64_MAX)
        return 0;
    uint32_t k = sp->born >= since;
    for (uint32_t i = lower(hs->objs, hs->nobjs, sp->base); i < hs->nobjs && hs->objs[i]->addr < end; i++)
        k += hs->objs[i]->born >= since || hs->objs[i]->changed >= since;
    for (uint32_t i = lower(hs->subs, hs->nsubs, sp->base); i < hs->nsubs && hs->subs[i]->addr < end; i++)
        k += hs->subs[i]->born >= since || hs->subs[i]->changed >= since;
    for (uint32_t f = 0; f < WORLD_FREED && f < n->freed_next; f++)
        k += n->freed[f].at >= since && n->freed[f].addr >= sp->base && n->freed[f].addr < end;
    return k;
}

typedef struct {
    uint32_t i, changes;
    int h;
} RowPick;

static int by_changes(const void *a, const void *b)
{
    const RowPick *x = a, *y = b;
    if (x->changes != y->changes)
        return x->changes > y->changes ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

enum { ROW_HIDDEN, ROW_FULL, ROW_COMPACT };

/* Which spans get a row when not all fit in avail pixels (show[i]): the
 * ones where the current step changed most first, then the others in
 * address order, only whole rows; always at least one, compact if it must
 * be.  Rows are drawn in address order.  Returns how many are shown. */
static uint32_t pick_rows(Ctx *c, const HeapScratch *hs, const WSpan **spans, uint32_t n,
                          int avail, int gridw, uint8_t *show)
{
    RowPick *r = malloc((n + 1) * sizeof *r);
    int total = 0;
    for (uint32_t i = 0; i < n; i++) {
        r[i] = (RowPick){i, 0, row_geom(c, spans[i], gridw, false).h};
        total += r[i].h;
        show[i] = ROW_FULL;
    }
    if (total <= avail) {
        free(r);
        return n;
    }
    for (uint32_t i = 0; i < n; i++)
        r[i].changes = span_step_changes(c, hs, spans[i]);
    qsort(r, n, sizeof *r, by_changes);
    uint32_t shown = 0;
    for (uint32_t k = 0; k < n; k++) {
        show[r[k].i] = r[k].h <= avail ? ROW_FULL : shown ? ROW_HIDDEN : ROW_COMPACT;
        if (show[r[k].i] == ROW_FULL)
            avail -= r[k].h;
        else if (show[r[k].i] == ROW_COMPACT)
            avail -= row_geom(c, spans[r[k].i], gridw, true).h;
        shown += show[r[k].i] != ROW_HIDDEN;
    }
    free(r);
    return shown;
}

/* "+N more spans" in what is left of the pane, if a line fits there; else
 * at the right end of the legend's row, if it has room. */
static void more_spans(Ctx *c, uint32_t n, SDL_Rect r, SDL_Rect legend_rest)
{
    Draw *d = c->d;
    char buf[64];
    snprintf(buf, sizeof buf, "+%u more span%s: drag the pane to see", n, n == 1 ? "" : "s");
    int px = S(d, 12);
    if (c->v->still) /* paper is not dragged */
        snprintf(buf, sizeof buf, "+%u more span%s", n, n == 1 ? "" : "s");
    if (r.h >= text_height(d, FACE_SANS, px)) {
        draw_text(d, FACE_SANS, px, d->pal->dim, r.x, r.y, buf, ALIGN_LEFT, r.w);
        return;
    }
    snprintf(buf, sizeof buf, "+%u more span%s", n, n == 1 ? "" : "s");
    if (text_width(d, FACE_SANS, px, buf) > legend_rest.w)
        return;
    SDL_Rect body; /* the rows' clip: the legend's row lies above it */
    SDL_RenderGetClipRect(d->r, &body);
    SDL_RenderSetClipRect(d->r, &legend_rest);
    draw_text(d, FACE_SANS, px, d->pal->dim, legend_rest.x + legend_rest.w, legend_rest.y, buf,
              ALIGN_RIGHT, 0);
    SDL_RenderSetClipRect(d->r, &body);
}

void render_heap(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const World *w = c->w;
    char sub[96], live[32];
    fmt_bytes(live, sizeof live, w->c.live_bytes);
    snprintf(sub, sizeof sub, "%u span%s · %llu object%s · %s in use", w->spans.n,
             w->spans.n == 1 ? "" : "s", (unsigned long long)w->c.objects,
             w->c.objects == 1 ? "" : "s", live);
    SDL_Rect in = draw_card(d, r, "Heap", sub);
    HeapScratch hs = {0};
    hs.objs = malloc((w->objs.n + 1) * sizeof *hs.objs);
    hs.subs = malloc((w->objs.n + 1) * sizeof *hs.subs);
    const WSpan **spans = malloc((w->spans.n + 1) * sizeof *spans);
    bool present[OBJ_COUNT];
    for (int k = 0; k < OBJ_COUNT; k++)
        present[k] = w->c.heap_kind[k] > 0;
    const WObj *o;
    for (uint32_t i = 0; w->spans.n && (o = wobj_next(w, &i)); i++) {
        if (o->space == SPACE_STACK || o->space == SPACE_STATIC)
            continue; /* without spans rows, no object is drawn: skip the pass */
        if (o->space == SPACE_TINY || o->space == SPACE_ARENA)
            hs.subs[hs.nsubs++] = o;
        else
            hs.objs[hs.nobjs++] = o;
    }
    uint64_t nheap = w->c.heap_whole; /* for the message when there are no spans */
    for (uint32_t i = 0; i < w->spans.n; i++)
        spans[i] = &w->spans.v[i];
    qsort(spans, w->spans.n, sizeof *spans, span_by_base);
    if (w->spans.n) { /* rows look objects up by address */
        keep_in_spans(w, &hs, spans);
        qsort(hs.objs, hs.nobjs, sizeof *hs.objs, by_addr);
        qsort(hs.subs, hs.nsubs, sizeof *hs.subs, by_addr);
    }
    int lx = legend(c, (SDL_Rect){in.x, in.y, in.w, S(d, 20)}, present);
    SDL_Rect legend_rest = {lx, in.y, in.x + in.w - lx, S(d, 20)};
    SDL_Rect body = {in.x, in.y + S(d, 28), in.w, in.h - S(d, 28)};
    SDL_RenderSetClipRect(d->r, &body);
    int y = body.y - c->v->pan_y, lw = S(d, 190);
    int bottom = body.y + body.h;
    /* Unscrolled, whole rows only, for the spans where the step changed
     * most first, and a line says how many more there are (the header
     * counts them anyway); dragging the pane shows them all. */
    uint8_t *show = malloc(w->spans.n + 1);
    uint32_t shown = w->spans.n;
    if (!c->v->pan_y)
        shown = pick_rows(c, &hs, spans, w->spans.n, body.h, body.w - lw, show);
    for (uint32_t i = 0; i < w->spans.n && y < bottom; i++)
        if (c->v->pan_y || show[i]) {
            SDL_Rect row = {body.x, y, body.w, 0};
            y += span_row(c, &hs, spans[i], row, lw, !c->v->pan_y && show[i] == ROW_COMPACT);
        }
    if (shown < w->spans.n)
        more_spans(c, w->spans.n - shown, (SDL_Rect){body.x, y, body.w, bottom - y}, legend_rest);
    free(show);
    if (!w->spans.n) { /* an empty heap is a lesson's point too (a map in the frame) */
        char msg[96], num[32];
        fmt_count(num, sizeof num, nheap);
        snprintf(msg, sizeof msg, "%s objects, no spans recorded", num);
        draw_text(d, FACE_SANS, S(d, 15), d->pal->dim, body.x, body.y,
                  nheap ? msg : w->c.allocs ? "nothing on the heap" : "nothing on the heap yet",
                  ALIGN_LEFT, body.w);
    }
    slice_copy_flight(c, &hs);
    if (hs.hover) {
        tooltip(c, hs.hover, hs.hover_at, r);
        c->hit = (Hit){hs.hover->addr, 0, HIT_OBJECT};
    }
    SDL_RenderSetClipRect(d->r, &r);
    free(hs.objs);
    free(hs.subs);
    free(spans);
}
