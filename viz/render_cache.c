/*
 * render_cache.c — the caches: one row per cache line of interest, one
 * column per core; each cell in its MESI colour with the bytes that core
 * touched drawn as ticks; invalidation arrows from writer to victim, false
 * sharing (disjoint bytes) drawn differently from true sharing.
 *
 * Invariant: the rows are the lines most recently touched in any core (plus
 * lines named by recent invalidations), shown in address order.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 12

typedef struct {
    uint64_t line, last;
} Row;

static int by_last(const void *a, const void *b)
{
    uint64_t x = ((const Row *)a)->last, y = ((const Row *)b)->last;
    return x > y ? -1 : x < y;
}

static int by_line(const void *a, const void *b)
{
    uint64_t x = ((const Row *)a)->line, y = ((const Row *)b)->line;
    return x < y ? -1 : x > y;
}

static void add_row(Row *rows, int *n, int cap, uint64_t line, uint64_t last)
{
    for (int i = 0; i < *n; i++)
        if (rows[i].line == line) {
            if (last > rows[i].last)
                rows[i].last = last;
            return;
        }
    if (*n < cap)
        rows[(*n)++] = (Row){line, last};
}

/* The max lines most recently touched, newest first; *total: how many
 * there were to pick from (at most 512 counted). */
static int pick_rows(const World *w, Row *rows, int max, int *total)
{
    int n = 0, cap = 512;
    Row *all = malloc(cap * sizeof *all);
    for (uint32_t i = 0; i < w->recent.n; i++)
        add_row(all, &n, cap, w->recent.v[i].line, w->recent.v[i].at);
    for (uint32_t i = 0; i < w->nlines; i++) {
        const WLine *l = &w->lines[i];
        if (l->state == MESI_I)
            continue;
        if (n == cap) { /* keep the most recent half */
            qsort(all, (size_t)n, sizeof *all, by_last);
            n = cap / 2;
        }
        add_row(all, &n, cap, l->line, l->last);
    }
    qsort(all, (size_t)n, sizeof *all, by_last);
    *total = n;
    n = n < max ? n : max;
    memcpy(rows, all, (size_t)n * sizeof *rows);
    free(all);
    return n;
}

static int live_first(const void *a, const void *b)
{
    const WObj *x = *(const WObj *const *)a, *y = *(const WObj *const *)b;
    if ((x->state == OBJ_LIVE) != (y->state == OBJ_LIVE))
        return x->state == OBJ_LIVE ? -1 : 1;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The objects in a line, for its label and details: live before garbage,
 * each type once, in address order ("sync.WaitGroup, main.counters" where
 * lesson 7's padded run puts its WaitGroup in the dead counters' line).
 * Empty when none, or the World holds too many objects to look. */
static const char *owner(Ctx *c, uint64_t line, char *buf, size_t n, int *names,
                         size_t *first)
{
    const World *w = c->w;
    buf[0] = 0;
    *names = 0, *first = 0;
    if (w->objs.n > 50000)
        return buf;
    uint64_t end = line + w->params.line_size;
    const WObj *v[8], *o;
    int m = 0;
    for (uint32_t i = 0; (o = wobj_next(w, &i)) && m < 8; i++) {
        uint64_t size = o->rounded ? o->rounded : o->size;
        if (o->space != SPACE_TINY && o->space != SPACE_ARENA && o->addr < end &&
            o->addr + size > line)
            v[m++] = o;
    }
    qsort(v, (size_t)m, sizeof *v, live_first);
    for (int i = 0; i < m; i++) {
        bool named = false; /* two WaitGroups read as one name */
        for (int j = 0; j < i; j++)
            named |= v[j]->type == v[i]->type;
        size_t len = strlen(buf);
        if (named)
            continue;
        snprintf(buf + len, n - len, "%s%s", len ? ", " : "", str(c, v[i]->type));
        *first = *names ? *first : strlen(buf);
        (*names)++;
    }
    return buf;
}

/* What a shown row's line holds (owner()), found once a frame, and
 * whether another shown row holds the same (then only the address tells
 * them apart). */
typedef struct {
    char full[160];
    int names;
    size_t first;
    bool dup;
} RowName;

/* Every `drop` in buf that starts a name (at the start, or after a
 * space, bracket, star or comma) becomes `put`, no longer than it. */
static void replace_all(char *buf, const char *drop, const char *put)
{
    size_t dn = strlen(drop), pn = strlen(put);
    for (char *q = strstr(buf, drop); q; q = strstr(q + 1, drop)) {
        if (q != buf && !strchr(" []*(,", q[-1]))
            continue; /* inside a name: "my_runtime.T" keeps its "runtime." */
        memmove(q + pn, q + dn, strlen(q + dn) + 1);
        memcpy(q, put, pn);
    }
}

/* Names in Go's shorter words: `any` is interface {}'s alias, and
 * "runtime." says little in a line's label ("main." stays: it tells a
 * program's variable from the runtime's types). */
static void shorten(char *buf)
{
    replace_all(buf, "interface {}", "any");
    replace_all(buf, "runtime.", "");
}

/* A row's label in width w at size px: what its line holds; too wide, in
 * shorter words ("hmap, sync.Map", "bucket[any]*sync.entry"); still too
 * wide, the first name and how many more ("main.counters +1"; the
 * pointer's details list them all). */
static const char *row_label(Ctx *c, const RowName *rn, int px, int w, char *buf, size_t n)
{
    snprintf(buf, n, "%s", rn->full);
    if (text_width(c->d, FACE_SANS, px, buf) <= w)
        return buf;
    shorten(buf);
    if (rn->names > 1 && text_width(c->d, FACE_SANS, px, buf) > w && rn->first < n) {
        snprintf(buf, n, "%s", rn->full);
        buf[rn->first] = 0; /* names hold ", " */
        shorten(buf);
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, " +%d", rn->names - 1);
    }
    return buf;
}

/* One core's copy of a line: its MESI letter, and the bytes it touched as
 * 64 ticks along the bottom, or in a compact row beside the letter. */
static void cell(Ctx *c, const WLine *l, SDL_Rect r, const WInval *hit, bool compact)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    unsigned st = l ? l->state : MESI_I;
    SDL_Color col = p->mesi[st];
    if (hit) { /* an invalidated line flashes */
        float a = appear(c, hit->at);
        col = mix(hit->false_sharing ? p->false_sh : p->true_sh, col, a);
    }
    draw_round(d, r, S(d, 6), col);
    static const char *const letter[] = {"I", "S", "E", "M"};
    int px = S(d, compact ? 14 : 18), lh = text_height(d, FACE_BOLD, px);
    draw_text(d, FACE_BOLD, px, on_color(p, col), r.x + S(d, compact ? 8 : 10),
              r.y + (r.h - (compact ? 0 : S(d, 10)) - lh) / 2, letter[st], ALIGN_LEFT, 0);
    uint64_t mask = l ? l->touched : hit ? hit->vmask : 0;
    int tx = r.x + S(d, 6), tw = r.w - S(d, 12), ty = r.y + r.h - S(d, 10);
    if (compact) /* beside the letter, if there is room for the ticks */
        tx = r.x + S(d, 26), tw = r.w - S(d, 32), ty = r.y + (r.h - S(d, 5)) / 2;
    if (tw < S(d, 16))
        return;
    draw_fill(d, (SDL_Rect){tx, ty, tw, S(d, 5)}, rgba(p->bg, 90));
    for (int b = 0; b < 64; b++)
        if (mask >> b & 1)
            draw_fill(d, (SDL_Rect){tx + b * tw / 64, ty, tw / 64 > 1 ? tw / 64 : 1, S(d, 5)},
                      on_color(p, col));
}

/* "bytes 0-7, 16-23" from a touched mask (one bit per byte, or per
 * line/64 bytes on longer lines). */
static void byte_ranges(char *buf, size_t n, uint64_t mask, unsigned line_size)
{
    unsigned gran = line_size > 64 ? line_size / 64 : 1, runs = 0;
    size_t len = (size_t)snprintf(buf, n, "bytes");
    for (unsigned b = 0; b < 64 && len < n; b++) {
        if (!(mask >> b & 1) || (b && mask >> (b - 1) & 1))
            continue;
        unsigned e = b;
        while (e + 1 < 64 && mask >> (e + 1) & 1)
            e++;
        if (++runs > 4) {
            snprintf(buf + len, n - len, ", ...");
            return;
        }
        len += (size_t)snprintf(buf + len, n - len, "%s %u-%u", runs > 1 ? "," : "", b * gran,
                                (e + 1) * gran - 1);
    }
    if (!runs)
        snprintf(buf, n, "no bytes");
}

/* What the pointer is over: one core's copy of a line. */
static void cell_details(Ctx *c, uint64_t line, unsigned core, SDL_Rect at, SDL_Rect pane)
{
    static const char *const state[] = {"Invalid", "Shared", "Exclusive", "Modified"};
    const World *w = c->w;
    const WLine *l = world_line(w, core, line);
    char t[HOVER_LINES][96], bytes[64];
    int n = 0;
    snprintf(t[n++], sizeof t[0], "line 0x%llx · core %u", (unsigned long long)line, core);
    if (l) {
        byte_ranges(bytes, sizeof bytes, l->touched, w->params.line_size);
        snprintf(t[n++], sizeof t[0], "%s · %s touched", state[l->state & 3], bytes);
        snprintf(t[n++], sizeof t[0], "last used at event %llu", (unsigned long long)l->last);
    } else {
        snprintf(t[n++], sizeof t[0], "Invalid: not in this core's cache");
    }
    char names[160];
    int count;
    size_t first;
    if (*owner(c, line, names, sizeof names, &count, &first))
        snprintf(t[n++], sizeof t[0], "holds %.85s", names);
    for (uint32_t k = w->recent.n; k-- > 0;)
        if (w->recent.v[k].line == line && w->recent.v[k].victim == core) {
            const WInval *iv = &w->recent.v[k];
            snprintf(t[n++], sizeof t[0], "invalidated by core %u at event %llu (%s sharing)",
                     iv->writer, (unsigned long long)iv->at, iv->false_sharing ? "false" : "true");
            break;
        }
    hover_box(c, at, pane, t, n);
}

/* The MESI colours in width w: their names, or where those do not fit
 * their letters (which the cells show too). */
static int legend(Ctx *c, int x, int y, int w)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    static const char *const names[2][4] = {{"Modified", "Exclusive", "Shared", "Invalid"},
                                           {"M", "E", "S", "I"}};
    static const int order[] = {MESI_M, MESI_E, MESI_S, MESI_I};
    int px = S(d, 12), sw = S(d, 11), need = 0, gap = S(d, 12);
    for (int i = 0; i < 4; i++)
        need += sw + S(d, 4) + text_width(d, FACE_SANS, px, names[0][i]) + gap;
    const char *const *name = names[need - gap > w];
    if (need - gap > w) { /* the letters, closer together if need be */
        need = 0;
        for (int i = 0; i < 4; i++)
            need += sw + S(d, 4) + text_width(d, FACE_SANS, px, name[i]) + gap;
        if (need - gap > w)
            gap = S(d, 5);
    }
    for (int i = 0, end = x + w; i < 4; i++) {
        if (x + sw + S(d, 4) + text_width(d, FACE_SANS, px, name[i]) > end)
            break; /* a pane too narrow even for the letters */
        draw_fill(d, (SDL_Rect){x, y + S(d, 3), sw, sw}, p->mesi[order[i]]);
        x += sw + S(d, 4);
        x += draw_text(d, FACE_SANS, px, p->dim, x, y, name[i], ALIGN_LEFT, 0) + gap;
    }
    return x;
}

/* "+N more lines" at the right end of the legend's row (from x to end),
 * or "+N" where that does not fit, or nothing. */
static void more_lines(Ctx *c, int n, int x, int y, int end)
{
    Draw *d = c->d;
    char buf[32];
    snprintf(buf, sizeof buf, "+%d more line%s", n, n == 1 ? "" : "s");
    int px = S(d, 12);
    if (text_width(d, FACE_SANS, px, buf) > end - x)
        snprintf(buf, sizeof buf, "+%d", n);
    if (text_width(d, FACE_SANS, px, buf) <= end - x)
        draw_text(d, FACE_SANS, px, d->pal->dim, end, y, buf, ALIGN_RIGHT, 0);
}

/* The rows' geometry: labels from x in lw, then one cell of cw per core. */
typedef struct {
    int x, lw, cw, gap, rh;
    bool compact;               /* one line of label, ticks beside the letter */
} Grid;

typedef struct {
    uint64_t line;
    int core;                   /* -1: the pointer is over no cell */
    SDL_Rect at;
} CellHover;

/* A line's label: its address, and what it holds under it.  A compact
 * row has one line for both: the two if they fit; else what it holds
 * alone, or, when another row holds the same, beside the address's last
 * four digits ("…4040", where such rows differ); else the address, or
 * its last four digits where it does not fit.  The pointer's details give
 * the address whole. */
static void row_labels(Ctx *c, const Grid *g, uint64_t line, const RowName *rn, int y)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    char a[32], names[160];
    snprintf(a, sizeof a, "0x%llx", (unsigned long long)line);
    int room = g->lw - S(d, 6), apx = S(d, g->compact ? 11 : 13), lpx = S(d, 11);
    int ay = y + (g->compact ? (g->rh - text_height(d, FACE_MONO, apx)) / 2 : S(d, 4));
    int ly = y + (g->rh - text_height(d, FACE_SANS, lpx)) / 2;
    if (g->compact && rn->full[0]) {
        int aw = text_width(d, FACE_MONO, apx, a) + S(d, 6);
        row_label(c, rn, lpx, room - aw, names, sizeof names);
        if (room - aw <= 0 || text_width(d, FACE_SANS, lpx, names) > room - aw) {
            if (!rn->dup) {
                draw_label(d, FACE_SANS, lpx, p->dim, g->x, ly,
                           row_label(c, rn, lpx, room, names, sizeof names), ALIGN_LEFT, room);
                return;
            }
            snprintf(a, sizeof a, "…%04llx", (unsigned long long)(line & 0xffff));
            aw = text_width(d, FACE_MONO, apx, a) + S(d, 6);
            row_label(c, rn, lpx, room - aw, names, sizeof names);
        }
        if (room - aw >= text_width(d, FACE_SANS, lpx, "ab…")) {
            draw_text(d, FACE_MONO, apx, p->text, g->x, ay, a, ALIGN_LEFT, 0);
            draw_label(d, FACE_SANS, lpx, p->dim, g->x + aw, ly, names, ALIGN_LEFT, room - aw);
            return;
        }
        snprintf(a, sizeof a, "0x%llx", (unsigned long long)line);
    }
    if (text_width(d, FACE_MONO, S(d, 9), a) > room) /* the digits where rows differ */
        snprintf(a, sizeof a, "…%04llx", (unsigned long long)(line & 0xffff));
    if (text_width(d, FACE_MONO, S(d, 9), a) <= room)
        draw_text_fit(d, FACE_MONO, apx, S(d, 9), p->text, g->x, ay, a, ALIGN_LEFT, room);
    else /* too narrow even for those: the details name it */
        draw_label(d, FACE_MONO, S(d, 9), p->text, g->x, ay, a, ALIGN_LEFT, room);
    if (!g->compact)
        draw_label(d, FACE_SANS, S(d, 12), p->dim, g->x, y + S(d, 22),
                   row_label(c, rn, S(d, 12), room, names, sizeof names), ALIGN_LEFT, room);
}

/* One line's row at y: labels, a cell per core, the arrow of its last
 * invalidation if it is recent. */
static void line_row(Ctx *c, const Grid *g, uint64_t line, const RowName *rn, int y,
                     CellHover *hv)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const World *w = c->w;
    int ncores = w->params.ncores, rh = g->rh;
    selectable(c, (SDL_Rect){g->x, y, g->lw + ncores * (g->cw + g->gap), rh}, /* label framed */
               (Hit){line, w->params.line_size, HIT_LINE},
               (SDL_Rect){g->x - S(d, 4), y - S(d, 4), g->lw, rh + S(d, 8)});
    row_labels(c, g, line, rn, y);
    const WInval *last = NULL;
    for (uint32_t k = 0; k < w->recent.n; k++)
        if (w->recent.v[k].line == line && recent(c, w->recent.v[k].at))
            last = &w->recent.v[k];
    for (int k = 0; k < ncores; k++) {
        SDL_Rect cr = {g->x + g->lw + g->gap + k * (g->cw + g->gap), y, g->cw, rh};
        cell(c, world_line(w, (unsigned)k, line), cr, last && last->victim == k ? last : NULL,
             g->compact);
        if (pointer_over(c, cr))
            *hv = (CellHover){line, k, cr};
    }
    if (!last || last->writer >= ncores || last->victim >= ncores || last->writer == last->victim)
        return;
    int x0 = g->x + g->lw + g->gap + last->writer * (g->cw + g->gap) + g->cw / 2;
    int x1 = g->x + g->lw + g->gap + last->victim * (g->cw + g->gap) + g->cw / 2;
    SDL_Color ac = last->false_sharing ? p->false_sh : p->true_sh;
    int dir = x1 > x0 ? 1 : -1, vx = g->x + g->lw + g->gap + last->victim * (g->cw + g->gap);
    const char *what = last->false_sharing ? "false sharing" : "true sharing";
    int tw = text_width(d, FACE_BOLD, S(d, 12), what) + S(d, 10);
    int th = text_height(d, FACE_BOLD, S(d, 12)); /* on a patch: it sits on the cells' edge */
    SDL_Rect patch = {(x0 + x1 - tw) / 2, y - S(d, 3), tw, th + S(d, 2)};
    if (g->compact) { /* the row is one letter high: the arrow stops at the victim's
                       * letter, the words go in the cell before it, as many as fit */
        x1 = dir > 0 ? vx + S(d, 4) : vx + g->cw - S(d, 4);
        int room = g->cw - S(d, 28);
        if (tw > room) {
            what = last->false_sharing ? "false" : "true";
            tw = text_width(d, FACE_BOLD, S(d, 12), what) + S(d, 10);
        }
        patch = (SDL_Rect){dir > 0 ? vx - g->gap - tw : vx + g->cw + g->gap,
                           y + (rh - patch.h) / 2, tw, patch.h};
        if (tw > room)
            what = NULL;
    } else {
        x1 -= dir * S(d, 20);
    }
    draw_arrow(d, x0 + dir * S(d, 20), y + rh / 2, x1, y + rh / 2, ac, S(d, 4));
    if (!what) /* the arrow's colour and the pointer's details say which */
        return;
    draw_round(d, patch, S(d, 4), p->panel);
    draw_text(d, FACE_BOLD, S(d, 12), ac, patch.x + tw / 2, patch.y + S(d, 1), what, ALIGN_CENTER, 0);
}

void render_cache(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const World *w = c->w;
    char sub[64];
    snprintf(sub, sizeof sub, "%u core%s · %u-byte lines", w->params.ncores,
             w->params.ncores == 1 ? "" : "s", w->params.line_size);
    int room = r.w - 3 * S(d, 14) - text_width(d, FACE_BOLD, S(d, 15), "Caches") - S(d, 12);
    if (text_width(d, FACE_SANS, S(d, 11), sub) > room) /* a narrow pane */
        snprintf(sub, sizeof sub, "%u core%s · %u B", w->params.ncores,
                 w->params.ncores == 1 ? "" : "s", w->params.line_size);
    SDL_Rect in = draw_card(d, r, "Caches", sub);
    int legend_end = legend(c, in.x, in.y, in.w);
    int top = in.y + S(d, 26), ncores = w->params.ncores;
    /* The lines' labels take 150 units, less in a narrow pane, so that
     * each core's cell keeps 30 (the pointer's details name a line whose
     * label is cut short). */
    Grid g = {.x = in.x, .gap = S(d, 8), .rh = S(d, 44)};
    g.lw = in.w - g.gap * ncores - S(d, 30) * ncores;
    g.lw = g.lw > S(d, 150) ? S(d, 150) : g.lw < S(d, 60) ? S(d, 60) : g.lw;
    g.cw = (in.w - g.lw - g.gap * ncores) / (ncores ? ncores : 1);
    for (int k = 0; k < ncores && g.cw >= S(d, 12); k++) {
        char h[24];
        snprintf(h, sizeof h, "core %d", k);
        if (text_width(d, FACE_BOLD, S(d, 14), h) > g.cw) /* narrow cells: "c3", not "co..." */
            snprintf(h, sizeof h, "c%d", k);
        draw_text_fit(d, FACE_BOLD, S(d, 14), S(d, 9), p->text,
                      in.x + g.lw + g.gap + k * (g.cw + g.gap) + g.cw / 2, top, h, ALIGN_CENTER, g.cw);
    }
    top += text_height(d, FACE_BOLD, S(d, 14)) + S(d, 6);
    Row rows[MAX_ROWS];
    int total, avail = in.y + in.h - top, pitch = g.rh + S(d, 6), maxr = avail / pitch;
    int n = pick_rows(w, rows, MAX_ROWS, &total);
    if (maxr < (total < 4 ? total : 4) && avail / (S(d, 24) + S(d, 4)) > maxr) {
        g.compact = true; /* fewer than 4 lines: more of them, a line of text each */
        g.rh = S(d, 24), pitch = g.rh + S(d, 4), maxr = avail / pitch;
    }
    if (g.cw < S(d, 12) || maxr < 0) /* no width for the cores' cells, or no height */
        maxr = 0;
    n = n < maxr ? n : maxr; /* the newest that fit, shown in address order */
    qsort(rows, (size_t)n, sizeof *rows, by_line);
    if (!n) /* nothing to show, or no room to show it: say which (on two
             * lines in a narrow pane) */
        draw_text_wrap(d, FACE_SANS, S(d, 15), p->dim,
                       (SDL_Rect){in.x, top, in.w, 2 * text_height(d, FACE_SANS, S(d, 15))},
                       total ? "no room for its lines" : "no cache lines touched yet");
    else if (n < total)
        more_lines(c, total - n, legend_end + S(d, 8), in.y, in.x + in.w);
    RowName rn[MAX_ROWS];
    for (int i = 0; i < n; i++) {
        owner(c, rows[i].line, rn[i].full, sizeof rn[i].full, &rn[i].names, &rn[i].first);
        rn[i].dup = false;
        for (int j = 0; j < i; j++)
            if (rn[i].full[0] && !strcmp(rn[i].full, rn[j].full))
                rn[i].dup = rn[j].dup = true;
    }
    CellHover hv = {0, -1, {0, 0, 0, 0}};
    for (int i = 0; i < n; i++)
        line_row(c, &g, rows[i].line, &rn[i], top + i * pitch, &hv);
    if (hv.core >= 0)
        cell_details(c, hv.line, (unsigned)hv.core, hv.at, r);
}
