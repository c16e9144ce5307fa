/*
 * render_stacks.c — goroutine stacks: one column per goroutine, newest frame
 * on top, locals inside their frames, slice headers with {ptr, len, cap},
 * objects that live in the frame (a small map's hmap and bucket).
 *
 * Invariant: frames are drawn in the World's order for their goroutine
 * (push order), so the picture follows the trace, not a guess.
 */
#include "render.h"

#include <stdio.h>
#include <string.h>

#define MAX_COLS 4

static void g_state(const WGoroutine *g, char *buf, size_t n, int *tone)
{
    *tone = 0;
    if (g->exited)
        snprintf(buf, n, "exited"), *tone = 2;
    else if (g->blocked)
        snprintf(buf, n, "blocked on 0x%llx", (unsigned long long)g->blocked_on), *tone = 1;
    else if (g->core >= 0)
        snprintf(buf, n, "running on core %d", g->core), *tone = 3;
    else
        snprintf(buf, n, "runnable");
}

/* The stack object at objs position i if it is live and inside the frame
 * (whose stack runs from sp up, below the frame before it). */
static const WObj *in_frame(const World *w, uint32_t i, const WFrame *f, uint64_t below)
{
    const WObj *o = wobj(w, i);
    return o && o->state != OBJ_DEAD && o->addr < f->sp && o->addr >= below ? o : NULL;
}

/* Lines a frame needs: its locals plus the stack objects inside it. */
static int frame_lines(const World *w, const WFrame *f, uint64_t below)
{
    int n = 0;
    for (uint32_t i = 0; i < w->locals.n; i++)
        if (w->locals.v[i].frame == f->serial)
            n += 1 + (world_slice_by_hdr(w, w->locals.v[i].addr) != NULL);
    for (uint32_t i = 0; i < w->stack_objs.n; i++)
        n += in_frame(w, w->stack_objs.v[i], f, below) != NULL;
    return n;
}

/* Local l at x, y in width wdt (px text, lines lh apart): its name, type and
 * size, and a slice header's fields under it; returns the height used. */
static int draw_local(Ctx *c, const WLocal *l, int x, int y, int wdt, int px, int lh, float a)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    SDL_Color tc = mix(p->panel, p->text, a);
    int nw = draw_text(d, FACE_MONO_BOLD, px, mix(p->panel, p->title, a), x, y,
                       str(c, l->name), ALIGN_LEFT, wdt / 2);
    char buf[96]; /* its type and size, smaller, then without the size, before a cut */
    snprintf(buf, sizeof buf, " %s  %uB", str(c, l->type), l->size);
    if (text_width(d, FACE_MONO, S(d, 10), buf) > wdt - nw)
        snprintf(buf, sizeof buf, " %s", str(c, l->type));
    draw_text_fit(d, FACE_MONO, px, S(d, 10), mix(p->panel, p->dim, a), x + nw, y, buf, ALIGN_LEFT,
                  wdt - nw);
    const WSlice *s = world_slice_by_hdr(c->w, l->addr);
    if (!s)
        return lh;
    char ptr[24] = "nil";
    if (s->array)
        snprintf(ptr, sizeof ptr, "0x%llx", (unsigned long long)s->array);
    snprintf(buf, sizeof buf, "ptr %s  len %llu  cap %llu", ptr, (unsigned long long)s->len,
             (unsigned long long)s->cap);
    if (text_width(d, FACE_MONO, S(d, 10), buf) > wdt - S(d, 10)) /* narrow: the short form */
        snprintf(buf, sizeof buf, "%s len %llu cap %llu", ptr, (unsigned long long)s->len,
                 (unsigned long long)s->cap);
    SDL_Color chip = p->kind[OBJ_ARRAY];
    draw_fill(d, (SDL_Rect){x, y + lh + S(d, 2), S(d, 4), lh - S(d, 5)}, chip);
    draw_text_fit(d, FACE_MONO, px, S(d, 10), recent(c, s->born) ? p->accent2 : tc,
                  x + S(d, 10), y + lh, buf, ALIGN_LEFT, wdt - S(d, 10));
    return 2 * lh;
}

/* A line or two of a frame's box: a local (a slice header takes two) or
 * an object living in the frame. */
typedef struct {
    uint64_t born;
    uint32_t i;                 /* into locals, or objs for an object */
    uint8_t lines, is_obj, hidden;
} FrameItem;

#define MAX_ITEMS 64

/* Frame f's items in drawing order: locals, then objects in the frame.
 * Past MAX_ITEMS the earliest go uncollected; *skipped counts them. */
static uint32_t frame_items(const World *w, const WFrame *f, uint64_t below, FrameItem *it,
                            uint32_t *skipped)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < w->locals.n; i++) {
        const WLocal *l = &w->locals.v[i];
        if (l->frame == f->serial)
            it[total++ % MAX_ITEMS] = (FrameItem){
                l->born, i, (uint8_t)(1 + (world_slice_by_hdr(w, l->addr) != NULL)), 0, 0};
    }
    for (uint32_t k = 0; k < w->stack_objs.n; k++) {
        const WObj *o = in_frame(w, w->stack_objs.v[k], f, below);
        if (o)
            it[total++ % MAX_ITEMS] = (FrameItem){o->born, w->stack_objs.v[k], 1, 1, 0};
    }
    uint32_t n = total < MAX_ITEMS ? total : MAX_ITEMS;
    *skipped = total - n;
    if (total > MAX_ITEMS) { /* the ring wrapped: back in drawing order */
        FrameItem tmp[MAX_ITEMS];
        for (uint32_t k = 0; k < n; k++)
            tmp[k] = it[(total + k) % MAX_ITEMS];
        memcpy(it, tmp, sizeof tmp);
    }
    return n;
}

/* When the n items (and `skipped` more) do not all fit in `lines` lines,
 * hide the items made longest ago (the first of equals) until the rest
 * fit above a line saying so; returns how many were hidden.  What a step
 * just declared is what it is about, so it is the last to go. */
static uint32_t hide_oldest(FrameItem *it, uint32_t n, uint32_t skipped, int lines)
{
    int used = 0;
    uint32_t hidden = 0;
    for (uint32_t k = 0; k < n; k++)
        used += it[k].lines;
    if (!skipped && used <= lines)
        return 0;
    while (used > lines - 1 && hidden < n) {
        uint32_t old = n;
        for (uint32_t k = 0; k < n; k++)
            if (!it[k].hidden && (old == n || it[k].born < it[old].born))
                old = k;
        it[old].hidden = 1;
        used -= it[old].lines;
        hidden++;
    }
    return hidden;
}

/* An object living in frame f, on one line. */
static void draw_frame_obj(Ctx *c, const WObj *o, SDL_Rect r, int x, int y, int px, int lh)
{
    Draw *d = c->d;
    char buf[96];
    snprintf(buf, sizeof buf, "%s in frame  %uB", str(c, o->type), o->size);
    draw_fill(d, (SDL_Rect){x, y + S(d, 3), S(d, 10), lh - S(d, 6)}, d->pal->kind[o->kind]);
    draw_text(d, FACE_MONO, px, d->pal->text, r.x + S(d, 28), y, buf, ALIGN_LEFT, r.w - S(d, 40));
}

/* Frame f's locals, then its stack objects, in r (lines of px text, lh
 * apart); when they do not all fit, the oldest give way and the last line
 * says how many did. */
static void frame_lines_draw(Ctx *c, const WFrame *f, uint64_t below, SDL_Rect r, int px,
                             int lh)
{
    Draw *d = c->d;
    const World *w = c->w;
    int y = r.y, x = r.x + S(d, 12);
    FrameItem it[MAX_ITEMS];
    uint32_t skipped, n = frame_items(w, f, below, it, &skipped);
    uint32_t left = skipped + hide_oldest(it, n, skipped, r.h / lh);
    for (uint32_t k = 0; k < n; k++) {
        if (it[k].hidden)
            continue;
        if (it[k].is_obj)
            draw_frame_obj(c, wobj(w, it[k].i), r, x, y, px, lh);
        else
            draw_local(c, &w->locals.v[it[k].i], x, y, r.w - S(d, 24), px, lh,
                       appear(c, it[k].born));
        y += it[k].lines * lh;
    }
    if (left) {
        char more[48];
        snprintf(more, sizeof more, "… %u more in this frame", left);
        draw_text(d, FACE_SANS, S(d, 13), d->pal->dim, x, y, more, ALIGN_LEFT, r.w - S(d, 24));
    }
}

/* The height of frame f's box with all its lines. */
static int frame_height(Ctx *c, const WFrame *f, uint64_t below)
{
    Draw *d = c->d;
    int lh = text_height(d, FACE_MONO, S(d, 14)) + S(d, 3);
    int hh = text_height(d, FACE_BOLD, S(d, 15)) + S(d, 8);
    return hh + frame_lines(c->w, f, below) * lh + S(d, 8);
}

/* A frame's header: its function, shrinking a little before it is cut,
 * then its sp at the right (only the sp's last four digits in a narrow
 * column, none when the function needs the whole width). */
static void frame_head(Ctx *c, const WFrame *f, SDL_Rect box, float a)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const char *fn = str(c, f->fn);
    int part = box.w * 6 / 10, whole = box.w - S(d, 20), x = box.x + S(d, 10);
    int npx = text_fit_px(d, FACE_BOLD, S(d, 15), S(d, 11), fn, part);
    bool alone = text_width(d, FACE_BOLD, npx, fn) > part;
    if (alone) /* the function is what the frame is: it goes first */
        npx = text_fit_px(d, FACE_BOLD, S(d, 15), S(d, 9), fn, whole);
    int tw = draw_text(d, FACE_BOLD, npx, mix(p->panel, p->title, a), x,
                       box.y + S(d, 5) + text_centre(d, FACE_BOLD, S(d, 15), npx), fn,
                       ALIGN_LEFT, alone ? whole : part);
    if (alone)
        return;
    int room = box.w - tw - S(d, 30);
    char sp[32];
    snprintf(sp, sizeof sp, "sp 0x%llx", (unsigned long long)f->sp);
    int spx = text_fit_px(d, FACE_MONO, S(d, 12), S(d, 10), sp, room);
    if (text_width(d, FACE_MONO, spx, sp) > room) {
        snprintf(sp, sizeof sp, "sp …%04llx", (unsigned long long)(f->sp & 0xffff));
        spx = text_fit_px(d, FACE_MONO, S(d, 12), S(d, 10), sp, room);
    }
    if (text_width(d, FACE_MONO, spx, sp) <= room)
        draw_text(d, FACE_MONO, spx, p->dim, box.x + box.w - S(d, 10), box.y + S(d, 8), sp,
                  ALIGN_RIGHT, room);
}

/* Frame f's box at box.x, box.y, at most maxh tall: its function, sp, and
 * its locals and stack objects, as many as fit, then how many did not. */
static int draw_frame_box(Ctx *c, const WFrame *f, uint64_t below, SDL_Rect box, int maxh)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const World *w = c->w;
    float a = appear(c, f->born);
    box.x += (int)((1 - a) * box.w * 0.6f); /* a new frame slides on */
    int px = S(d, 14), lh = text_height(d, FACE_MONO, px) + S(d, 3);
    int hh = text_height(d, FACE_BOLD, S(d, 15)) + S(d, 8);
    int lines = frame_lines(w, f, below), room = (maxh - hh - S(d, 8)) / lh;
    if (lines > room) /* the last line left says how many more */
        lines = room > 1 ? room : 1;
    box.h = hh + lines * lh + S(d, 8);
    SDL_Color edge = recent(c, f->born) ? p->accent2 : p->panel_edge;
    draw_edged(d, box, S(d, 7), 2, S(d, 6), mix(p->panel, edge, a),
               mix(p->panel, mix(p->bg, p->panel, 0.4f), a));
    frame_head(c, f, box, a);
    frame_lines_draw(c, f, below, (SDL_Rect){box.x, box.y + hh, box.w, lines * lh}, px, lh);
    return box.h;
}

/* Frames of goroutine gi popped while the animation plays slide off the
 * top of its stack and fade, giving their room back as they go; returns
 * the room they take now. */
static int popped_frames(Ctx *c, uint32_t gi, SDL_Rect col)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const WNarration *n = &c->w->nar;
    int hh = text_height(d, FACE_BOLD, S(d, 15)) + S(d, 16), y = col.y;
    uint32_t first = n->popped_next > WORLD_POPPED ? n->popped_next - WORLD_POPPED : 0;
    for (uint32_t k = first; k < n->popped_next; k++) { /* the innermost popped first */
        const WPopped *f = &n->popped[k % WORLD_POPPED];
        if (f->g != gi || !recent(c, f->at))
            continue;
        float t = appear(c, f->at);
        if (t >= 1)
            continue;
        SDL_Rect box = {col.x + (int)(t * col.w * 0.6f), y, col.w, hh};
        draw_edged(d, box, S(d, 7), 2, S(d, 6), mix(p->panel, p->accent2, 1 - t), p->panel);
        draw_text(d, FACE_BOLD, S(d, 15), mix(p->panel, p->title, 1 - t), box.x + S(d, 10),
                  box.y + S(d, 5), str(c, f->fn), ALIGN_LEFT, box.w - S(d, 20));
        y += (int)((hh + S(d, 6)) * (1 - t));
    }
    return y - col.y;
}

static void g_column(Ctx *c, uint32_t gi, SDL_Rect col)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const World *w = c->w;
    const WGoroutine *g = &w->gs.v[gi];
    char head[96], st[96];
    int tone;
    snprintf(head, sizeof head, "g%llu", (unsigned long long)g->id);
    int hw = draw_text(d, FACE_BOLD, S(d, 17), g->exited ? p->dim : p->title, col.x, col.y, head,
                       ALIGN_LEFT, 0);
    draw_text(d, FACE_SANS, S(d, 14), p->dim, col.x + hw + S(d, 8), col.y + S(d, 3),
              str(c, g->fn), ALIGN_LEFT, col.w - hw - S(d, 8));
    g_state(g, st, sizeof st, &tone);
    SDL_Color sc = tone == 3 ? p->good : tone == 1 ? p->warn : p->dim;
    int y = col.y + text_height(d, FACE_BOLD, S(d, 17)) + S(d, 2);
    draw_text(d, FACE_SANS, S(d, 13), sc, col.x, y, st, ALIGN_LEFT, col.w);
    y += text_height(d, FACE_SANS, S(d, 13)) + S(d, 8);
    y += popped_frames(c, gi, (SDL_Rect){col.x, y, col.w, col.h});
    /* newest frame first; count this goroutine's frames */
    uint32_t nf = 0;
    for (uint32_t i = 0; i < w->frames.n; i++)
        nf += w->frames.v[i].g == gi;
    uint32_t shown = 0;
    uint64_t below = g->stack_lo;
    /* The newest frame takes what room there is (less a line for the
     * older ones); an older frame is shown whole or not at all. */
    int note = text_height(d, FACE_SANS, S(d, 13)), bottom = col.y + col.h;
    for (uint32_t i = w->frames.n; i-- > 0;) {
        const WFrame *f = &w->frames.v[i];
        if (f->g != gi)
            continue;
        int room = bottom - y - (nf - shown > 1 ? note + S(d, 6) : 0);
        if (shown && frame_height(c, f, below) > room) {
            char more[64], num[32];
            fmt_count(num, sizeof num, nf - shown);
            snprintf(more, sizeof more, "… %s older frame%s", num, nf - shown == 1 ? "" : "s");
            if (y + note <= bottom)
                draw_text(d, FACE_SANS, S(d, 13), p->dim, col.x, y, more, ALIGN_LEFT, col.w);
            break;
        }
        y += draw_frame_box(c, f, below, (SDL_Rect){col.x, y, col.w, 0}, room) + S(d, 6);
        below = f->sp;
        shown++;
    }
}

/* How many columns fit in width w (at most MAX_COLS, one per goroutine). */
static uint32_t columns_for(Ctx *c, int w)
{
    uint32_t ncols = c->w->gs.n < MAX_COLS ? c->w->gs.n : MAX_COLS;
    while (ncols > 1 && w / (int)ncols < S(c->d, 230))
        ncols--;
    return ncols;
}

int render_stacks_height(Ctx *c, int w)
{
    Draw *d = c->d;
    const World *wd = c->w;
    int top = S(d, 10) + text_height(d, FACE_BOLD, S(d, 15)) + S(d, 8); /* as draw_card */
    int ghead = text_height(d, FACE_BOLD, S(d, 17)) + S(d, 2) + text_height(d, FACE_SANS, S(d, 13)) +
                S(d, 8);
    int note = text_height(d, FACE_SANS, S(d, 13)) + S(d, 6), most = 0;
    uint32_t shown[MAX_COLS], n = stacks_columns(wd, shown, columns_for(c, w - 2 * S(d, 14)));
    for (uint32_t k = 0; k < n; k++) {
        const WGoroutine *g = &wd->gs.v[shown[k]];
        for (uint32_t i = wd->frames.n; i-- > 0;)
            if (wd->frames.v[i].g == shown[k]) { /* the newest */
                int h = frame_height(c, &wd->frames.v[i], g->stack_lo);
                most = h > most ? h : most;
                break;
            }
    }
    return top + ghead + most + 2 * note + S(d, 10);
}

uint32_t stacks_columns(const World *w, uint32_t *out, uint32_t n)
{
    uint32_t k = 0;
    for (int rank = 0; rank < 4 && k < n; rank++)
        for (uint32_t i = 0; i < w->gs.n && k < n; i++) {
            const WGoroutine *g = &w->gs.v[i];
            int r = g->exited ? 3 : g->core >= 0 ? 0 : g->blocked ? 1 : 2;
            if (r == rank)
                out[k++] = i;
        }
    for (uint32_t i = 1; i < k; i++) /* insertion sort: k is a few columns */
        for (uint32_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
            uint32_t t = out[j];
            out[j] = out[j - 1], out[j - 1] = t;
        }
    return k;
}

/* The goroutines without a column, in a line at the bottom of r: their ids
 * and functions when they fit, else their ids, else how many. */
static void hidden_goroutines(Ctx *c, const uint32_t *shown, uint32_t ncols, SDL_Rect r)
{
    Draw *d = c->d;
    const World *w = c->w;
    char full[256], ids[256], count[64];
    int nf = snprintf(full, sizeof full, "+%u more:", w->gs.n - ncols);
    int ni = snprintf(ids, sizeof ids, "%s", full);
    snprintf(count, sizeof count, "+%u more goroutines", w->gs.n - ncols);
    uint32_t nex = 0, nhid = w->gs.n - ncols;
    for (uint32_t i = 0, k = 0; i < w->gs.n; i++) {
        if (k < ncols && shown[k] == i) {
            k++;
            continue;
        }
        const WGoroutine *g = &w->gs.v[i];
        nex += g->exited;
        char st[24] = "";
        if (g->exited || g->blocked)
            snprintf(st, sizeof st, g->exited ? " (exited)" : " (blocked)");
        else if (g->core >= 0)
            snprintf(st, sizeof st, " (core %d)", g->core);
        if (nf >= 0 && nf < (int)sizeof full)
            nf += snprintf(full + nf, sizeof full - (size_t)nf, " g%llu %s%s",
                           (unsigned long long)g->id, str(c, g->fn), st);
        if (ni >= 0 && ni < (int)sizeof ids)
            ni += snprintf(ids + ni, sizeof ids - (size_t)ni, " g%llu", (unsigned long long)g->id);
    }
    if (nex) { /* the short forms say how many of them have exited */
        const char *tail = nex == nhid ? ", all exited" : NULL;
        char ex[40];
        snprintf(ex, sizeof ex, " (%u exited)", nex);
        if (ni >= 0 && ni < (int)sizeof ids)
            snprintf(ids + ni, sizeof ids - (size_t)ni, "%s", tail ? tail : ex);
        snprintf(count, sizeof count, "+%u more goroutines%s", nhid, tail ? tail : ex);
    }
    int px = S(d, 13);
    const char *t = nf < (int)sizeof full && text_width(d, FACE_SANS, px, full) <= r.w ? full
                    : ni < (int)sizeof ids && text_width(d, FACE_SANS, px, ids) <= r.w ? ids
                                                                                        : count;
    draw_text(d, FACE_SANS, px, d->pal->dim, r.x, r.y + r.h - text_height(d, FACE_SANS, px), t,
              ALIGN_LEFT, r.w);
}

void render_stacks(Ctx *c, SDL_Rect r)
{
    Draw *d = c->d;
    const World *w = c->w;
    char sub[48];
    snprintf(sub, sizeof sub, "%u goroutine%s", w->gs.n, w->gs.n == 1 ? "" : "s");
    SDL_Rect in = draw_card(d, r, "Goroutine stacks", sub);
    uint32_t ncols = columns_for(c, in.w);
    if (!ncols)
        return;
    int gap = S(d, 14), cw = (in.w - gap * (int)(ncols - 1)) / (int)ncols;
    uint32_t shown[MAX_COLS];
    ncols = stacks_columns(w, shown, ncols);
    if (ncols < w->gs.n) { /* say which goroutines have no column */
        hidden_goroutines(c, shown, ncols, in);
        in.h -= text_height(d, FACE_SANS, S(d, 13)) + S(d, 6);
    }
    for (uint32_t k = 0; k < ncols; k++)
        g_column(c, shown[k], (SDL_Rect){in.x + (int)k * (cw + gap), in.y, cw, in.h});
}
