/*
 * render_map.c — the map pane (hmap: bucket array, tophash, key/value labels,
 * overflow chains, old and new arrays side by side during growth with the
 * evacuated buckets marked) and the sync.Map pane (read and dirty side by
 * side, amended, misses against len(dirty), entry states).
 *
 * Invariant: a bucket is drawn from the World's bucket record at its address
 * (array base + i * bucketsize), or empty when the trace said nothing of it.
 */
#include "render.h"

#include <stdio.h>
#include <string.h>

#define MAX_BUCKETS 8
#define TOPHASH_EMPTY_MAX 1 /* emptyRest 0, emptyOne 1 */

static int map_index_of(const World *w, const WMap *m)
{
    return (int)(m - w->maps.v);
}

/* Slot s's label: the recorded string, or "key:elem" from its numbers.
 * False if it has none. */
static bool slot_label(Ctx *c, const WBucket *b, int s, char *buf, size_t n)
{
    unsigned bit = 1u << s;
    if (b->nums_key & bit) {
        if (b->nums_elem & bit)
            snprintf(buf, n, "%lld:%lld", (long long)b->key[s], (long long)b->elem[s]);
        else
            snprintf(buf, n, "%lld", (long long)b->key[s]);
        return true;
    }
    if (!b->label[s])
        return false;
    snprintf(buf, n, "%s", str(c, b->label[s]));
    return true;
}

/* The slot under the pointer, for its details once every bucket is drawn. */
typedef struct {
    const WBucket *b;           /* NULL: a bucket the trace never mentioned */
    uint64_t addr;              /* 0: no slot under the pointer */
    int slot;
    SDL_Rect at;
    char name[24];              /* "old bucket 2", "bucket 5", "overflow bucket" */
} SlotHover;

/* What the pointer is over: one slot of a bucket. */
static void slot_details(Ctx *c, const SlotHover *h, SDL_Rect pane)
{
    static const char *const mark[] = {
        "emptyRest: empty, as is every slot after it", "emptyOne: empty",
        "evacuatedX: its entry moved to new bucket i", "evacuatedY: its entry moved to new bucket i + old count",
        "evacuatedEmpty: empty when its bucket was evacuated"};
    const WBucket *b = h->b;
    char t[HOVER_LINES][96], lab[48];
    int n = 0, s = h->slot;
    snprintf(t[n++], sizeof t[0], "%s · slot %d · 0x%llx", h->name, s, (unsigned long long)h->addr);
    uint8_t th = b ? b->tophash[s] : 0;
    if (th > 4 && (b->nums_key >> s & 1)) {
        snprintf(lab, sizeof lab, ", elem %lld", (long long)b->elem[s]);
        snprintf(t[n++], sizeof t[0], "tophash 0x%02x · key %lld%s", th, (long long)b->key[s],
                 b->nums_elem >> s & 1 ? lab : "");
    } else if (th > 4)
        snprintf(t[n++], sizeof t[0], "tophash 0x%02x · %s", th,
                 slot_label(c, b, s, lab, sizeof lab) ? lab : "(no label)");
    else
        snprintf(t[n++], sizeof t[0], "tophash %u: %s", th, mark[th]);
    if (b && b->overflow)
        snprintf(t[n++], sizeof t[0], "overflow -> 0x%llx", (unsigned long long)b->overflow);
    if (b && (b->evacuated & BUCKET_EVACUATED))
        snprintf(t[n++], sizeof t[0], "bucket evacuated%s%s",
                 b->evacuated & BUCKET_TO_X ? " to X" : "",
                 b->evacuated & BUCKET_TO_Y ? (b->evacuated & BUCKET_TO_X ? " and Y" : " to Y") : "");
    if (b)
        snprintf(t[n++], sizeof t[0], "last changed at event %llu", (unsigned long long)b->changed);
    hover_box(c, h->at, pane, t, n);
}

/* One bucket (at addr, called name in hover details): a header, 8 slots
 * of (tophash, label). */
static void bucket_box(Ctx *c, const WBucket *b, uint64_t addr, const char *name, SDL_Rect r,
                       const char *head, SDL_Color hc, bool old, SlotHover *hv)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    bool evac = b && (b->evacuated & BUCKET_EVACUATED);
    SDL_Color kind = p->kind[b && b->is_overflow ? OBJ_OVERFLOW : OBJ_BUCKETS];
    if (evac)
        kind = mix(kind, p->garbage, 0.75f);
    int hh = text_height(d, FACE_BOLD, S(d, 12)) + S(d, 2);
    draw_round(d, (SDL_Rect){r.x, r.y, r.w, hh}, S(d, 4), kind);
    draw_label(d, FACE_BOLD, S(d, 12), on_color(p, kind), r.x + r.w / 2, r.y + S(d, 1), head,
               ALIGN_CENTER, r.w - S(d, 4));
    int sh = (r.h - hh) / 8, thw = S(d, 24) < r.w ? S(d, 24) : r.w;
    int room = r.w - thw - S(d, 6); /* for the label; none when buckets are narrow */
    int px = sh - S(d, 3) < S(d, 13) ? sh - S(d, 3) : S(d, 13);
    SDL_Point pointer = {c->v->hover_x, c->v->hover_y};
    for (int s = 0; s < 8; s++) {
        SDL_Rect slot = {r.x, r.y + hh + s * sh + 1, r.w, sh - 1};
        if (SDL_PointInRect(&pointer, &slot)) {
            *hv = (SlotHover){b, addr, s, slot, ""};
            snprintf(hv->name, sizeof hv->name, "%s", name);
        }
        uint8_t th = b ? b->tophash[s] : 0;
        bool full = th > 4; /* minTopHash is 5: below are empty/evacuated marks */
        float a = b && full ? appear(c, b->changed) : 1;
        SDL_Color bg = full ? mix(p->panel, mix(kind, p->panel, 0.55f), a) : p->free_slot;
        draw_fill(d, slot, bg);
        draw_fill(d, (SDL_Rect){slot.x, slot.y, thw, slot.h}, full ? mix(bg, kind, 0.6f) : bg);
        if (!b || (!full && th == 0))
            continue;
        char t[8];
        snprintf(t, sizeof t, "%02x", th);
        draw_text(d, FACE_MONO, px - S(d, 1) > 6 ? px - S(d, 1) : 6, full ? on_color(p, mix(bg, kind, 0.6f)) : p->dim,
                  slot.x + thw / 2, slot.y + (slot.h - text_height(d, FACE_MONO, px - S(d, 1))) / 2, t,
                  ALIGN_CENTER, thw);
        char lab[48];
        if (room > 0 && slot_label(c, b, s, lab, sizeof lab))
            draw_label(d, FACE_MONO, px, old && evac ? p->dim : p->title, slot.x + thw + S(d, 4),
                       slot.y + (slot.h - text_height(d, FACE_MONO, px)) / 2, lab,
                       ALIGN_LEFT, room);
    }
    if (evac) {
        char m[16];
        snprintf(m, sizeof m, "→%s%s", b->evacuated & BUCKET_TO_X ? "X" : "",
                 b->evacuated & BUCKET_TO_Y ? "Y" : "");
        if (!(b->evacuated & (BUCKET_TO_X | BUCKET_TO_Y)))
            snprintf(m, sizeof m, "done");
        int w = text_width(d, FACE_BOLD, S(d, 13), m) + S(d, 8), y = r.y + r.h / 2 - S(d, 8);
        if (w > r.w) /* narrow buckets: over the slots, as before */
            w = r.w;
        draw_round(d, (SDL_Rect){r.x + (r.w - w) / 2, y - S(d, 1), w,
                                 text_height(d, FACE_BOLD, S(d, 13)) + S(d, 2)},
                   S(d, 4), p->panel); /* the slots' tophash marks stay under it */
        draw_text(d, FACE_BOLD, S(d, 13), hc, r.x + r.w / 2, y, m, ALIGN_CENTER, 0);
    }
}

/* Where each shown bucket of a row was drawn, for the evacuation flight. */
typedef struct {
    SDL_Rect box[MAX_BUCKETS];
    uint32_t n;
} RowBoxes;

/* A bucket can be clicked (render.c's selectable). */
static void bucket_hit(Ctx *c, uint64_t addr, uint32_t size, SDL_Rect box)
{
    selectable(c, box, (Hit){addr, size ? size : 1, HIT_BUCKET},
               (SDL_Rect){box.x - 3, box.y - 3, box.w + 6, box.h + 6});
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
    /* overflow buckets of this array, after it */
    const WBucket *ovf[MAX_BUCKETS];
    int parent[MAX_BUCKETS], nov = 0;
    uint32_t shown = n < MAX_BUCKETS ? n : MAX_BUCKETS;
    for (uint32_t i = 0; i < shown && nov < MAX_BUCKETS; i++) {
        const WBucket *b = world_bucket(w, base + (uint64_t)i * m->bucketsize);
        for (int hop = 0; b && b->overflow && nov < MAX_BUCKETS && hop < 4; hop++) {
            b = world_bucket(w, b->overflow);
            if (b)
                ovf[nov] = b, parent[nov++] = (int)i;
        }
    }
    int cols = (int)shown + nov, gap = S(d, 6);
    int bw = (r.w - gap * (cols - 1) - (nov ? S(d, 16) : 0)) / (cols ? cols : 1);
    if (bw > S(d, 150))
        bw = S(d, 150);
    SDL_Rect box = {r.x, top, bw, r.y + r.h - top};
    int xs[MAX_BUCKETS];
    for (uint32_t i = 0; i < shown; i++) {
        uint64_t addr = base + (uint64_t)i * m->bucketsize;
        char head[24], name[24];
        snprintf(head, sizeof head, "%s%u", old ? "old " : "b", i);
        snprintf(name, sizeof name, "%sbucket %u", old ? "old " : "", i);
        bucket_box(c, world_bucket(w, addr), addr, name, box, head, p->accent2, old, hv);
        bucket_hit(c, addr, m->bucketsize, box);
        xs[i] = box.x;
        if (out)
            out->box[out->n++] = box;
        box.x += bw + gap;
    }
    if (n > shown) {
        char more[32];
        snprintf(more, sizeof more, "+%u more", n - shown);
        draw_text(d, FACE_SANS, S(d, 12), p->dim, r.x + r.w, r.y, more, ALIGN_RIGHT, 0);
    }
    box.x += nov ? S(d, 16) : 0;
    for (int k = 0; k < nov; k++) {
        bucket_box(c, ovf[k], ovf[k]->addr, old ? "old overflow bucket" : "overflow bucket", box,
                   "overflow", p->accent2, old, hv);
        bucket_hit(c, ovf[k]->addr, m->bucketsize, box);
        SDL_Point a = {xs[parent[k]] + bw / 2, top}, b = {box.x + bw / 2, top};
        SDL_Point mid = {(a.x + b.x) / 2, top - S(d, 26)};
        draw_curve_arrow(d, a, mid, b, p->kind[OBJ_OVERFLOW], S(d, 2));
        box.x += bw + gap;
    }
    /* The label last, on the panel's colour: overflow arrows arc through its line. */
    int lw = text_width(d, FACE_BOLD, S(d, 13), label) + S(d, 4);
    draw_fill(d, (SDL_Rect){r.x, r.y, lw < r.w ? lw : r.w, text_height(d, FACE_BOLD, S(d, 13))},
              p->panel);
    draw_text(d, FACE_BOLD, S(d, 13), old ? p->dim : p->text, r.x, r.y, label, ALIGN_LEFT, r.w);
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
        const WBucket *b = world_bucket(c->w, m->oldbuckets + (uint64_t)i * m->bucketsize);
        if (!b || !recent(c, b->changed) || !(b->evacuated & BUCKET_EVACUATED))
            continue;
        for (int half = 0; half < 2; half++) {
            uint32_t dst = i + (half ? m->noldbuckets : 0);
            if (!(b->evacuated & (half ? BUCKET_TO_Y : BUCKET_TO_X)) || dst >= now->n ||
                (half && m->same_size))
                continue;
            SDL_Rect a = old->box[i], z = now->box[dst];
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

static void one_map(Ctx *c, const WMap *m, SDL_Rect r)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    char head[160], counts[96];
    uint32_t used = m->used; /* kept by the World: no pass over every bucket */
    snprintf(counts, sizeof counts, "B=%u  ·  %u bucket%s  ·  %u slot%s used", m->B,
             m->nbuckets, m->nbuckets == 1 ? "" : "s", used, used == 1 ? "" : "s");
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
    int h = r.y + r.h - y;
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
    if (hv.addr)
        slot_details(c, &hv, r);
}

void render_map(Ctx *c, SDL_Rect r)
{
    const World *w = c->w;
    /* The newest map the program made (a lesson moves on to it).  The maps a
     * sync.Map uses inside have their own pane; when there is no other map,
     * the newest of those is shown here, so its buckets can be seen. */
    const WMap *shown = NULL, *inner = NULL;
    for (uint32_t i = w->maps.n; i-- > 0 && !shown;) {
        bool internal = false;
        for (uint32_t k = 0; k < w->sms.n; k++)
            internal |= w->maps.v[i].h == w->sms.v[k].readmap || w->maps.v[i].h == w->sms.v[k].dirty ||
                        w->maps.v[i].h == w->sms.v[k].oldread;
        if (!internal)
            shown = &w->maps.v[i];
        else if (!inner)
            inner = &w->maps.v[i];
    }
    bool is_inner = !shown && inner;
    if (is_inner)
        shown = inner;
    char sub[80] = "";
    if (shown) { /* the subtitle drops its words before its address */
        int room = r.w - 3 * S(c->d, 14) - text_width(c->d, FACE_BOLD, S(c->d, 15), "Map") -
                   S(c->d, 12);
        snprintf(sub, sizeof sub, "hmap at 0x%llx%s", (unsigned long long)shown->h,
                 is_inner ? " (inside the sync.Map)" : "");
        if (is_inner && text_width(c->d, FACE_SANS, S(c->d, 13), sub) > room)
            snprintf(sub, sizeof sub, "hmap at 0x%llx", (unsigned long long)shown->h);
    }
    SDL_Rect in = draw_card(c->d, r, "Map", sub);
    if (shown)
        one_map(c, shown, in);
    else
        draw_text(c->d, FACE_SANS, S(c->d, 15), c->d->pal->dim, in.x, in.y, "no map yet",
                  ALIGN_LEFT, in.w);
}

/* ---- sync.Map ----------------------------------------------------------- */

/* The keys in map h (labels of its used slots), as a column of chips; the
 * last row says how many more there are when not all of them fit. */
static void key_column(Ctx *c, uint64_t h, SDL_Rect r, SDL_Color col, float a)
{
    Draw *d = c->d;
    const World *w = c->w;
    const WMap *m = world_map(w, h);
    int y = r.y, px = S(d, 14), lh = text_height(d, FACE_MONO, px) + S(d, 6);
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
        draw_text(d, FACE_SANS, S(d, 13), d->pal->dim, r.x + S(d, 8),
                  r.y + (rows - 1) * lh + S(d, 2), more, ALIGN_LEFT, r.w - S(d, 8));
        rows--;
    }
    int mi = map_index_of(w, m);
    for (uint32_t i = 0; i < w->buckets.n && shown < rows; i++) {
        const WBucket *b = &w->buckets.v[i];
        if (b->map != mi)
            continue;
        for (int s = 0; s < 8 && shown < rows; s++) {
            char lab[48];
            if (b->tophash[s] <= 4 || !slot_label(c, b, s, lab, sizeof lab))
                continue;
            shown++;
            SDL_Rect chip = {r.x, y, r.w, lh - S(d, 3)};
            draw_round(d, chip, S(d, 5), mix(d->pal->panel, col, 0.35f * a));
            char buf[80];
            snprintf(buf, sizeof buf, "key %s", lab);
            draw_text_fit(d, FACE_MONO, px, S(d, 10), d->pal->title, chip.x + S(d, 8),
                          chip.y + S(d, 2), buf, ALIGN_LEFT, chip.w - S(d, 12));
            y += lh;
        }
    }
}

static void sm_side(Ctx *c, SDL_Rect r, const char *title, const char *badge, uint64_t h,
                    SDL_Color col, float a)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    draw_round(d, r, S(d, 8), mix(p->panel, col, 0.5f * a));
    draw_round(d, (SDL_Rect){r.x + 2, r.y + 2, r.w - 4, r.h - 4}, S(d, 7), p->panel);
    int tw = draw_text(d, FACE_BOLD, S(d, 15), mix(p->panel, p->title, a), r.x + S(d, 10),
                       r.y + S(d, 6), title, ALIGN_LEFT, r.w - S(d, 20));
    int top = r.y + S(d, 12) + text_height(d, FACE_BOLD, S(d, 15));
    if (badge && text_width(d, FACE_BOLD, S(d, 10), badge) <= r.w - tw - S(d, 30)) {
        draw_text_fit(d, FACE_BOLD, S(d, 12), S(d, 10), p->accent2, r.x + S(d, 18) + tw,
                      r.y + S(d, 9), badge, ALIGN_LEFT, r.w - tw - S(d, 30));
    } else if (badge) { /* a narrow side: the badge under its title */
        draw_text_fit(d, FACE_BOLD, S(d, 12), S(d, 9), p->accent2, r.x + S(d, 10), top - S(d, 4),
                      badge, ALIGN_LEFT, r.w - S(d, 20));
        top += text_height(d, FACE_BOLD, S(d, 12));
    }
    if (!h) {
        draw_text(d, FACE_MONO, S(d, 14), p->dim, r.x + S(d, 10), top, "nil", ALIGN_LEFT, 0);
        return;
    }
    key_column(c, h, (SDL_Rect){r.x + S(d, 8), top, r.w - S(d, 16), r.y + r.h - top - S(d, 6)}, col, a);
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
    snprintf(t[n++], sizeof t[0], "changed at event %llu", (unsigned long long)e->changed);
    hover_box(c, at, pane, t, n);
}

/* The entries' chips in r; details of the one under the pointer inside pane. */
static void entries(Ctx *c, const WSyncMap *s, SDL_Rect r, SDL_Rect pane)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    int x = r.x, y = r.y, px = S(d, 13), lh = text_height(d, FACE_MONO, px) + S(d, 8);
    static const char *const names[] = {"value", "nil", "expunged"};
    SDL_Point pointer = {c->v->hover_x, c->v->hover_y};
    const WEntry *hover = NULL;
    SDL_Rect hover_at = {0, 0, 0, 0};
    for (uint32_t i = 0; i < c->w->entries.n; i++) {
        const WEntry *e = &c->w->entries.v[i];
        if (e->m != s->m)
            continue;
        char buf[64];
        snprintf(buf, sizeof buf, "%lld: %s", (long long)e->key, names[e->state < 3 ? e->state : 1]);
        int tw = text_width(d, FACE_MONO, px, buf) + S(d, 16);
        if (x + tw > r.x + r.w)
            x = r.x, y += lh;
        if (y + lh > r.y + r.h)
            break;
        SDL_Color col = e->state == ENTRY_VALUE ? p->kind[OBJ_ENTRY]
                        : e->state == ENTRY_EXPUNGED ? p->bad : p->garbage;
        col = mix(p->panel, col, appear(c, e->changed));
        SDL_Rect chip = {x, y, tw, lh - S(d, 4)};
        draw_round(d, chip, S(d, 6), col);
        draw_text(d, FACE_MONO, px, on_color(p, col), x + S(d, 8), y + S(d, 2), buf, ALIGN_LEFT, 0);
        if (SDL_PointInRect(&pointer, &chip))
            hover = e, hover_at = chip;
        x += tw + S(d, 8);
    }
    if (hover)
        entry_details(c, s, hover, hover_at, pane);
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
    const WSyncMap *s = &w->sms.v[0];
    int eh = S(d, 64), mh = S(d, 40);
    SDL_Rect sides = {in.x, in.y, in.w, in.h - eh - mh};
    int half = (sides.w - S(d, 10)) / 2;
    float a = recent(c, s->promoted_at) ? appear(c, s->promoted_at) : 1;
    /* at promotion the dirty map slides over into the read slot */
    SDL_Rect rd = {sides.x, sides.y, half, sides.h};
    SDL_Rect dr = {sides.x + half + S(d, 10), sides.y, half, sides.h};
    if (a < 1) {
        SDL_Rect old = rd;
        sm_side(c, old, "read (old)", NULL, s->oldread, p->garbage, 1 - a);
        rd.x = dr.x - (int)((dr.x - rd.x) * a);
        sm_side(c, rd, "read", NULL, s->readmap, p->kind[OBJ_READONLY], 1);
        sm_side(c, dr, "dirty", NULL, 0, p->kind[OBJ_HMAP], a);
    } else {
        sm_side(c, rd, "read", s->amended ? "amended" : NULL, s->readmap, p->kind[OBJ_READONLY], 1);
        sm_side(c, dr, "dirty", NULL, s->dirty, p->kind[OBJ_HMAP], 1);
    }
    /* misses against len(dirty): promotion when the bar fills; a click
     * selects the misses and the promotions they forced */
    int y = sides.y + sides.h + S(d, 10);
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
    draw_text(d, FACE_SANS, S(d, 14), p->text, in.x, y, buf, ALIGN_LEFT, in.w / 2);
    SDL_Rect bar = {in.x + in.w / 2, y + S(d, 4), in.w / 2, S(d, 10)};
    draw_round(d, bar, bar.h / 2, p->faint);
    if (dlen) {
        uint64_t m = s->misses < dlen ? s->misses : dlen;
        draw_round(d, (SDL_Rect){bar.x, bar.y, (int)(bar.w * m / dlen), bar.h}, bar.h / 2,
                   m == dlen ? p->warn : p->accent);
    }
    entries(c, s, (SDL_Rect){in.x, in.y + in.h - eh, in.w, eh}, in);
}
