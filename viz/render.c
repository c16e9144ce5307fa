/*
 * render.c — a whole frame: background, title bar, the panes the trace and
 * the user want, the damage banner, the help overlay and hints.
 *
 * Invariant: render_frame reads only the Replay (sought to v->pos) and the
 * View; it keeps no state between frames.
 */
#include "render.h"

#include <assert.h>

#include <stdio.h>
#include <string.h>

void view_defaults(View *v)
{
    memset(v, 0, sizeof *v);
    for (int p = 0; p < PANE_COUNT; p++)
        v->want[p] = true;
    v->phase = 1;
    v->text_scale = 1;
    v->dpi = 1;
    v->speed = 1;
    v->zoom = v->map_zoom = 1;
    v->hover_x = v->hover_y = -1;
}

const char *str(Ctx *c, uint32_t id)
{
    return trace_string(&c->rp->r, id);
}

bool recent(const Ctx *c, uint64_t at)
{
    return c->v->from < c->v->pos && at >= c->v->from && at < c->v->pos;
}

float appear(const Ctx *c, uint64_t at)
{
    if (!recent(c, at) || c->v->phase >= 1)
        return 1;
    float t = c->v->phase < 0 ? 0 : c->v->phase;
    return t * t * (3 - 2 * t); /* smoothstep */
}

bool pointer_over(const Ctx *c, SDL_Rect r)
{
    SDL_Point m = {c->v->hover_x, c->v->hover_y};
    SDL_Rect clip;
    SDL_RenderGetClipRect(c->d->r, &clip);
    return SDL_PointInRect(&m, &r) && (SDL_RectEmpty(&clip) || SDL_PointInRect(&m, &clip));
}

void selectable(Ctx *c, SDL_Rect box, Hit h, SDL_Rect frame)
{
    if (pointer_over(c, box))
        c->hit = h;
    if (c->v->highlight && c->v->highlight == h.addr)
        draw_frame(c->d, frame, c->d->pal->title, 2);
}

void hover_box(Ctx *c, SDL_Rect at, SDL_Rect pane, char lines[][96], int n)
{
    assert(n <= HOVER_LINES);
    c->tip.n = n;
    c->tip.at = at;
    c->tip.pane = pane;
    memcpy(c->tip.lines, lines, (size_t)n * sizeof *c->tip.lines);
}

/* The details box c->tip asks for: beside `at` in its pane where there is
 * room, else as near as the window allows; lines too long for the window
 * wrap. */
static void draw_tip(Ctx *c, int ww, int wh)
{
    Draw *d = c->d;
    int px = S(d, 14), gap = S(d, 2), w = 0, h = 0, n = c->tip.n;
    SDL_Rect at = c->tip.at, pane = c->tip.pane, win = {0, 0, ww, wh};
    for (int i = 0; i < n; i++) {
        int tw = text_width(d, i ? FACE_SANS : FACE_BOLD, px, c->tip.lines[i]);
        w = tw > w ? tw : w;
    }
    if (w > pane.w - S(d, 20)) /* a narrow pane: long lines wrap */
        w = pane.w - S(d, 20) > S(d, 200) ? pane.w - S(d, 20) : S(d, 200);
    if (w > ww - S(d, 20))
        w = ww - S(d, 20);
    int lh[HOVER_LINES];
    for (int i = 0; i < n; i++)
        h += lh[i] = text_wrap_height(d, i ? FACE_SANS : FACE_BOLD, px, w, c->tip.lines[i]) + gap;
    SDL_Rect box = {at.x + at.w + S(d, 8), at.y, w + S(d, 20), h + S(d, 14)};
    if (box.x + box.w > pane.x + pane.w)
        box.x = at.x - box.w - S(d, 8);
    if (box.x < pane.x) /* no room either side: over it, at the pane's edge */
        box.x = pane.x;
    if (box.y + box.h > pane.y + pane.h)
        box.y = pane.y + pane.h - box.h;
    /* within the window, whatever the pane's size */
    box.x = box.x + box.w > win.w ? win.w - box.w : box.x < 0 ? 0 : box.x;
    box.y = box.y < 0 ? 0 : box.y + box.h > win.h ? win.h - box.h : box.y;
    draw_round(d, box, S(d, 6), d->pal->title);
    draw_cover(d, box); /* over the panes on purpose */
    for (int i = 0, y = box.y + S(d, 7); i < n; y += lh[i++])
        draw_text_wrap(d, i ? FACE_SANS : FACE_BOLD, px, d->pal->bg,
                       (SDL_Rect){box.x + S(d, 10), y, w, lh[i]}, c->tip.lines[i]);
}

SDL_Color on_color(const Palette *p, SDL_Color bg)
{
    int lum = (bg.r * 299 + bg.g * 587 + bg.b * 114) / 1000;
    SDL_Color dark = {16, 18, 24, 255}, light = {250, 250, 252, 255};
    (void)p;
    return lum > 140 ? dark : light;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The background where no pane or title bar will be drawn over it: the
 * window minus their boxes (which never overlap), plus each pane's corners,
 * which its card rounds off.  A card fills nearly all its pane and SDL's
 * software fills are most of a frame, so the window is not filled twice. */
static void fill_background(Draw *d, int w, int h, const Layout *l)
{
    SDL_Rect box[PANE_COUNT + 1];
    int n = 0, ys[2 * (PANE_COUNT + 1) + 2], ny = 0, rad = S(d, CARD_RADIUS);
    box[n++] = l->title;
    for (Pane p = 0; p < PANE_COUNT; p++)
        if (l->shown[p])
            box[n++] = l->pane[p];
    ys[ny++] = 0, ys[ny++] = h;
    for (int i = 0; i < n; i++)
        ys[ny++] = box[i].y, ys[ny++] = box[i].y + box[i].h;
    qsort(ys, (size_t)ny, sizeof *ys, by_int);
    for (int k = 0; k + 1 < ny; k++) { /* bands between the boxes' edges */
        int y0 = ys[k] < 0 ? 0 : ys[k], y1 = ys[k + 1] > h ? h : ys[k + 1], x = 0;
        if (y0 >= y1)
            continue;
        int xs[PANE_COUNT + 1][2], nx = 0;
        for (int i = 0; i < n; i++)
            if (box[i].y <= y0 && box[i].y + box[i].h >= y1)
                xs[nx][0] = box[i].x, xs[nx++][1] = box[i].x + box[i].w;
        qsort(xs, (size_t)nx, sizeof *xs, by_int); /* by left edge */
        for (int i = 0; i < nx; i++) {
            draw_fill(d, (SDL_Rect){x, y0, xs[i][0] - x, y1 - y0}, d->pal->bg);
            x = xs[i][1] > x ? xs[i][1] : x;
        }
        draw_fill(d, (SDL_Rect){x, y0, w - x, y1 - y0}, d->pal->bg);
    }
    for (int i = 1; i < n; i++) { /* the panes' corners (the title bar has none) */
        SDL_Rect b = box[i];
        int cw = rad < b.w ? rad : b.w, ch = rad < b.h ? rad : b.h;
        draw_fill(d, (SDL_Rect){b.x, b.y, cw, ch}, d->pal->bg);
        draw_fill(d, (SDL_Rect){b.x + b.w - cw, b.y, cw, ch}, d->pal->bg);
        draw_fill(d, (SDL_Rect){b.x, b.y + b.h - ch, cw, ch}, d->pal->bg);
        draw_fill(d, (SDL_Rect){b.x + b.w - cw, b.y + b.h - ch, cw, ch}, d->pal->bg);
    }
}

/* The lesson's (or file's) title, the step counter, the step's title, and
 * the keys' hint; in a narrow window the titles shrink a little before
 * they are shortened, and the step's title goes first when the narration
 * card (step_below) heads with it. */
static void title_bar(Ctx *c, SDL_Rect r, bool step_below)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    const World *w = c->w;
    draw_fill(d, r, mix(p->bg, p->panel, 0.6f));
    draw_fill(d, (SDL_Rect){r.x, r.y + r.h - S(d, 2), r.w, S(d, 2)}, p->panel_edge);
    int x = S(d, 16), y = (r.h - text_height(d, FACE_BOLD, S(d, 20))) / 2;
    const char *title = w->nar.lesson_title ? str(c, w->nar.lesson_title) : c->v->name;
    char counter[64] = "", right[96];
    long k = replay_step_at(c->rp, c->v->pos);
    if (c->rp->nsteps && !c->rp->marks_as_steps)
        snprintf(counter, sizeof counter, "Step %ld of %zu", k + 1, c->rp->nsteps);
    const char *step = k >= 0 ? str(c, c->rp->steps[k].title) : "";
    snprintf(right, sizeof right, "%s%s  ?  help", c->v->playing ? "▶ playing  " : "",
             c->v->palette == PALETTE_PROJECTOR ? "projector" : "");
    /* The step counter and the step's title come first; the lesson's title
     * takes what is left (it is on every step), at least a quarter. */
    int rw = text_width(d, FACE_SANS, S(d, 14), right) + S(d, 32);
    int cw = counter[0] ? text_width(d, FACE_SANS, S(d, 17), counter) + S(d, 14) : 0;
    int sw = *step ? text_width(d, FACE_SANS, S(d, 17), step) : 0;
    title = title ? title : "gomemviz";
    int tmax = r.w - x - rw - S(d, 18) - cw - sw;
    if (step_below && sw && text_width(d, FACE_BOLD, S(d, 14), title) > tmax)
        tmax += sw, sw = 0, step = "";
    if (tmax < r.w / 4)
        tmax = r.w / 4;
    int tpx = text_fit_px(d, FACE_BOLD, S(d, 20), S(d, 14), title, tmax);
    x += draw_text(d, FACE_BOLD, tpx, p->title, x, y + text_centre(d, FACE_BOLD, S(d, 20), tpx),
                   title, ALIGN_LEFT, tmax) + S(d, 18);
    /* In a tiny window what does not fit is left out, never drawn over:
     * the step's title, then the counter; the keys' hint shrinks to "?". */
    if (x + cw > r.w - rw) {
        snprintf(right, sizeof right, "?");
        rw = text_width(d, FACE_SANS, S(d, 14), right) + S(d, 32);
    }
    if (counter[0] && x + cw <= r.w - rw)
        x += draw_text(d, FACE_SANS, S(d, 17), p->accent2, x, y + S(d, 2), counter,
                       ALIGN_LEFT, 0) + S(d, 14);
    int spx = text_fit_px(d, FACE_SANS, S(d, 17), S(d, 13), step, r.w - x - rw);
    if (*step && r.w - x - rw >= S(d, 40))
        draw_text(d, FACE_SANS, spx, p->text, x, y + S(d, 2) + text_centre(d, FACE_SANS, S(d, 17), spx),
                  step, ALIGN_LEFT, r.w - x - rw);
    draw_text(d, FACE_SANS, S(d, 14), p->dim, r.w - S(d, 16), y + S(d, 4), right, ALIGN_RIGHT, 0);
}

static void banner(Ctx *c, int w, int y)
{
    Draw *d = c->d;
    if (c->rp->status == TRACE_OK)
        return;
    char buf[256];
    snprintf(buf, sizeof buf, "%s  —  showing the %llu events before it",
             c->rp->message, (unsigned long long)c->rp->nevents);
    int h = S(d, 34), bw = text_width(d, FACE_BOLD, S(d, 15), buf) + S(d, 40);
    if (bw > w - S(d, 40))
        bw = w - S(d, 40);
    SDL_Rect r = {(w - bw) / 2, y, bw, h};
    draw_round(d, r, S(d, 8), d->pal->banner);
    draw_text(d, FACE_BOLD, S(d, 15), (SDL_Color){255, 255, 255, 255}, w / 2,
              y + (h - text_height(d, FACE_BOLD, S(d, 15))) / 2, buf, ALIGN_CENTER, bw - S(d, 20));
}

static const char *const help_lines[][2] = {
    {"Space", "play / pause"},
    {"→  ←", "next / previous lesson step"},
    {"Shift+→  ←", "one event forward / back"},
    {"Home  End", "first / last position"},
    {"PgUp  PgDn", "previous / next lesson"},
    {"[  ]", "slower / faster"},
    {"click, drag", "timeline: jump; heap, caches, map: select an object, line, bucket"},
    {"click", "sync.Map misses: tick the misses and the promotions they forced"},
    {"pointer", "details: step, heap object, a core's copy of a line, map slot, entry"},
    {",  .", "previous / next event of the selected object"},
    {"wheel, drag", "zoom and pan the heap or the map"},
    {"+  -", "text size"},
    {"F  P", "fullscreen, projector preset"},
    {"S", "save a PNG of this frame"},
    {"1-9", "answer a question"},
    {"h k m y c", "toggle heap, stacks, map, sync.Map, caches"},
    {"o n t l", "toggle source, narration, counters, timeline"},
    {"?  Esc", "this help; quit"},
};

static void help_overlay(Ctx *c, int w, int h)
{
    Draw *d = c->d;
    const Palette *p = d->pal;
    draw_fill(d, (SDL_Rect){0, 0, w, h}, rgba(p->bg, 200));
    int n = sizeof help_lines / sizeof help_lines[0], lh = S(d, 34), px = S(d, 18);
    int bw = S(d, 900) < w - S(d, 40) ? S(d, 900) : w - S(d, 40), bh = lh * n + S(d, 90);
    if (bh > h - S(d, 20) && bh > 0) { /* a short window: tighter lines, smaller type */
        lh = lh * (h - S(d, 20)) / bh;
        px = px * (h - S(d, 20)) / bh;
        bh = lh * n + S(d, 90);
    }
    SDL_Rect box = {(w - bw) / 2, (h - bh) / 2, bw, bh};
    SDL_Rect in = draw_card(d, box, "Controls", "gomemviz viewer");
    for (int i = 0; i < n; i++) {
        int y = in.y + S(d, 8) + i * lh;
        draw_text_fit(d, FACE_MONO_BOLD, px, px * 2 / 3, p->accent2, in.x + S(d, 230), y,
                      help_lines[i][0], ALIGN_RIGHT, S(d, 230));
        draw_text_fit(d, FACE_SANS, px, px * 2 / 3, p->text, in.x + S(d, 260), y,
                      help_lines[i][1], ALIGN_LEFT, in.w - S(d, 270));
    }
}

static void hint(Ctx *c, int w, int h)
{
    Draw *d = c->d;
    if (!c->v->hint)
        return;
    int px = S(d, 16), tw = text_width(d, FACE_SANS, px, c->v->hint) + S(d, 36);
    SDL_Rect r = {(w - tw) / 2, h - S(d, 130), tw, S(d, 38)};
    draw_round(d, r, S(d, 10), rgba(d->pal->title, 230));
    draw_text(d, FACE_SANS, px, d->pal->bg, w / 2, r.y + (r.h - text_height(d, FACE_SANS, px)) / 2,
              c->v->hint, ALIGN_CENTER, 0);
}

/* A window below RENDER_MIN (a window manager that ignores the minimum, or
 * none): panes squeezed to slivers teach nothing, so one line says what to
 * do instead, and nothing can be clicked. */
static Layout too_small(Draw *d, int w, int h, float dpi)
{
    Layout l;
    memset(&l, 0, sizeof l);
    char msg[64];
    snprintf(msg, sizeof msg, "make it at least %dx%d", RENDER_MIN_W, RENDER_MIN_H);
    SDL_SetRenderDrawBlendMode(d->r, SDL_BLENDMODE_BLEND);
    draw_fill(d, (SDL_Rect){0, 0, w, h}, d->pal->bg);
    int px = (int)(11 * dpi + 0.5f), lh = text_height(d, FACE_SANS, px);
    draw_text(d, FACE_BOLD, px, d->pal->text, w / 2, h / 2 - lh, "window too small",
              ALIGN_CENTER, w - 4);
    draw_text(d, FACE_SANS, px, d->pal->text, w / 2, h / 2, msg, ALIGN_CENTER, w - 4);
    return l;
}

/* Source above stacks, sharing their column by need: a short source gives
 * the stacks its spare room; stacks whose newest frame does not fit take
 * room from the source (which scrolls to its current line) down to five
 * rows of it; else a source that does not fit takes what the stacks' newest
 * frames leave spare. */
static void share_column(Ctx *c, SDL_Rect *src, SDL_Rect *stk)
{
    int five, src_need = render_source_height(c, src->w, 5, &five);
    int stk_need = render_stacks_height(c, stk->w);
    int move = src->h - src_need; /* > 0: from the source to the stacks */
    if (move <= 0 && stk_need > stk->h) {
        int can = src->h - five > 0 ? src->h - five : 0;
        move = stk_need - stk->h < can ? stk_need - stk->h : can;
    } else if (move < 0) {
        int spare = stk->h - stk_need;
        move = spare <= 0 ? 0 : -move < spare ? move : -spare;
    }
    src->h -= move;
    stk->y -= move;
    stk->h += move;
}

Layout render_frame(Draw *d, Replay *rp, const View *v, int w, int h, Hit *hit)
{
    replay_seek(rp, v->pos);
    Ctx c = {d, rp, &rp->w, v, {0, 0, HIT_OBJECT}, {0, {0, 0, 0, 0}, {0, 0, 0, 0}, {{0}}}};
    if (hit)
        *hit = c.hit;
    if (w < RENDER_MIN_W * v->dpi - 0.5f || h < RENDER_MIN_H * v->dpi - 0.5f)
        return too_small(d, w, h, v->dpi);
    const ReplayHas *has = &rp->has;
    bool want[PANE_COUNT];
    memcpy(want, v->want, sizeof want);
    want[PANE_SOURCE] &= has->source;
    want[PANE_STACKS] &= has->stacks;
    want[PANE_HEAP] &= has->heap;
    want[PANE_MAP] &= has->maps;
    want[PANE_SYNCMAP] &= has->syncmaps;
    want[PANE_CACHE] &= has->cache;
    want[PANE_NARRATION] &= has->narration || rp->status != TRACE_OK;
    Layout l;
    layout_compute(&l, w, h, d->s, want, has->lesson);
    if (l.shown[PANE_SOURCE] && l.shown[PANE_STACKS] &&
        l.pane[PANE_SOURCE].x == l.pane[PANE_STACKS].x)
        share_column(&c, &l.pane[PANE_SOURCE], &l.pane[PANE_STACKS]);
    SDL_SetRenderDrawBlendMode(d->r, SDL_BLENDMODE_BLEND);
    fill_background(d, w, h, &l);
    title_bar(&c, l.title, l.shown[PANE_NARRATION]);
    static void (*const panes[PANE_COUNT])(Ctx *, SDL_Rect) = {
        render_source, render_stacks, render_heap, render_map, render_syncmap,
        render_cache, render_narration, render_counters, render_timeline};
    for (Pane p = 0; p < PANE_COUNT; p++)
        if (l.shown[p]) {
            SDL_RenderSetClipRect(d->r, &l.pane[p]);
            panes[p](&c, l.pane[p]);
            SDL_RenderSetClipRect(d->r, NULL);
        }
    if (c.tip.n)
        draw_tip(&c, w, h);
    if (l.shown[PANE_TIMELINE])
        render_timeline_hover(&c, l.pane[PANE_TIMELINE]);
    banner(&c, w, l.title.h + S(d, 8));
    hint(&c, w, h);
    if (v->help)
        help_overlay(&c, w, h);
    if (hit)
        *hit = c.hit;
    return l;
}
