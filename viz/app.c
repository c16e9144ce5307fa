/*
 * app.c — the viewer window: SDL event loop, controls, animation clock and
 * screenshots.
 *
 * The loop owns a View and nothing else that reaches the picture: each frame
 * is render_frame(trace, View), the same call `gomemviz render` makes, so a
 * screenshot (S) is rendered offscreen from the same View at the drawable's
 * size and equals what is on screen, but for the hints that need a mouse
 * (View.still), as render's PNGs leave them out.
 *
 * Invariant: every key handler only edits the View (or quits); positions are
 * clamped to [0, nevents].
 */
#include "app.h"
#include "related.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "offscreen.h"
#include "render.h"

#define ANIM_MS 450.0f
#define STEP_MS 1800.0f

typedef struct {
    Replay *rp;
    const AppLessons *lessons;
    uint64_t *related;          /* events of the selected object */
    size_t nrelated;
    char lesson_path[1024], lesson_name[160];
    SDL_Window *win;
    SDL_Renderer *ren;
    Fonts fonts;
    Draw d;
    View v;
    View drawn;                 /* the View of the frame on screen ... */
    int drawn_w, drawn_h;       /* ... at this size */
    bool redraw;                /* draw the next frame even if they match */
    Layout lay;
    uint32_t anim_start, play_last, hint_until;
    char hint[160];
    bool quit, dragging_timeline, dragging_heap, dragging_map;
    int drag_y, drag_pan;
    Hit hit;                    /* under the mouse at the last frame */
} App;

static uint64_t clamp_pos(const App *a, int64_t p)
{
    return p < 0 ? 0 : (uint64_t)p > a->rp->nevents ? a->rp->nevents : (uint64_t)p;
}

static void say(App *a, const char *msg)
{
    snprintf(a->hint, sizeof a->hint, "%.159s", msg);
    a->hint_until = SDL_GetTicks() + 2500;
}

/* Move to p, animating from where we are. */
static void go(App *a, uint64_t p, bool animate)
{
    a->v.from = animate ? a->v.pos : p;
    a->v.pos = p;
    a->v.phase = animate ? 0 : 1;
    a->anim_start = SDL_GetTicks();
}

/* The next or previous lesson step (a chunk of events without steps). */
static void step(App *a, int dir)
{
    const Replay *rp = a->rp;
    uint64_t pos = a->v.pos;
    if (!rp->nsteps) {
        uint64_t chunk = rp->nevents / 50 ? rp->nevents / 50 : 1;
        go(a, clamp_pos(a, (int64_t)pos + dir * (int64_t)chunk), true);
        return;
    }
    long k = replay_step_at(rp, pos);
    if (dir > 0) { /* the end of the next step */
        size_t next = (size_t)(k + 1);
        if (k >= 0 && replay_step_end(rp, (size_t)k) > pos)
            next = (size_t)k;
        if (next < rp->nsteps)
            go(a, replay_step_end(rp, next), true);
    } else if (k > 0) {
        uint64_t end = replay_step_end(rp, (size_t)k - 1);
        go(a, end < pos ? end : (k > 1 ? replay_step_end(rp, (size_t)k - 2) : 0), true);
    } else {
        go(a, 0, true);
    }
}

/* DIR/gomemviz-POS.png, or -2, -3... after POS when that is taken: a second
 * shot at the same position (another selection, size or lesson) must not
 * replace the first.  False if a thousand are taken. */
static bool shot_path(char *path, size_t n, uint64_t pos)
{
    const char *dir = getenv("GOMEMVIZ_SHOT_DIR"), *sep = dir ? "/" : "";
    unsigned long long p = (unsigned long long)pos;
    dir = dir ? dir : "";
    snprintf(path, n, "%s%sgomemviz-%06llu.png", dir, sep, p);
    for (int k = 2; access(path, F_OK) == 0; k++) {
        if (k > 1000)
            return false;
        snprintf(path, n, "%s%sgomemviz-%06llu-%d.png", dir, sep, p, k);
    }
    return true;
}

static void screenshot(App *a)
{
    int w, h;
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    Offscreen o;
    char err[256], path[1200];
    if (!offscreen_init(&o, w, h, err, sizeof err)) {
        say(a, err);
        return;
    }
    View v = a->v;
    v.hint = NULL;
    v.still = true; /* as render draws it: a PNG is not dragged */
    offscreen_render(&o, a->rp, &v);
    if (!shot_path(path, sizeof path, a->v.pos)) {
        say(a, "not saved: a thousand screenshots of this position are there already");
    } else if (offscreen_save(&o, path, err, sizeof err)) {
        char msg[1300];
        snprintf(msg, sizeof msg, "saved %s", path);
        say(a, msg);
        printf("%s\n", path);
        fflush(stdout);
    } else {
        say(a, err);
    }
    offscreen_free(&o);
}

static void toggle_pane(App *a, Pane p)
{
    a->v.want[p] = !a->v.want[p];
    char msg[64];
    snprintf(msg, sizeof msg, "%s %s", pane_name(p), a->v.want[p] ? "shown" : "hidden");
    say(a, msg);
}

/* PgUp/PgDn: replace the replay with the neighbouring lesson's trace. */
static void other_lesson(App *a, int delta)
{
    char msg[160];
    if (!a->lessons) {
        say(a, "one trace file is open: no other lessons to go to");
        return;
    }
    if (!a->lessons->go(a->lessons->ctx, delta, a->lesson_path, sizeof a->lesson_path,
                        msg, sizeof msg)) {
        say(a, msg);
        return;
    }
    replay_close(a->rp);
    a->nrelated = a->v.nrelated = 0; /* a selection belongs to its trace */
    a->v.highlight = 0;
    a->v.pan_y = a->v.map_pan = 0; /* so do the panes' scrolls; zooms stay */
    ReplayOptions lazy = {.lazy = true};
    replay_open(a->rp, a->lesson_path, &lazy);
    if (!a->rp->usable) {
        say(a, a->rp->message);
        return;
    }
    snprintf(a->lesson_name, sizeof a->lesson_name, "%s", msg);
    a->v.name = a->lesson_name;
    a->v.pos = a->v.from = 0;
    a->v.playing = false;
    a->v.answered = 0;
    if (a->rp->nsteps)
        go(a, replay_step_end(a->rp, 0), false);
    SDL_SetWindowTitle(a->win, msg);
    say(a, msg);
}

#define RELATED_MAX 65536

/* Select what a click hit (a heap object, a cache line or a bucket; addr
 * 0: nothing) and find its events. */
static void select_hit(App *a, Hit h)
{
    uint64_t addr = h.addr;
    a->v.highlight = addr;
    a->nrelated = 0;
    if (addr) {
        const WObj *o = h.size ? NULL : world_obj_at(&a->rp->w, addr, false);
        uint64_t size = h.size ? h.size : o ? (o->rounded ? o->rounded : o->size) : 1;
        if (!a->related && !(a->related = malloc(RELATED_MAX * sizeof *a->related)))
            return;
        if (h.kind == HIT_MISSES)
            a->nrelated = related_find_kinds(&a->rp->r, addr,
                                             1ull << EV_SM_MISS | 1ull << EV_SM_PROMOTE,
                                             a->related, RELATED_MAX);
        else
            a->nrelated = related_find(&a->rp->r, addr, addr + (size ? size : 1),
                                       a->rp->r.params.line_size, a->related, RELATED_MAX);
        char msg[160];
        static const char *const what[] = {"events concern this object",
                                           "events concern this cache line",
                                           "events concern this bucket",
                                           "misses and promotions of this sync.Map"};
        snprintf(msg, sizeof msg, "%zu %s: , and . step through them", a->nrelated,
                 what[h.kind]);
        say(a, msg);
    }
    a->v.related = a->related;
    a->v.nrelated = a->nrelated;
}

static void key(App *a, SDL_Keysym k)
{
    bool shift = k.mod & KMOD_SHIFT;
    View *v = &a->v;
    switch (k.sym) {
    case SDLK_ESCAPE: case SDLK_q:
        if (v->help) v->help = false; else a->quit = true;
        break;
    case SDLK_SPACE: v->playing = !v->playing, a->play_last = SDL_GetTicks(); break;
    case SDLK_RIGHT: if (shift) go(a, clamp_pos(a, (int64_t)v->pos + 1), true); else step(a, 1); break;
    case SDLK_LEFT: if (shift) go(a, clamp_pos(a, (int64_t)v->pos - 1), true); else step(a, -1); break;
    case SDLK_HOME: go(a, 0, false); break;
    case SDLK_END: go(a, a->rp->nevents, false); break;
    case SDLK_PAGEUP: case SDLK_PAGEDOWN:
        other_lesson(a, k.sym == SDLK_PAGEDOWN ? 1 : -1);
        break;
    case SDLK_LEFTBRACKET: v->speed = v->speed > 0.25f ? v->speed / 2 : v->speed; break;
    case SDLK_RIGHTBRACKET: v->speed = v->speed < 16 ? v->speed * 2 : v->speed; break;
    case SDLK_f: {
        bool fs = SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN_DESKTOP;
        SDL_SetWindowFullscreen(a->win, fs ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
    }
    case SDLK_EQUALS: case SDLK_PLUS: case SDLK_KP_PLUS:
        v->text_scale = v->text_scale < 2.5f ? v->text_scale * 1.1f : v->text_scale;
        break;
    case SDLK_MINUS: case SDLK_KP_MINUS:
        v->text_scale = v->text_scale > 0.6f ? v->text_scale / 1.1f : v->text_scale;
        break;
    case SDLK_p:
        v->palette = v->palette == PALETTE_PROJECTOR ? PALETTE_SCREEN : PALETTE_PROJECTOR;
        v->text_scale = v->palette == PALETTE_PROJECTOR ? PROJECTOR_TEXT_SCALE : 1.0f;
        fonts_flush(&a->fonts);
        say(a, v->palette == PALETTE_PROJECTOR ? "projector preset" : "screen preset");
        break;
    case SDLK_s: screenshot(a); break;
    case SDLK_COMMA: case SDLK_PERIOD:
        if (!a->nrelated)
            say(a, "click an object in the heap first");
        else
            go(a, related_step(a->related, a->nrelated, v->pos, k.sym == SDLK_PERIOD ? 1 : -1), true);
        break;
    case SDLK_SLASH: case SDLK_QUESTION: v->help = !v->help; break;
    case SDLK_h: toggle_pane(a, PANE_HEAP); break;
    case SDLK_k: toggle_pane(a, PANE_STACKS); break;
    case SDLK_m: toggle_pane(a, PANE_MAP); break;
    case SDLK_y: toggle_pane(a, PANE_SYNCMAP); break;
    case SDLK_c: toggle_pane(a, PANE_CACHE); break;
    case SDLK_o: toggle_pane(a, PANE_SOURCE); break;
    case SDLK_n: toggle_pane(a, PANE_NARRATION); break;
    case SDLK_t: toggle_pane(a, PANE_COUNTERS); break;
    case SDLK_l: toggle_pane(a, PANE_TIMELINE); break;
    default:
        if (k.sym >= SDLK_1 && k.sym <= SDLK_9) {
            if (a->rp->w.nar.question)
                v->answered = (int)(k.sym - SDLK_0);
            else
                say(a, "no question to answer at this step");
        }
        break;
    }
}

static float dpi_of(App *a)
{
    int ww, wh, dw, dh;
    SDL_GetWindowSize(a->win, &ww, &wh);
    SDL_GetRendererOutputSize(a->ren, &dw, &dh);
    return ww > 0 ? (float)dw / ww : 1;
}

static void timeline_seek(App *a, int x)
{
    uint64_t p = timeline_pos_at(&a->d, a->lay.pane[PANE_TIMELINE], a->rp->nevents, x);
    go(a, clamp_pos(a, (int64_t)p), false);
}

static void mouse(App *a, const SDL_Event *e)
{
    float k = dpi_of(a);
    View *v = &a->v;
    if (e->type == SDL_MOUSEMOTION) {
        v->hover_x = (int)(e->motion.x * k), v->hover_y = (int)(e->motion.y * k);
        if (a->dragging_timeline)
            timeline_seek(a, v->hover_x);
        if (a->dragging_heap)
            v->pan_y = a->drag_pan - (v->hover_y - a->drag_y);
        if (a->dragging_map) /* the pane clamps it to its rows */
            v->map_pan = a->drag_pan - (v->hover_y - a->drag_y);
        v->pan_y = v->pan_y < 0 ? 0 : v->pan_y;
        v->map_pan = v->map_pan < 0 ? 0 : v->map_pan;
        return;
    }
    if (e->type == SDL_MOUSEWHEEL) {
        Pane p = layout_hit(&a->lay, v->hover_x, v->hover_y);
        float f = e->wheel.y > 0 ? 1.15f : 1 / 1.15f;
        if (p == PANE_HEAP) {
            v->zoom *= f;
            v->zoom = v->zoom < 0.5f ? 0.5f : v->zoom > 4 ? 4 : v->zoom;
        } else if (p == PANE_MAP) { /* taller slots, to read their keys */
            v->map_zoom *= f;
            v->map_zoom = v->map_zoom < 1 ? 1 : v->map_zoom > 4 ? 4 : v->map_zoom;
        }
        return;
    }
    if (e->type == SDL_MOUSEBUTTONUP) {
        a->dragging_timeline = a->dragging_heap = a->dragging_map = false;
        return;
    }
    int x = (int)(e->button.x * k), y = (int)(e->button.y * k);
    Pane p = layout_hit(&a->lay, x, y);
    if (p == PANE_TIMELINE) {
        a->dragging_timeline = true;
        timeline_seek(a, x);
    } else if (p == PANE_HEAP) {
        if (a->hit.addr != v->highlight)
            select_hit(a, a->hit);
        a->dragging_heap = !a->hit.addr;
        a->drag_y = y;
        a->drag_pan = v->pan_y;
    } else if (p == PANE_MAP && !a->hit.addr) { /* between buckets: pan */
        a->dragging_map = true;
        a->drag_y = y;
        a->drag_pan = v->map_pan;
    } else if ((p == PANE_CACHE || p == PANE_MAP || p == PANE_SYNCMAP) &&
               a->hit.addr != v->highlight) {
        select_hit(a, a->hit);
    }
}

static void tick(App *a)
{
    uint32_t now = SDL_GetTicks();
    View *v = &a->v;
    float t = (now - a->anim_start) / (ANIM_MS / v->speed);
    v->phase = t > 1 ? 1 : t;
    if (v->playing && now - a->play_last >= STEP_MS / v->speed) {
        a->play_last = now;
        if (v->pos >= a->rp->nevents)
            v->playing = false;
        else
            step(a, 1);
    }
    v->hint = now < a->hint_until ? a->hint : NULL;
}

static bool open_window(App *a, const char *name, char *err, size_t errsize)
{
    const char *disp = getenv("DISPLAY"), *way = getenv("WAYLAND_DISPLAY");
    const char *drv = getenv("SDL_VIDEODRIVER");
    if ((!disp || !*disp) && (!way || !*way) && !drv) {
        snprintf(err, errsize, "no display (DISPLAY is not set); use `gomemviz render %s -o frame.png` instead", name);
        return false;
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errsize, "no display (%s); use `gomemviz render %s -o frame.png` instead",
                 SDL_GetError(), name);
        return false;
    }
    /* SDL_VIDEODRIVER=offscreen (what render uses) or dummy opens a window
     * no one sees and that no key reaches: it would never end. */
    const char *cur = SDL_GetCurrentVideoDriver();
    if (cur && (!strcmp(cur, "offscreen") || !strcmp(cur, "dummy"))) {
        snprintf(err, errsize, "no display (SDL_VIDEODRIVER=%s shows no window); use `gomemviz render %s -o frame.png` instead",
                 cur, name);
        return false;
    }
    char title[256];
    snprintf(title, sizeof title, "gomemviz — %s", name);
    a->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1600, 900,
                              SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (a->win) {
        SDL_SetWindowMinimumSize(a->win, RENDER_MIN_W, RENDER_MIN_H);
        a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_PRESENTVSYNC);
    }
    if (a->win && !a->ren)
        a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->ren) {
        snprintf(err, errsize, "cannot open a window: %s", SDL_GetError());
        return false;
    }
    return fonts_init(&a->fonts, a->ren, err, errsize);
}

/* A seek past what the lazy index has reached (End right after opening a
 * big trace) is not made in one go: 50 ms of indexing a frame, with the
 * last frame and a line saying how far it is, so the window answers. */
static bool catch_up(App *a, char *msg, size_t size)
{
    Replay *rp = a->rp;
    uint32_t t0 = SDL_GetTicks();
    while (a->v.pos > rp->indexed && SDL_GetTicks() - t0 < 50)
        replay_index_more(rp);
    if (a->v.pos <= rp->indexed || a->drawn_w == 0)
        return true;
    snprintf(msg, size, "reading the trace up to event %llu: %d%%",
             (unsigned long long)a->v.pos, (int)(rp->indexed * 100 / a->v.pos));
    return false;
}

/* A frame is a pure function of the trace and the View (and the window's
 * size): the same ones need no new frame, and the World can stay where the
 * lazy index left it instead of seeking back and forth every 15 ms. */
static void draw_if_changed(App *a)
{
    int w, h;
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    a->v.dpi = dpi_of(a);
    if (!a->redraw && w == a->drawn_w && h == a->drawn_h &&
        memcmp(&a->v, &a->drawn, sizeof a->v) == 0)
        return;
    View shown = a->v;
    char wait[80];
    bool waiting = !catch_up(a, wait, sizeof wait);
    if (waiting) { /* the last frame, and how far the index is */
        shown = a->drawn;
        shown.hint = wait;
    }
    a->d.pal = palette_get(shown.palette);
    a->d.s = view_scale(w, h, shown.dpi, shown.text_scale);
    a->lay = render_frame(&a->d, a->rp, &shown, w, h, &a->hit);
    SDL_RenderPresent(a->ren);
    if (waiting) {
        a->redraw = true; /* until the index gets there */
        return;
    }
    memcpy(&a->drawn, &a->v, sizeof a->v);
    a->drawn_w = w, a->drawn_h = h;
    a->redraw = false;
}

/* A lazily opened trace goes on being indexed between frames, so that
 * seeks far ahead find keyframes ready: 25 ms at a time while nothing
 * moves on screen, 8 ms while something does. */
static void index_while_idle(App *a)
{
    Uint32 t0 = SDL_GetTicks(), slice = a->v.playing || a->v.phase < 1 ? 8 : 25;
    while (!replay_indexed(a->rp) && SDL_GetTicks() - t0 < slice)
        replay_index_more(a->rp);
}

bool app_run(Replay *rp, const char *name, const AppLessons *lessons, char *err,
             size_t errsize)
{
    App *a = calloc(1, sizeof *a);
    if (!a)
        return snprintf(err, errsize, "out of memory"), false;
    a->rp = rp;
    a->lessons = lessons;
    bool ok = open_window(a, name, err, errsize);
    if (ok) {
        view_defaults(&a->v);
        a->v.name = name;
        a->d = (Draw){.r = a->ren, .fonts = &a->fonts, .pal = palette_get(PALETTE_SCREEN), .s = 1};
        if (rp->nsteps)
            go(a, replay_step_end(rp, 0), false);
        if (rp->status != TRACE_OK)
            say(a, "the trace is damaged: showing what could be read");
    }
    while (ok && !a->quit) {
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            a->redraw = true; /* whatever it was: exposed, resized, a key */
            if (e.type == SDL_QUIT)
                a->quit = true;
            else if (e.type == SDL_KEYDOWN)
                key(a, e.key.keysym);
            else if (e.type == SDL_MOUSEMOTION || e.type == SDL_MOUSEBUTTONDOWN ||
                     e.type == SDL_MOUSEBUTTONUP || e.type == SDL_MOUSEWHEEL)
                mouse(a, &e);
            else if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_LEAVE)
                a->v.hover_x = a->v.hover_y = -1;
        }
        tick(a);
        index_while_idle(a);
        draw_if_changed(a);
        SDL_Delay(a->v.playing || a->v.phase < 1 ? 1 : 15);
    }
    if (a->ren) {
        fonts_free(&a->fonts);
        SDL_DestroyRenderer(a->ren);
    }
    if (a->win)
        SDL_DestroyWindow(a->win);
    SDL_Quit();
    free(a->related);
    free(a);
    return ok;
}
