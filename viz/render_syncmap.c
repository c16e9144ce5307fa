/*
 * render_syncmap.c — the sync.Map pane: read and dirty side by side (their
 * keys, each marked when its entry is nil or expunged; amended), misses
 * against len(dirty), and the entries with their states (value, nil,
 * expunged), with details under the pointer.
 *
 * Invariant: read and dirty are drawn from the hmaps the World rebuilt at
 * their addresses; an entry's state is the World's, never inferred here.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STEP_KEYS = 16 };

/* Up to STEP_KEYS keys of sync.Map sm whose entries the current step
 * changed (stored, deleted, expunged, put back), as slots label them. */
static int step_keys(const World *w, uint64_t sm, char (*keys)[24])
{
    int n = 0;
    uint64_t since = w->nar.step_at;
    for (uint32_t i = 0; since != UINT64_MAX && i < w->entries.n && n < STEP_KEYS; i++)
        if (w->entries.v[i].m == sm && w->entries.v[i].changed >= since)
            snprintf(keys[n++], sizeof keys[0], "%lld", (long long)w->entries.v[i].key);
    return n;
}

static bool label_in(const char *lab, char (*keys)[24], int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(lab, keys[i]))
            return true;
    return false;
}

/* The entries of one sync.Map that are not plain values (p = nil or
 * expunged) and still held, by key: read and dirty share an entry, so a
 * key's chip on either side shows its state.  A frame's pass over every
 * entry, as the entries row makes. */
typedef struct {
    const WEntry **v;
    uint32_t n;
} OddEntries;

static int by_key(const void *a, const void *b)
{
    int64_t x = (*(const WEntry *const *)a)->key, y = (*(const WEntry *const *)b)->key;
    return (x > y) - (x < y);
}

static OddEntries odd_entries(const World *w, uint64_t sm)
{
    OddEntries o = {malloc((w->entries.n + 1) * sizeof *o.v), 0};
    uint64_t gone;
    for (uint32_t i = 0; o.v && i < w->entries.n; i++) {
        const WEntry *e = &w->entries.v[i];
        if (e->m == sm && e->state != ENTRY_VALUE && world_sm_entry_held(w, e, &gone))
            o.v[o.n++] = e;
    }
    qsort(o.v, o.n, sizeof *o.v, by_key);
    return o;
}

/* The state of the entry of the key labelled lab (its decimal). */
static EntryState key_state(const OddEntries *o, const char *lab)
{
    char *end;
    int64_t k = strtoll(lab, &end, 10);
    uint32_t lo = 0, hi = o->n;
    if (*end || end == lab)
        return ENTRY_VALUE;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (o->v[mid]->key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < o->n && o->v[lo]->key == k ? (EntryState)o->v[lo]->state : ENTRY_VALUE;
}

/* A key's chip in its side's colour, or, when its entry is deleted (p =
 * nil) or expunged, in the entries row's colour for that state and saying
 * so. */
static void key_chip(Ctx *c, SDL_Rect chip, const char *lab, EntryState st, SDL_Color col,
                     float a)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    static const char *const tag[] = {"", ": nil", ": expunged"};
    if (st != ENTRY_VALUE)
        col = st == ENTRY_EXPUNGED ? p->bad : p->garbage;
    draw_round(d, chip, S(d, 5), mix(p->panel, col, (st != ENTRY_VALUE ? 0.6f : 0.35f) * a));
    char buf[80];
    snprintf(buf, sizeof buf, "key %s%s", lab, tag[st]);
    if (text_width(d, FACE_MONO, S(d, 10), buf) > chip.w - S(d, 12))
        snprintf(buf, sizeof buf, "%s%s", lab, tag[st]); /* narrow: no "key" */
    if (text_width(d, FACE_MONO, S(d, 10), buf) > chip.w - S(d, 12))
        snprintf(buf, sizeof buf, "%s", lab); /* narrower: the colour says it */
    draw_text_fit(d, FACE_MONO, S(d, 14), S(d, 10), p->title, chip.x + S(d, 8),
                  chip.y + S(d, 2), buf, ALIGN_LEFT, chip.w - S(d, 12));
}

/* The keys in map h (labels of its used slots) of sync.Map sm, as a column
 * of chips: those the current step changed first, then the rest in bucket
 * order; the last row says how many more there are when not all fit. */
static void key_column(Ctx *c, uint64_t sm, uint64_t h, SDL_Rect r, SDL_Color col, float a,
                       const OddEntries *odd)
{
    Draw *d = c->d;
    const World *w = c->w;
    const WMap *m = world_map(w, h);
    int lh = text_height(d, FACE_MONO, S(d, 14)) + S(d, 6);
    if (!m)
        return;
    int rows = r.h / lh, shown = 0;
    uint32_t nkeys = m->used;
    if (nkeys > (uint32_t)rows && rows > 0) { /* the last row for "+N more" */
        char more[32];
        if (rows > 1)
            snprintf(more, sizeof more, "+%u more", nkeys - (uint32_t)(rows - 1));
        else /* no room for a chip: the count alone */
            snprintf(more, sizeof more, "%u keys", nkeys);
        if (text_width(d, FACE_SANS, S(d, 13), more) > r.w - S(d, 8)) /* narrow */
            snprintf(more, sizeof more, rows > 1 ? "+%u" : "%u", nkeys - (uint32_t)(rows - 1));
        draw_text(d, FACE_SANS, S(d, 13), d->pal->dim, r.x + S(d, 8),
                  r.y + (rows - 1) * lh + S(d, 2), more, ALIGN_LEFT, r.w - S(d, 8));
        rows--;
    }
    char keys[STEP_KEYS][24];
    int nk = nkeys > (uint32_t)rows ? step_keys(w, sm, keys) : 0, mi = map_index_of(w, m);
    for (int pass = nk ? 0 : 1; pass < 2; pass++)
        for (uint32_t i = 0; i < w->buckets.n && shown < rows; i++) {
            const WBucket *b = &w->buckets.v[i];
            for (int s = 0; b->map == mi && s < 8 && shown < rows; s++) {
                char lab[48];
                if (b->tophash[s] <= 4 || !slot_label(c, b, s, lab, sizeof lab) ||
                    label_in(lab, keys, nk) == (pass == 1))
                    continue;
                key_chip(c, (SDL_Rect){r.x, r.y + shown++ * lh, r.w, lh - S(d, 3)}, lab,
                         key_state(odd, lab), col, a);
            }
        }
}

static void sm_side(Ctx *c, SDL_Rect r, const char *title, const char *badge, uint64_t sm,
                    uint64_t h, SDL_Color col, float a, const OddEntries *odd)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    draw_edged(d, r, S(d, 8), 2, S(d, 7), mix(p->panel, col, 0.5f * a), p->panel);
    int tw = draw_text(d, FACE_BOLD, S(d, 15), mix(p->panel, p->title, a), r.x + S(d, 10),
                       r.y + S(d, 6), title, ALIGN_LEFT, r.w - S(d, 20));
    int top = r.y + S(d, 12) + text_height(d, FACE_BOLD, S(d, 15));
    if (badge && text_width(d, FACE_BOLD, S(d, 10), badge) <= r.w - tw - S(d, 30)) {
        draw_text_fit(d, FACE_BOLD, S(d, 12), S(d, 10), p->accent2, r.x + S(d, 18) + tw,
                      r.y + S(d, 9), badge, ALIGN_LEFT, r.w - tw - S(d, 30));
    } else if (badge) { /* a narrow side: the badge under its title, up to its edges */
        draw_text_fit(d, FACE_BOLD, S(d, 12), S(d, 8), p->accent2, r.x + S(d, 5), top - S(d, 4),
                      badge, ALIGN_LEFT, r.w - S(d, 8));
        top += text_height(d, FACE_BOLD, S(d, 12));
    }
    if (!h) {
        draw_text(d, FACE_MONO, S(d, 14), p->dim, r.x + S(d, 10), top, "nil", ALIGN_LEFT, 0);
        return;
    }
    key_column(c, sm, h, (SDL_Rect){r.x + S(d, 8), top, r.w - S(d, 16), r.y + r.h - top - S(d, 6)},
               col, a, odd);
}

/* Whether map h holds key (labelled as its decimal): 1 yes, 0 no, -1
 * unknown (no such map, or more buckets than one hover may look through;
 * overflow chains count, so a looping chain in a bad trace ends too). */
static int holds_key(Ctx *c, uint64_t h, int64_t key)
{
    const WMap *m = world_map(c->w, h);
    uint32_t budget = 8192;
    if (!m)
        return -1;
    char want[24], lab[48];
    snprintf(want, sizeof want, "%lld", (long long)key);
    const uint64_t base[2] = {m->buckets, m->growing ? m->oldbuckets : 0};
    const uint32_t count[2] = {m->nbuckets, m->growing ? m->noldbuckets : 0};
    for (int a = 0; a < 2; a++)
        for (uint32_t i = 0; base[a] && i < count[a]; i++) {
            const WBucket *b = world_bucket(c->w, base[a] + (uint64_t)i * m->bucketsize);
            if (budget-- == 0)
                return -1;
            for (; b; b = b->overflow ? world_bucket(c->w, b->overflow) : NULL) {
                if (budget-- == 0)
                    return -1;
                for (int s = 0; s < 8; s++)
                    if (b->tophash[s] > 4 && slot_label(c, b, s, lab, sizeof lab) &&
                        !strcmp(lab, want))
                        return 1;
            }
        }
    return 0;
}

/* What the pointer is over: an entry, what its p means (after the comment
 * on sync.entry, sync/map.go:83-90), and which maps hold its key. */
static void entry_details(Ctx *c, const WSyncMap *sm, const WEntry *e, SDL_Rect at, SDL_Rect pane)
{
    static const char *const yn[] = {"?", "no", "yes"};
    char t[HOVER_LINES][96];
    int n = 0;
    snprintf(t[n++], sizeof t[0], "*entry 0x%llx · key %lld", (unsigned long long)e->entry,
             (long long)e->key);
    if (e->state == ENTRY_VALUE) {
        snprintf(t[n++], sizeof t[0], "p -> 0x%llx, the value", (unsigned long long)e->value);
    } else if (e->state == ENTRY_EXPUNGED) {
        snprintf(t[n++], sizeof t[0], "p = expunged: deleted, and left out of dirty;");
        snprintf(t[n++], sizeof t[0], "a Store must put it back in dirty first");
    } else {
        snprintf(t[n++], sizeof t[0], "p = nil: deleted");
    }
    int r = sm->readmap ? holds_key(c, sm->readmap, e->key) : 0;
    if (sm->dirty)
        snprintf(t[n++], sizeof t[0], "key in read: %s · in dirty: %s", yn[r + 1],
                 yn[holds_key(c, sm->dirty, e->key) + 1]);
    else
        snprintf(t[n++], sizeof t[0], "key in read: %s · dirty is nil", yn[r + 1]);
    uint64_t gone;
    if (!world_sm_entry_held(c->w, e, &gone))
        snprintf(t[n++], sizeof t[0], "dropped at event %llu: no map holds it now",
                 (unsigned long long)gone);
    else
        snprintf(t[n++], sizeof t[0], "changed at event %llu", (unsigned long long)e->changed);
    hover_box(c, at, pane, t, n);
}

/* How much of entry e to show: 1 while a map holds it, fading to 0 as it
 * is dropped (when promotion or Delete left it in no map), then 0. */
static float entry_shown(const Ctx *c, const WSyncMap *s, const WEntry *e)
{
    uint64_t gone;
    if (e->m != s->m)
        return 0;
    if (world_sm_entry_held(c->w, e, &gone))
        return 1;
    return recent(c, gone) && c->v->phase < 1 ? 1 - appear(c, gone) : 0;
}

/* Entry chips in r in the given order, drawn if draw, the last row keeping
 * room to say how many did not fit; returns how many fit.  *hover: the
 * one under the pointer. */
static uint32_t entry_chips(Ctx *c, const WSyncMap *s, SDL_Rect r, const uint32_t *order,
                            uint32_t total, bool draw, const WEntry **hover, SDL_Rect *hover_at)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    static const char *const names[] = {"value", "nil", "expunged"};
    int x = r.x, y = r.y, px = S(d, 13), lh = text_height(d, FACE_MONO, px) + S(d, 8);
    int more_w = text_width(d, FACE_SANS, S(d, 12), "+9999 more") + S(d, 8), lx = x, ly = y;
    uint32_t shown = 0;
    for (; shown < total; shown++) {
        const WEntry *e = &c->w->entries.v[order[shown]];
        char buf[64];
        snprintf(buf, sizeof buf, "%lld: %s", (long long)e->key, names[e->state < 3 ? e->state : 1]);
        int tw = text_width(d, FACE_MONO, px, buf) + S(d, 16);
        if (x + tw > r.x + r.w)
            x = r.x, y += lh;
        bool last_row = y + 2 * lh > r.y + r.h;
        if (y + lh > r.y + r.h || (last_row && shown + 1 < total && x + tw + more_w > r.x + r.w))
            break;
        SDL_Rect chip = {x, y, tw, lh - S(d, 4)};
        x += tw + S(d, 8);
        lx = x, ly = y;
        if (!draw)
            continue;
        SDL_Color col = e->state == ENTRY_VALUE ? p->kind[OBJ_ENTRY]
                        : e->state == ENTRY_EXPUNGED ? p->bad : p->garbage;
        col = mix(p->panel, col, appear(c, e->changed) * entry_shown(c, s, e));
        draw_round(d, chip, S(d, 6), col);
        draw_text(d, FACE_MONO, px, on_color(p, col), chip.x + S(d, 8), y + S(d, 2), buf, ALIGN_LEFT, 0);
        if (pointer_over(c, chip))
            *hover = e, *hover_at = chip;
    }
    if (draw && shown < total && ly + lh <= r.y + r.h) {
        char more[32];
        snprintf(more, sizeof more, "+%u more", total - shown);
        if (lx + text_width(d, FACE_SANS, S(d, 12), more) > r.x + r.w && ly + 2 * lh <= r.y + r.h)
            lx = r.x, ly += lh; /* no room after the last chip: on the next row */
        draw_text(d, FACE_SANS, S(d, 12), p->dim, lx, ly + S(d, 3), more, ALIGN_LEFT,
                  r.x + r.w - lx);
    }
    return shown;
}

/* The entries a map holds, as chips in r, in the order they were recorded;
 * when not all fit, those the current step changed first.  Details of the
 * one under the pointer inside pane. */
static void entries(Ctx *c, const WSyncMap *s, SDL_Rect r, SDL_Rect pane)
{
    const WEntry *hover = NULL;
    SDL_Rect hover_at = {0, 0, 0, 0};
    const World *w = c->w;
    uint32_t total = 0, *order = calloc(w->entries.n + 1, sizeof *order);
    for (uint32_t i = 0; i < w->entries.n; i++)
        if (entry_shown(c, s, &w->entries.v[i]) > 0)
            order[total++] = i;
    if (entry_chips(c, s, r, order, total, false, &hover, &hover_at) < total) {
        uint32_t n = 0;
        for (int pass = 0; pass < 2; pass++)
            for (uint32_t i = 0; i < w->entries.n; i++)
                if ((w->entries.v[i].changed >= w->nar.step_at) == !pass &&
                    entry_shown(c, s, &w->entries.v[i]) > 0)
                    order[n++] = i;
    }
    entry_chips(c, s, r, order, total, true, &hover, &hover_at);
    free(order);
    if (hover)
        entry_details(c, s, hover, hover_at, pane);
}

/* Misses against len(dirty) at y: promotion when the bar fills; a click
 * selects the misses and the promotions they forced. */
static void misses_row(Ctx *c, const WSyncMap *s, SDL_Rect in, int y)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    SDL_Rect row = {in.x - S(d, 4), y - S(d, 4), in.w + S(d, 8),
                    text_height(d, FACE_SANS, S(d, 14)) + S(d, 8)};
    selectable(c, row, (Hit){s->m, 1, HIT_MISSES}, row);
    char buf[96];
    uint64_t dlen = world_sm_dirty_len(c->w, s);
    snprintf(buf, sizeof buf, "misses %llu / len(dirty) %llu", (unsigned long long)s->misses,
             (unsigned long long)dlen);
    if (text_width(d, FACE_SANS, S(d, 14), buf) > in.w / 2) /* narrow: keep the numbers */
        snprintf(buf, sizeof buf, "misses %llu/%llu", (unsigned long long)s->misses,
                 (unsigned long long)dlen);
    draw_text_fit(d, FACE_SANS, S(d, 14), S(d, 11), p->text, in.x, y, buf, ALIGN_LEFT, in.w / 2);
    SDL_Rect bar = {in.x + in.w / 2, y + S(d, 4), in.w / 2, S(d, 10)};
    draw_round(d, bar, bar.h / 2, p->faint);
    if (dlen) {
        uint64_t m = s->misses < dlen ? s->misses : dlen;
        draw_round(d, (SDL_Rect){bar.x, bar.y, (int)(bar.w * m / dlen), bar.h}, bar.h / 2,
                   m == dlen ? p->warn : p->accent);
    }
}

/* The sync.Map the pane shows: the one an event changed last (lesson 9's
 * second benchmark stores big keys into a second sync.Map, while the
 * first, done with, stays in the World). */
static const WSyncMap *pick_sm(const World *w)
{
    const WSyncMap *s = &w->sms.v[0];
    for (uint32_t i = 1; i < w->sms.n; i++)
        if (w->sms.v[i].changed >= s->changed)
            s = &w->sms.v[i];
    return s;
}

void render_syncmap(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const World *w = c->w;
    SDL_Rect in = draw_card(d, r, "sync.Map", w->sms.n ? NULL : "");
    if (!w->sms.n) {
        draw_text(d, FACE_SANS, S(d, 15), p->dim, in.x, in.y, "no sync.Map yet", ALIGN_LEFT, in.w);
        return;
    }
    const WSyncMap *s = pick_sm(w);
    /* read and dirty come first; in a short pane the entries' row, then
     * the misses' row, give way to them */
    int eh = S(d, 64), mh = S(d, 40), need = S(d, 70);
    if (in.h < need + mh + eh)
        eh = 0;
    if (in.h < need + mh)
        mh = 0;
    SDL_Rect sides = {in.x, in.y, in.w, in.h - eh - mh};
    int half = (sides.w - S(d, 10)) / 2;
    float a = recent(c, s->promoted_at) ? appear(c, s->promoted_at) : 1;
    /* at promotion the dirty map slides over into the read slot */
    SDL_Rect rd = {sides.x, sides.y, half, sides.h};
    SDL_Rect dr = {sides.x + half + S(d, 10), sides.y, half, sides.h};
    OddEntries odd = odd_entries(w, s->m);
    if (a < 1) {
        SDL_Rect old = rd;
        sm_side(c, old, "read (old)", NULL, s->m, s->oldread, p->garbage, 1 - a, &odd);
        rd.x = dr.x - (int)((dr.x - rd.x) * a);
        sm_side(c, rd, "read", NULL, s->m, s->readmap, p->kind[OBJ_READONLY], 1, &odd);
        sm_side(c, dr, "dirty", NULL, s->m, 0, p->kind[OBJ_HMAP], a, &odd);
    } else {
        sm_side(c, rd, "read", s->amended ? "amended" : NULL, s->m, s->readmap,
                p->kind[OBJ_READONLY], 1, &odd);
        sm_side(c, dr, "dirty", NULL, s->m, s->dirty, p->kind[OBJ_HMAP], 1, &odd);
    }
    free(odd.v);
    if (mh)
        misses_row(c, s, in, sides.y + sides.h + S(d, 10));
    if (eh)
        entries(c, s, (SDL_Rect){in.x, in.y + in.h - eh, in.w, eh}, in);
}
