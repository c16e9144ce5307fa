/*
 * render_text.c — the panes made of words and numbers: Go source with the
 * current line, counters, and the timeline with its step markers and what
 * the pointer is over (the narration is in render_narration.c).
 *
 * Invariant: every number shown is one the World holds (recorded by the
 * model) or a sum of them; nothing here re-derives the model's decisions.
 */
#include "render.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* One row of the source pane: bytes [at, at + n) of source line `ln`,
 * drawn `indent` columns in (a continuation of a wrapped line). */
typedef struct {
    int ln;
    uint32_t at, n, indent;
} SrcRow;

enum { SRC_MAX_ROWS = 512 };

/* Lay the source out in rows of at most `cols` columns: a line that is too
 * long wraps at its last space that fits (or mid-word if none does), and
 * goes on indented four columns past its own indentation. */
static int source_rows(const char *src, uint32_t cols, SrcRow *rows, int max)
{
    int nrows = 0, ln = 1;
    for (const char *q = src; nrows < max && *q; ln++) { /* no row after the last '\n' */
        const char *e = strchr(q, '\n');
        uint32_t n = e ? (uint32_t)(e - q) : (uint32_t)strlen(q), at = 0, lead = 0, indent = 0;
        while (lead < n && (q[lead] == ' ' || q[lead] == '\t'))
            lead++;
        do {
            uint32_t room = cols > indent + 8 ? cols - indent : 8, take = n - at;
            if (take > room) {
                take = room;
                while (take > room / 2 && q[at + take] != ' ')
                    take--;
                if (q[at + take] != ' ')
                    take = room; /* no space in reach: cut the word */
            }
            rows[nrows++] = (SrcRow){ln, (uint32_t)(q - src) + at, take, indent};
            at += take;
            while (at < n && q[at] == ' ')
                at++;
            indent = lead + 4;
        } while (at < n && nrows < max);
        if (!e)
            break;
        q = e + 1;
    }
    return nrows;
}

/* The type size for src in `room` pixels: up to 20 % smaller than the
 * design size so that its longest line fits.  *w32: the width of 32
 * glyphs at it (columns come from 32, not one: a glyph's width is
 * fractional). */
static int source_px(Draw *d, const char *src, int room, int *w32)
{
    uint32_t longest = 0;
    for (const char *q = src; *q;) {
        size_t n = strcspn(q, "\n");
        longest = n > longest ? (uint32_t)n : longest;
        q += n + (q[n] == '\n');
    }
    int px = S(d, 16);
    for (;; px--) {
        *w32 = text_width(d, FACE_MONO_BOLD, px, "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM");
        if (px <= S(d, 13) || (int64_t)longest * *w32 <= (int64_t)room * 32)
            return px;
    }
}

/* One row at y: the current line highlighted, a line's number on its
 * first row (and on the first row shown). */
static void source_row(Ctx *c, const char *src, const SrcRow *row, SDL_Rect in, int y,
                       int lh, int px, int gutter, bool first_shown)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    char line[256], num[16];
    snprintf(line, sizeof line, "%*s%.*s", (int)row->indent, "",
             (int)(row->n < 200 ? row->n : 200), src + row->at);
    for (char *t = line; *t; t++)
        if (*t == '\t')
            *t = ' ';
    bool hl = row->ln == (int)c->w->nar.source_line;
    if (hl) {
        float a = appear(c, c->w->nar.step_at);
        draw_round(d, (SDL_Rect){in.x - S(d, 6), y - S(d, 1), in.w + S(d, 12), lh}, S(d, 5),
                   mix(p->panel, p->line_hl, a));
        draw_fill(d, (SDL_Rect){in.x - S(d, 6), y - S(d, 1), S(d, 4), lh}, p->accent2);
    }
    if (!row->indent || first_shown) {
        snprintf(num, sizeof num, "%d", row->ln);
        draw_text(d, FACE_MONO, S(d, 13), hl ? p->accent2 : p->dim, in.x + gutter - S(d, 12),
                  y + S(d, 2), num, ALIGN_RIGHT, 0);
    }
    draw_text(d, hl ? FACE_MONO_BOLD : FACE_MONO, px, hl ? p->title : p->text, in.x + gutter, y,
              line, ALIGN_LEFT, in.w - gutter);
}

/* The source laid out in an inner width of inw: its type size, row
 * height and gutter, and its rows (returns how many). */
static int source_layout(Ctx *c, int inw, int *px, int *lh, int *gutter, SrcRow *rows)
{
    Draw *d = c->d;
    const char *src = str(c, c->w->nar.source);
    *gutter = text_width(d, FACE_MONO, S(d, 13), "000") + S(d, 12);
    int w32, room = inw - *gutter - S(d, 4); /* a margin for rounding */
    *px = source_px(d, src, room, &w32);
    *lh = text_height(d, FACE_MONO, *px) + S(d, 3);
    return source_rows(src, w32 > 0 && room > 0 ? (uint32_t)(room * 32 / w32) : 80, rows,
                       SRC_MAX_ROWS);
}

int render_source_height(Ctx *c, int w, int most, int *part)
{
    Draw *d = c->d;
    static SrcRow rows[SRC_MAX_ROWS];
    int px, lh, gutter, nrows = source_layout(c, w - 2 * S(d, 14), &px, &lh, &gutter, rows);
    int chrome = S(d, 10) + text_height(d, FACE_BOLD, S(d, 15)) + S(d, 8) /* as draw_card */
                 + S(d, 10) + S(d, 4);
    *part = chrome + (nrows < most ? nrows : most) * lh;
    return chrome + nrows * lh;
}

void render_source(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const World *w = c->w;
    char sub[64];
    snprintf(sub, sizeof sub, w->nar.source_line ? "line %u" : "", w->nar.source_line);
    SDL_Rect in = draw_card(d, r, "Go source", sub);
    const char *src = str(c, w->nar.source);
    static SrcRow rows[SRC_MAX_ROWS];
    int px, lh, gutter, nrows = source_layout(c, in.w, &px, &lh, &gutter, rows);
    int visible = in.h / lh, first = 0, cur_row = 0;
    while (cur_row < nrows && rows[cur_row].ln != (int)w->nar.source_line)
        cur_row++;
    if (nrows > visible && cur_row < nrows && cur_row > visible / 2)
        first = cur_row - visible / 2;
    if (first + visible > nrows)
        first = nrows - visible > 0 ? nrows - visible : 0;
    /* Not the tail of a wrapped line at the top: its whole line if the
     * current one stays in view, else the next line. */
    int start = first;
    while (start > 0 && rows[start].indent)
        start--;
    if (start < first && (cur_row >= nrows || cur_row - start < visible))
        first = start;
    while (first < nrows && rows[first].indent)
        first++;
    for (int i = first; i < nrows && (i - first + 1) * lh <= in.h; i++)
        source_row(c, src, &rows[i], in, in.y + (i - first) * lh, lh, px, gutter, i == first);
}

typedef struct {
    const char *label, *brief; /* brief: the label for a narrow cell */
    uint64_t value;
    bool bytes;
    int tone;                   /* 0 normal, 1 warn, 2 bad */
} Counter;

/* The value as it fits w at the largest size from vpx down to floor:
 * in full, then in short form (71,892 -> 71.9k; 5.1 KiB -> 5.1K), which
 * rounds but never cuts a digit off.  Returns the size, in px. */
static int fit_value(Draw *d, const Counter *k, char *v, size_t n, int w, int vpx, int floor)
{
    if (k->bytes)
        fmt_bytes(v, n, k->value);
    else
        fmt_count(v, n, k->value);
    for (int pass = 0; pass < 2; pass++) {
        for (int px = vpx; px >= floor; px--)
            if (text_width(d, FACE_BOLD, px, v) <= w)
                return px;
        if (k->bytes) { /* "5.1 KiB" -> "5.1K" */
            char *sp = strchr(v, ' ');
            if (sp && sp[1] != 'B')
                sp[0] = sp[1], sp[1] = 0;
        } else if (k->value >= 1000) {
            double x = (double)k->value;
            const char *u = x >= 1e9 ? "G" : x >= 1e6 ? "M" : "k";
            double div = x >= 1e9 ? 1e9 : x >= 1e6 ? 1e6 : 1e3;
            snprintf(v, n, x / div < 100 ? "%.1f%s" : "%.0f%s", x / div, u);
        }
    }
    return floor; /* still too wide: draw_text cuts it, and counts it */
}

/* One counter: its label above its value, the value toned by what it means
 * (dim when zero).  A narrow cell takes the brief label, then smaller type. */
static void draw_counter(Draw *d, const Counter *k, int x, int y, int w, int lpx, int vpx)
{
    const Palette *p = d->pal;
    int floor = S(d, 9);
    const char *label = text_width(d, FACE_SANS, lpx, k->label) <= w ? k->label : k->brief;
    int lp = lpx;
    while (lp > floor && text_width(d, FACE_SANS, lp, label) > w)
        lp--;
    char v[48];
    vpx = fit_value(d, k, v, sizeof v, w, vpx, floor);
    SDL_Color vc = k->value == 0 ? p->dim : k->tone == 2 ? p->bad : k->tone == 1 ? p->warn : p->title;
    draw_text(d, FACE_SANS, lp, p->dim, x, y, label, ALIGN_LEFT, w);
    draw_text(d, FACE_BOLD, vpx, vc, x, y + text_height(d, FACE_SANS, lpx), v, ALIGN_LEFT, w);
}

/* The narrowest cell a counter reads in: its brief label and a short
 * value ("99.9k") at the smallest size, with the gap after it. */
static int counter_min_w(Draw *d)
{
    int l = text_width(d, FACE_SANS, S(d, 9), "allocs");
    int v = text_width(d, FACE_BOLD, S(d, 9), "99.9k");
    return (l > v ? l : v) + S(d, 6);
}

/* Two or more variants: one block per variant, its name above the counters
 * that tell the variants apart, so a class compares them side by side. */
static void render_variant_counters(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const WNarration *n = &c->w->nar;
    bool cache = c->rp->has.cache;
    int nv = n->nvariants, pad = S(d, 14), bw = (r.w - 2 * pad) / nv;
    int npx = S(d, 12), lpx = S(d, 11), vpx = S(d, 16);
    for (int v = 0; v < nv; v++) {
        WCounters k = world_variant_counters(c->w, (unsigned)v);
        int x0 = r.x + pad + v * bw, y = r.y + S(d, 6);
        if (v)
            draw_fill(d, (SDL_Rect){x0 - S(d, 8), r.y + S(d, 8), S(d, 2), r.h - S(d, 16)}, p->panel_edge);
        draw_text_fit(d, FACE_BOLD, npx, S(d, 9), v == n->variant ? p->accent : p->dim, x0, y,
                      str(c, n->vname[v]), ALIGN_LEFT, bw - S(d, 12));
        y += text_height(d, FACE_BOLD, npx);
        Counter cs[] = {
            {"allocs", "allocs", k.allocs, false, 0},
            {"bytes", "bytes", k.alloc_bytes, true, 0},
            {"misses", "miss", k.outcome[OUTCOME_MISS_MEM] + k.outcome[OUTCOME_HITM] + k.outcome[OUTCOME_MISS_CLEAN], false, 1},
            {"invalidations", "inval.", k.invalidations, false, 2},
            {"est. cycles", "cycles", k.cycles, false, 1},
        };
        /* Too narrow for all five (four variants on a small projector):
         * the ones a comparison needs most, in their order. */
        static const int keep[] = {0, 2, 4, 1, 3}; /* allocs, misses, cycles, ... */
        bool shown[5] = {false};
        int cnt = cache ? 5 : 2, need = counter_min_w(d);
        while (cnt > 1 && (bw - S(d, 12)) / cnt < need)
            cnt--;
        for (int i = 0; i < cnt; i++)
            shown[cache ? keep[i] : i] = true;
        int cw = (bw - S(d, 12)) / cnt, x = x0;
        for (int i = 0; i < 5; i++)
            if (shown[i]) {
                draw_counter(d, &cs[i], x, y, cw - S(d, 6), lpx, vpx);
                x += cw;
            }
    }
}

void render_counters(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const WCounters *k = &c->w->c;
    draw_round(d, r, S(d, CARD_RADIUS), p->panel); /* a card without a title */
    if (c->w->nar.nvariants >= 2) {
        render_variant_counters(c, r);
        return;
    }
    uint64_t misses = k->outcome[OUTCOME_MISS_MEM] + k->outcome[OUTCOME_HITM] +
                      k->outcome[OUTCOME_MISS_CLEAN];
    bool cache = c->rp->has.cache;
    Counter cs[] = {
        {"allocations", "allocs", k->allocs, false, 0},
        {"bytes allocated", "bytes", k->alloc_bytes, true, 0},
        {"live + garbage", "live", k->live_bytes, true, 0},
        {"freed by GC", "freed", k->freed_bytes, true, 0},
        {"GC cycles", "GCs", k->gc_cycles, false, 0},
        {"accesses", "access", k->accesses, false, 0},
        {"cache misses", "misses", misses, false, 1},
        {"invalidations", "inval.", k->invalidations, false, 2},
        {"false sharing", "false sh.", k->false_sharing, false, 2},
        {"est. cycles", "cycles", k->cycles, false, 1},
    };
    int n = cache ? 10 : 5, pad = S(d, 14), cw = (r.w - 2 * pad) / n;
    int lpx = S(d, 12), vpx = S(d, 20);
    int y = r.y + (r.h - text_height(d, FACE_SANS, lpx) - text_height(d, FACE_BOLD, vpx)) / 2;
    for (int i = 0; i < n; i++) {
        int x = r.x + pad + i * cw;
        if (i)
            draw_fill(d, (SDL_Rect){x - S(d, 10), r.y + S(d, 12), 1, r.h - S(d, 24)}, p->panel_edge);
        draw_counter(d, &cs[i], x, y, cw - S(d, 14), lpx, vpx);
    }
}

/* Step k's number under its tick at x, spanning [*lo, *hi). */
static void step_number(Ctx *c, SDL_Rect bar, int x, size_t k, int *lo, int *hi)
{
    Draw *d = c->d;
    char num[24];
    snprintf(num, sizeof num, "%zu", k + 1);
    int w = text_width(d, FACE_BOLD, S(d, 12), num);
    *lo = x - w / 2, *hi = *lo + w;
    bool done = c->rp->steps[k].at < c->v->pos;
    draw_text(d, FACE_BOLD, S(d, 12), done ? d->pal->accent2 : d->pal->dim, x,
              bar.y + bar.h + S(d, 3), num, ALIGN_CENTER, 0);
}

/* The step ticks on the timeline bar and their numbers.  Steps close
 * together: a number is shown only where it has room, the current step's
 * first, then the others from the left. */
static void timeline_steps(Ctx *c, SDL_Rect bar, uint64_t n)
{
    Draw *d = c->d;
    const Replay *rp = c->rp;
    bool numbers = rp->nsteps <= 40 && !rp->marks_as_steps;
    long cur = numbers ? replay_step_at(rp, c->v->pos) : -1;
    int cur_lo = INT_MAX, cur_hi = INT_MIN, end = INT_MIN, gap = S(d, 4);
    for (size_t k = 0; k < rp->nsteps; k++) {
        int x = bar.x + (int)((double)rp->steps[k].at / n * bar.w);
        bool done = rp->steps[k].at < c->v->pos;
        draw_fill(d, (SDL_Rect){x - S(d, 1), bar.y - S(d, 6), S(d, 3), bar.h + S(d, 12)},
                  done ? d->pal->accent2 : d->pal->dim);
        if ((long)k == cur)
            step_number(c, bar, x, k, &cur_lo, &cur_hi);
    }
    for (size_t k = 0; numbers && k < rp->nsteps; k++) {
        int x = bar.x + (int)((double)rp->steps[k].at / n * bar.w), lo, hi;
        int w = text_width(d, FACE_BOLD, S(d, 12), "0") * (k + 1 >= 10 ? 2 : 1);
        if ((long)k == cur || x - w / 2 < end + gap ||
            (x - w / 2 + w + gap > cur_lo && x - w / 2 < cur_hi + gap))
            continue;
        step_number(c, bar, x, k, &lo, &hi);
        end = hi;
    }
}

/* The bar inside the timeline pane: drawn here, and where clicks and the
 * pointer land (timeline_pos_at). */
static SDL_Rect timeline_bar(const Draw *d, SDL_Rect r)
{
    int pad = S(d, 16);
    return (SDL_Rect){r.x + pad, r.y + S(d, 30), r.w - 2 * pad, S(d, 10)};
}

uint64_t timeline_pos_at(const Draw *d, SDL_Rect pane, uint64_t nevents, int x)
{
    SDL_Rect bar = timeline_bar(d, pane);
    double t = bar.w > 0 ? (double)(x - bar.x) / bar.w : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return (uint64_t)(t * (double)nevents + 0.5);
}

void render_timeline_hover(Ctx *c, SDL_Rect r)
{
    const View *v = c->v;
    if (v->hover_x < r.x || v->hover_x >= r.x + r.w || v->hover_y < r.y || v->hover_y >= r.y + r.h)
        return;
    Draw *d = c->d;
    const Replay *rp = c->rp;
    uint64_t at = timeline_pos_at(d, r, rp->nevents, v->hover_x);
    long k = replay_step_at(rp, at);
    char l[2][160], ev[32];
    if (k < 0)
        snprintf(l[0], sizeof l[0], "%s", rp->nsteps ? "before the first step" : "no steps");
    else if (rp->marks_as_steps)
        snprintf(l[0], sizeof l[0], "%s", str(c, rp->steps[k].title));
    else
        snprintf(l[0], sizeof l[0], "Step %ld: %s", k + 1, str(c, rp->steps[k].title));
    fmt_count(ev, sizeof ev, at);
    snprintf(l[1], sizeof l[1], c->v->still ? "event %s" : "event %s · click to go there", ev);
    int px = S(d, 14), lh = text_height(d, FACE_SANS, px) + S(d, 2), w = 0;
    for (int i = 0; i < 2; i++) {
        int tw = text_width(d, i ? FACE_SANS : FACE_BOLD, px, l[i]);
        w = tw > w ? tw : w;
    }
    SDL_Rect bar = timeline_bar(d, r);
    SDL_Rect box = {v->hover_x - (w + S(d, 20)) / 2, 0, w + S(d, 20), 2 * lh + S(d, 14)};
    box.y = bar.y - S(d, 12) - box.h;
    box.x = box.x + box.w > r.x + r.w ? r.x + r.w - box.w : box.x;
    box.x = box.x < r.x ? r.x : box.x;
    draw_round(d, box, S(d, 6), d->pal->title);
    draw_cover(d, box); /* over the narration on purpose */
    for (int i = 0; i < 2; i++)
        draw_text(d, i ? FACE_SANS : FACE_BOLD, px, d->pal->bg, box.x + S(d, 10),
                  box.y + S(d, 7) + i * lh, l[i], ALIGN_LEFT, box.w - S(d, 20));
}

void render_timeline(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const Replay *rp = c->rp;
    draw_round(d, r, S(d, CARD_RADIUS), p->panel); /* a card without a title */
    uint64_t n = rp->nevents ? rp->nevents : 1;
    SDL_Rect bar = timeline_bar(d, r);
    draw_round(d, bar, bar.h / 2, p->faint);
    int cx = bar.x + (int)((double)c->v->pos / n * bar.w);
    draw_round(d, (SDL_Rect){bar.x, bar.y, cx - bar.x, bar.h}, bar.h / 2, p->accent);
    timeline_steps(c, bar, n);
    for (size_t k = 0; k < c->v->nrelated; k++) { /* the selection's events */
        int x = bar.x + (int)((double)c->v->related[k] / n * bar.w);
        draw_fill(d, (SDL_Rect){x, bar.y - S(d, 4), S(d, 2) > 1 ? S(d, 2) : 1, S(d, 4)}, p->warn);
    }
    draw_round(d, (SDL_Rect){cx - S(d, 8), bar.y - S(d, 5), S(d, 16), bar.h + S(d, 10)},
               S(d, 7), p->title);
    char buf[160], a[32], b[32];
    fmt_count(a, sizeof a, c->v->pos);
    fmt_count(b, sizeof b, rp->nevents);
    snprintf(buf, sizeof buf, "event %s of %s", a, b);
    draw_text(d, FACE_SANS, S(d, 13), p->dim, bar.x, r.y + S(d, 7), buf, ALIGN_LEFT, 0);
    snprintf(buf, sizeof buf, "%s  speed %gx", c->v->playing ? "▶ playing" : "❚❚ paused",
             (double)c->v->speed);
    draw_text(d, FACE_SANS, S(d, 13), p->dim, bar.x + bar.w, r.y + S(d, 7), buf, ALIGN_RIGHT, 0);
}
