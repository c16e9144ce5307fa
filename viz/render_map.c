/*
 * render_map.c — the map pane (hmap: bucket array, tophash, key/value labels,
 * overflow chains, old and new arrays side by side during growth with the
 * evacuated buckets marked).  One bucket's box is render_bucket.c's; the
 * sync.Map pane is in render_syncmap.c.
 *
 * Invariant: a bucket is drawn from the World's bucket record at its address
 * (array base + i * bucketsize), or empty when the trace said nothing of it.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUCKETS 8

int map_index_of(const World *w, const WMap *m)
{
    return (int)(m - w->maps.v);
}

/* Where each shown bucket of a row was drawn (and its index in the array),
 * for the evacuation flight. */
typedef struct {
    SDL_Rect box[MAX_BUCKETS];
    uint32_t idx[MAX_BUCKETS];
    uint32_t n;
} RowBoxes;

/* Which of an array's n buckets (at base) a row shows, in idx, ascending:
 * all of them if they fit; else those whose chains changed last (the World
 * keeps them: an evacuation's X and Y halves, an insert's bucket), then the
 * first ones.  Returns how many. */
static uint32_t pick_buckets(const World *w, const WMap *m, uint64_t base, uint32_t n,
                             uint32_t *idx)
{
    uint32_t k = 0;
    if (n <= MAX_BUCKETS) {
        for (; k < n; k++)
            idx[k] = k;
        return k;
    }
    bool taken[MAX_BUCKETS] = {false}; /* of indexes below MAX_BUCKETS */
    for (int r = 0; r < WORLD_MAP_RECENT && k < MAX_BUCKETS; r++) {
        uint64_t a = w->nar.map_recent[r];
        if (!a || a < base || (a - base) % m->bucketsize || (a - base) / m->bucketsize >= n)
            continue;
        idx[k++] = (uint32_t)((a - base) / m->bucketsize);
        if (idx[k - 1] < MAX_BUCKETS)
            taken[idx[k - 1]] = true;
    }
    for (uint32_t i = 0; k < MAX_BUCKETS; i++)
        if (!taken[i])
            idx[k++] = i;
    for (uint32_t i = 1; i < k; i++) /* insertion sort: 8 at most */
        for (uint32_t j = i; j > 0 && idx[j - 1] > idx[j]; j--) {
            uint32_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    return k;
}

/* A bucket can be clicked (render.c's selectable). */
static void bucket_hit(Ctx *c, uint64_t addr, uint32_t size, SDL_Rect box)
{
    selectable(c, box, (Hit){addr, size ? size : 1, HIT_BUCKET},
               (SDL_Rect){box.x - 3, box.y - 3, box.w + 6, box.h + 6});
}

/* The overflow buckets chained to the shown buckets idx[0..shown) (four
 * hops each, MAX_BUCKETS in all), each with the column of its chain's
 * array bucket in parent; returns how many. */
static int row_overflows(const World *w, const WMap *m, uint64_t base, const uint32_t *idx,
                         uint32_t shown, const WBucket **ovf, int *parent)
{
    int nov = 0;
    for (uint32_t i = 0; i < shown && nov < MAX_BUCKETS; i++) {
        const WBucket *b = world_bucket(w, base + (uint64_t)idx[i] * m->bucketsize);
        for (int hop = 0; b && b->overflow && nov < MAX_BUCKETS && hop < 4; hop++) {
            b = world_bucket(w, b->overflow);
            if (b)
                ovf[nov] = b, parent[nov++] = (int)i;
        }
    }
    return nov;
}

/* A row's label, drawn last on the panel's colour: overflow arrows arc
 * through its line.  Slots too short to read (boxes box_h tall) say how
 * to make them taller; so do keys cut short while zoom has room to grow;
 * not in a still frame, which no wheel reaches (`render --map-zoom` is
 * its way). */
static void row_label(Ctx *c, SDL_Rect r, const char *label, int box_h, bool old, bool cut)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    char with_hint[128];
    bool texts;
    bucket_slot_px(d, box_h, &texts);
    if (!c->v->still && ((!texts && c->v->map_zoom <= 1) || (texts && cut && c->v->map_zoom < 4))) {
        snprintf(with_hint, sizeof with_hint, "%s · wheel: zoom to read the %s", label,
                 texts ? "keys" : "slots");
        if (text_width(d, FACE_BOLD, S(d, 13), with_hint) > r.w / 2) /* the short form */
            snprintf(with_hint, sizeof with_hint, "%s · wheel: zoom", label);
        if (text_width(d, FACE_BOLD, S(d, 13), with_hint) <= r.w / 2)
            label = with_hint;
    }
    int lw = text_width(d, FACE_BOLD, S(d, 13), label) + S(d, 4);
    draw_fill(d, (SDL_Rect){r.x, r.y, lw < r.w ? lw : r.w, text_height(d, FACE_BOLD, S(d, 13))},
              p->panel);
    draw_text(d, FACE_BOLD, S(d, 13), old ? p->dim : p->text, r.x, r.y, label, ALIGN_LEFT, r.w);
}

/* An array of buckets in a row, overflow chains after it; out (if not NULL)
 * gets the boxes of the shown buckets. */
static void bucket_row(Ctx *c, const WMap *m, uint64_t base, uint32_t n, SDL_Rect r,
                       const char *label, bool old, RowBoxes *out, SlotHover *hv)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const World *w = c->w;
    int top = r.y + text_height(d, FACE_BOLD, S(d, 13)) + S(d, 4);
    const WBucket *ovf[MAX_BUCKETS]; /* overflow buckets of this array, after it */
    int parent[MAX_BUCKETS];
    uint32_t idx[MAX_BUCKETS], shown = pick_buckets(w, m, base, n, idx);
    int nov = row_overflows(w, m, base, idx, shown, ovf, parent);
    int cols = (int)shown + nov, gap = S(d, 6);
    int bw = (r.w - gap * (cols - 1) - (nov ? S(d, 16) : 0)) / (cols ? cols : 1);
    if (bw > S(d, 150))
        bw = S(d, 150);
    SDL_Rect box = {r.x, top, bw, r.y + r.h - top};
    int xs[MAX_BUCKETS];
    bool cut = false; /* a key cut short in some bucket */
    for (uint32_t i = 0; i < shown; i++) {
        uint64_t addr = base + (uint64_t)idx[i] * m->bucketsize;
        char head[24], name[24];
        snprintf(head, sizeof head, "%s%u", old ? "old " : "b", idx[i]);
        /* the row says they are old; "b" goes only when it would be cut */
        if (text_width(d, FACE_BOLD, S(d, old ? 12 : 9), head) > bw - S(d, 4))
            snprintf(head, sizeof head, "%u", idx[i]);
        snprintf(name, sizeof name, "%sbucket %u", old ? "old " : "", idx[i]);
        cut |= bucket_box(c, world_bucket(w, addr), addr, name, box, head, p->accent2, old, hv);
        bucket_hit(c, addr, m->bucketsize, box);
        xs[i] = box.x;
        if (out) {
            out->idx[out->n] = idx[i];
            out->box[out->n++] = box;
        }
        box.x += bw + gap;
    }
    if (n > shown) {
        char more[32];
        snprintf(more, sizeof more, "+%u more", n - shown);
        draw_text(d, FACE_SANS, S(d, 12), p->dim, r.x + r.w, r.y, more, ALIGN_RIGHT, 0);
    }
    box.x += nov ? S(d, 16) : 0;
    /* "ovf", as map.go names them, where "overflow" would be cut */
    const char *ohead = text_width(d, FACE_BOLD, S(d, 9), "overflow") > bw - S(d, 4) ? "ovf"
                                                                                   : "overflow";
    for (int k = 0; k < nov; k++) {
        cut |= bucket_box(c, ovf[k], ovf[k]->addr, old ? "old overflow bucket" : "overflow bucket",
                          box, ohead, p->accent2, old, hv);
        bucket_hit(c, ovf[k]->addr, m->bucketsize, box);
        SDL_Point a = {xs[parent[k]] + bw / 2, top}, b = {box.x + bw / 2, top};
        SDL_Point mid = {(a.x + b.x) / 2, top - S(d, 26)};
        draw_curve_arrow(d, a, mid, b, p->kind[OBJ_OVERFLOW], S(d, 2));
        box.x += bw + gap;
    }
    row_label(c, r, label, box.h, old, cut);
}

/* Evacuation in flight: for every old bucket evacuated since the animation
 * started, its entries (one chip per half) travel to new bucket i (X) and
 * i + old count (Y) as the phase runs from 0 to 1. */
static void evacuation_flight(Ctx *c, const WMap *m, const RowBoxes *old,
                              const RowBoxes *now)
{
    Draw *d = c->d;
    float t = appear(c, c->v->from);
    if (t >= 1)
        return;
    for (uint32_t i = 0; i < old->n; i++) {
        uint32_t oi = old->idx[i];
        const WBucket *b = world_bucket(c->w, m->oldbuckets + (uint64_t)oi * m->bucketsize);
        if (!b || !recent(c, b->changed) || !(b->evacuated & BUCKET_EVACUATED))
            continue;
        for (int half = 0; half < 2; half++) {
            uint32_t dst = oi + (half ? m->noldbuckets : 0), k = 0;
            while (k < now->n && now->idx[k] != dst)
                k++;
            if (!(b->evacuated & (half ? BUCKET_TO_Y : BUCKET_TO_X)) || k == now->n ||
                (half && m->same_size))
                continue;
            SDL_Rect a = old->box[i], z = now->box[k];
            int w = S(d, 26), h = S(d, 18);
            int x = a.x + a.w / 2 + (int)((z.x + z.w / 2 - a.x - a.w / 2) * t) - w / 2;
            int y = a.y + a.h / 2 + (int)((z.y + S(d, 20) - a.y - a.h / 2) * t) - h / 2;
            SDL_Color col = half ? d->pal->warn : d->pal->accent;
            draw_round(d, (SDL_Rect){x, y, w, h}, S(d, 5), col);
            draw_text(d, FACE_BOLD, S(d, 12), on_color(d->pal, col), x + w / 2, y + S(d, 1),
                      half ? "Y" : "X", ALIGN_CENTER, 0);
        }
    }
}

/* "B=4 · 16 buckets + 2 spare overflow · 53 slots used", its words about
 * the spare buckets shorter (then gone) rather than its text smaller than
 * 12 units, or than 9, in w. */
static void map_counts(Draw *d, const WMap *m, int w, char *out, size_t n)
{
    static const char *const spare[] = {" + %u spare overflow", " +%u spare", ""};
    for (int px = 12; px >= 9; px -= 3)
        for (int v = m->nspare ? 0 : 2; v < 3; v++) {
            char sp[40];
            snprintf(sp, sizeof sp, spare[v], m->nspare);
            snprintf(out, n, "B=%u  ·  %u bucket%s%s  ·  %u slot%s used", m->B, m->nbuckets,
                     m->nbuckets == 1 ? "" : "s", sp, m->used, m->used == 1 ? "" : "s");
            if (text_width(d, FACE_MONO_BOLD, S(d, px), out) <= w)
                return;
        }
}

static void one_map(Ctx *c, const WMap *m, SDL_Rect r)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    char head[200], counts[128];
    map_counts(d, m, r.w, counts, sizeof counts); /* used: kept by the World */
    snprintf(head, sizeof head, "%s  ·  %s", str(c, m->type), counts);
    int hpx = S(d, 14), lh = text_height(d, FACE_MONO_BOLD, hpx), y = r.y;
    if (text_width(d, FACE_MONO_BOLD, S(d, 11), head) <= r.w) { /* one line */
        draw_text_fit(d, FACE_MONO_BOLD, hpx, S(d, 11), p->title, r.x, y, head, ALIGN_LEFT, r.w);
    } else { /* the type, then the counts under it */
        draw_text_fit(d, FACE_MONO_BOLD, hpx, S(d, 9), p->title, r.x, y, str(c, m->type),
                      ALIGN_LEFT, r.w);
        y += lh;
        draw_text_fit(d, FACE_MONO_BOLD, hpx, S(d, 9), p->title, r.x, y, counts, ALIGN_LEFT, r.w);
    }
    y += lh + S(d, 8);
    if (!m->buckets) {
        draw_text(d, FACE_SANS, S(d, 14), p->dim, r.x, y, "no buckets yet (allocated lazily)",
                  ALIGN_LEFT, r.w);
        return;
    }
    int h = r.y + r.h - y, vis = h;
    SDL_Rect area = {r.x, y, r.w, h}, pane_clip, clip;
    SDL_RenderGetClipRect(d->r, &pane_clip);
    if (c->v->map_zoom > 1) { /* taller rows, the pane scrolled over them */
        h = (int)(h * c->v->map_zoom);
        y -= c->v->map_pan < h - vis ? c->v->map_pan : h - vis;
        if (SDL_RectEmpty(&pane_clip) || !SDL_IntersectRect(&area, &pane_clip, &clip))
            clip = area;
        SDL_RenderSetClipRect(d->r, &clip);
    }
    RowBoxes oldrow = {.n = 0}, newrow = {.n = 0};
    SlotHover hv = {.addr = 0};
    if (m->growing) {
        char lab[96];
        snprintf(lab, sizeof lab, "old buckets (B=%u) · %u of %u evacuated%s", m->oldB,
                 m->nevacuated, m->noldbuckets, m->same_size ? " · same-size grow" : "");
        bucket_row(c, m, m->oldbuckets, m->noldbuckets, (SDL_Rect){r.x, y, r.w, h / 2 - S(d, 6)},
                   lab, true, &oldrow, &hv);
        y += h / 2 + S(d, 2);
        h -= h / 2 + S(d, 2);
    }
    bucket_row(c, m, m->buckets, m->nbuckets, (SDL_Rect){r.x, y, r.w, h},
               m->growing ? "new buckets" : "buckets", false, &newrow, &hv);
    if (m->growing)
        evacuation_flight(c, m, &oldrow, &newrow);
    SDL_RenderSetClipRect(d->r, SDL_RectEmpty(&pane_clip) ? NULL : &pane_clip);
    if (hv.addr)
        bucket_slot_details(c, &hv, r);
}

typedef enum { SHOW_LIVE, SHOW_INNER, SHOW_GONE } ShowWhy;

/* The newer of two maps (NULL: none), by when they were made: a record
 * is reused when the World's table is full, so the order of the table is
 * not the order of the program. */
static const WMap *newer(const WMap *a, const WMap *b)
{
    return !a || b->born > a->born ? b : a;
}

/* One of a map's bucket arrays. */
typedef struct {
    uint64_t lo, hi;
    const WMap *m;
} MapRange;

static int range_cmp(const void *a, const void *b)
{
    const MapRange *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The range holding all of [lo, hi) (r sorted and disjoint), or NULL. */
static const MapRange *range_holding(const MapRange *r, size_t n, uint64_t lo, uint64_t hi)
{
    size_t a = 0, b = n; /* the first range starting past lo */
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (r[mid].lo <= lo)
            a = mid + 1;
        else
            b = mid;
    }
    return a && r[a - 1].hi >= hi ? &r[a - 1] : NULL;
}

/* The live map whose buckets a core touched last, and when (*at), or NULL
 * (no caches, nothing touched).  A sync.Map's Load reads its read map and
 * changes nothing, so only the caches tell that a step was about that map
 * and not the program's own (lesson 8).  Only lines wholly inside a bucket
 * array count: a line shared with what lies beside the array (another
 * map's buckets, an hmap) says nothing about which of them was touched. */
static const WMap *touched_map(const World *w, uint64_t *at)
{
    MapRange r[2 * WORLD_MAX_MAPS];
    size_t n = 0;
    for (uint32_t i = 0; i < w->maps.n; i++) {
        const WMap *m = &w->maps.v[i];
        uint64_t gone, bs = m->bucketsize;
        if (!world_map_alive(w, m, &gone))
            continue; /* so the arrays are disjoint */
        if (m->buckets)
            r[n++] = (MapRange){m->buckets, m->buckets + (m->nbuckets + m->nspare) * bs, m};
        if (m->oldbuckets && m->growing)
            r[n++] = (MapRange){m->oldbuckets, m->oldbuckets + m->noldbuckets * bs, m};
    }
    qsort(r, n, sizeof *r, range_cmp);
    const WMap *best = NULL;
    uint64_t size = 1ull << w->line_shift;
    for (uint32_t i = 0; i < w->nlines && n; i++) {
        const WLine *l = &w->lines[i];
        const MapRange *hit;
        if (l->state != MESI_I && (!best || l->last > *at) &&
            (hit = range_holding(r, n, l->line, l->line + size)))
            best = hit->m, *at = l->last;
    }
    return best;
}

/* The map the pane shows: the newest the program made that still exists
 * (a lesson moves on to it; a local map goes with its frame), unless a
 * newer one went in the current step (the step is about its going:
 * lesson 10's arena.Free), or the caches say a map's buckets were touched
 * since it was made (the program moved on to that one: a sync.Map's read
 * map, lesson 8); else the newest a sync.Map uses inside, so its buckets
 * can be seen; else the newest that went.  NULL: no map. */
static const WMap *pick_map(const World *w, ShowWhy *why)
{
    const WMap *live = NULL, *inner = NULL, *gone = NULL;
    uint64_t gone_since = 0;
    for (uint32_t i = 0; i < w->maps.n; i++) {
        const WMap *m = &w->maps.v[i];
        bool internal = world_map_in_sm(w, m->h);
        uint64_t since;
        if (world_map_alive(w, m, &since)) {
            if (internal)
                inner = newer(inner, m);
            else
                live = newer(live, m);
        } else if (!internal && newer(gone, m) == m) {
            gone = m;
            gone_since = since;
        }
    }
    if (gone && gone_since && gone_since >= w->nar.step_at && newer(live, gone) == gone)
        return *why = SHOW_GONE, gone;
    uint64_t at = 0;
    const WMap *touched = touched_map(w, &at);
    if (touched && (!live || at >= live->born))
        return *why = world_map_in_sm(w, touched->h) ? SHOW_INNER : SHOW_LIVE, touched;
    if (live)
        return *why = SHOW_LIVE, live;
    *why = inner ? SHOW_INNER : SHOW_GONE;
    return inner ? inner : gone;
}

void render_map(Ctx *c, SDL_Rect r)
{
    const World *w = c->w;
    ShowWhy why;
    const WMap *shown = pick_map(w, &why);
    bool is_inner = why == SHOW_INNER, is_gone = why == SHOW_GONE;
    char sub[80] = "";
    if (shown) { /* the subtitle drops its words before its address */
        int room = r.w - 3 * S(c->d, 14) - text_width(c->d, FACE_BOLD, S(c->d, 15), "Map") -
                   S(c->d, 12);
        /* a hand-written table shaped like one (lesson 10's arena map) has a
         * header, not an hmap */
        const char *hdr = strncmp(str(c, shown->type), "map[", 4) ? "header" : "hmap";
        snprintf(sub, sizeof sub, "%s at 0x%llx%s", hdr, (unsigned long long)shown->h,
                 is_inner ? " (inside the sync.Map)" : is_gone ? " (gone)" : "");
        if ((is_inner || is_gone) && text_width(c->d, FACE_SANS, S(c->d, 13), sub) > room)
            snprintf(sub, sizeof sub, "%s at 0x%llx", hdr, (unsigned long long)shown->h);
    }
    SDL_Rect in = draw_card(c->d, r, "Map", sub);
    if (!shown) {
        draw_text(c->d, FACE_SANS, S(c->d, 15), c->d->pal->dim, in.x, in.y, "no map yet",
                  ALIGN_LEFT, in.w);
        return;
    }
    one_map(c, shown, in);
    if (is_gone) /* faded, as garbage is: what it held, no longer there */
        draw_fill(c->d, in, rgba(c->d->pal->panel, 150));
}
