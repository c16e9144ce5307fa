/*
 * render.h — one frame of the viewer: every pane, the title bar, banners and
 * overlays, drawn from a Replay positioned at View.pos.
 *
 * A frame is a pure function of (trace, View): the View names the position,
 * the position the animation started from and its phase, and the user's
 * presentation choices.  The window and `gomemviz render` both call
 * render_frame, so a PNG is exactly what the window shows.
 */
#ifndef GMV_RENDER_H
#define GMV_RENDER_H

#include "draw.h"
#include "draw_text.h"
#include "layout.h"
#include "replay.h"

/* What a click would select: a heap object (size 0: the object's own), a
 * cache line, a map bucket, or a sync.Map's misses and promotions. */
enum { HIT_OBJECT, HIT_LINE, HIT_BUCKET, HIT_MISSES /* a sync.Map's */ };
typedef struct {
    uint64_t addr, size;
    int kind;                   /* HIT_* */
} Hit;

typedef struct {
    uint64_t pos;               /* World before event pos */
    uint64_t from;              /* where the animation into pos started */
    float phase;                /* 0..1; 1 = settled */
    bool want[PANE_COUNT];      /* panes the user wants (the trace decides too) */
    int palette;                /* PALETTE_* */
    float text_scale;           /* user's +/- */
    float dpi;                  /* drawable / window pixels */
    bool help, playing;
    float speed;
    float zoom;                 /* heap pane zoom, 1 = fit */
    int pan_y;                  /* heap pane scroll, in pixels */
    float map_zoom;             /* map pane: bucket rows this many times taller */
    int map_pan;                /* map pane scroll, in pixels */
    uint64_t highlight;         /* address of the selected object, 0 if none */
    const uint64_t *related;    /* events of the selection (related.h), sorted */
    size_t nrelated;
    int hover_x, hover_y;       /* mouse, -1 if outside */
    int answered;               /* choice the user picked for the question, 0 none */
    const char *name;           /* file or lesson name for the title bar */
    const char *hint;           /* a transient one-line hint, or NULL */
    bool still;                 /* a PNG (render, S): no hints that need a mouse */
} View;

void view_defaults(View *v);

/* The projector preset (P, `render --projector`): the light, colour-blind-
 * safe palette and text this much larger. */
#define PROJECTOR_TEXT_SCALE 1.25f

/* The smallest frame, in window pixels, that panes are legible in:
 * `render --size` takes no less, the window asks the window manager for no
 * less, and a window made smaller anyway shows one line saying so. */
#define RENDER_MIN_W 320
#define RENDER_MIN_H 200

/* Draw the frame into d->r, which is w x h pixels.  rp is sought to v->pos.
 * Returns the layout used (for hit testing); *hit (if not NULL) gets what
 * is under (hover_x, hover_y): a heap object, a cache line or a bucket, or
 * addr 0. */
Layout render_frame(Draw *d, Replay *rp, const View *v, int w, int h, Hit *hit);

#define HOVER_LINES 5

/* Panes; each draws inside r. */
typedef struct {
    Draw *d;
    Replay *rp;
    const World *w;
    const View *v;
    Hit hit;                    /* what is under the mouse (heap, caches, map) */
    struct {                    /* the details under the pointer (hover_box), */
        int n;                  /* drawn once every pane is: 0 lines, none */
        SDL_Rect at, pane;
        char lines[HOVER_LINES][96];
    } tip;
} Ctx;

/* The height the source pane needs at width w to show all of the source;
 * *part: to show at most `most` rows of it. */
int render_source_height(Ctx *c, int w, int most, int *part);
/* The height the stacks pane needs at width w to show each goroutine's
 * newest frame whole. */
int render_stacks_height(Ctx *c, int w);
void render_source(Ctx *c, SDL_Rect r);
void render_stacks(Ctx *c, SDL_Rect r);
void render_heap(Ctx *c, SDL_Rect r);
void render_map(Ctx *c, SDL_Rect r);
void render_syncmap(Ctx *c, SDL_Rect r);
void render_cache(Ctx *c, SDL_Rect r);
void render_narration(Ctx *c, SDL_Rect r);

/* Shared by the map and sync.Map panes (render_map.c): m's index in the
 * World's maps, and slot s's label (the recorded string, or "key:elem"
 * from its numbers; false if it has none). */
int map_index_of(const World *w, const WMap *m);
bool slot_label(Ctx *c, const WBucket *b, int s, char *buf, size_t n);

/* One bucket of the map pane (render_bucket.c). */
/* The slot under the pointer, for its details once every bucket is drawn. */
typedef struct {
    const WBucket *b;           /* NULL: a bucket the trace never mentioned */
    uint64_t addr;              /* 0: no slot under the pointer */
    int slot;
    SDL_Rect at;
    char name[24];              /* "old bucket 2", "bucket 5", "overflow bucket" */
} SlotHover;
/* Bucket b (at addr, named name in hover details; NULL: one the trace
 * never mentioned) in r under its header head (coloured hc); old: of the
 * old array.  The slot under the pointer goes to *hv.  Returns whether a
 * key was cut short ("1…") where taller slots would show it. */
bool bucket_box(Ctx *c, const WBucket *b, uint64_t addr, const char *name, SDL_Rect r,
                const char *head, SDL_Color hc, bool old, SlotHover *hv);
/* The details of the slot under the pointer, in a box inside pane. */
void bucket_slot_details(Ctx *c, const SlotHover *h, SDL_Rect pane);
/* The size of a slot's label in a bucket box h tall; *texts: whether its
 * texts are drawn at all. */
int bucket_slot_px(Draw *d, int h, bool *texts);
void render_counters(Ctx *c, SDL_Rect r);
void render_timeline(Ctx *c, SDL_Rect r);
/* The step and event under the pointer, in a box above the timeline's bar;
 * drawn after every pane, unclipped (it may cover the pane above). */
void render_timeline_hover(Ctx *c, SDL_Rect r);
/* The position a click at x on the timeline pane goes to. */
uint64_t timeline_pos_at(const Draw *d, SDL_Rect pane, uint64_t nevents, int x);

/* Which goroutines (indexes into w->gs) get the stacks pane's n columns
 * when there are more: those running on a core first, then blocked ones,
 * then the rest, exited ones last; returned in index order, so columns
 * keep their neighbours.  Returns how many (at most n). */
uint32_t stacks_columns(const World *w, uint32_t *out, uint32_t n);

/* Shared helpers for panes. */
/* Whether the pointer is over r where r shows: inside the clip rectangle
 * too (a row scrolled out of its pane is still drawn, clipped away). */
bool pointer_over(const Ctx *c, SDL_Rect r);
const char *str(Ctx *c, uint32_t id);
/* True if event index `at` falls in the animation window (from, pos]. */
bool recent(const Ctx *c, uint64_t at);
/* Animation progress for something that happened at `at`: 1 if settled. */
float appear(const Ctx *c, uint64_t at);
/* Something a click can select: the pointer over box makes it the hit,
 * and while it is selected (v->highlight == h.addr) frame is drawn. */
void selectable(Ctx *c, SDL_Rect box, Hit h, SDL_Rect frame);
SDL_Color on_color(const Palette *p, SDL_Color bg);
/* Details of what the pointer is over: lines[0] bold, the rest plain, in a
 * box beside `at` (left of it if the pane has no room on the right).
 * Drawn after every pane, over them: a box taller or wider than its pane
 * reaches into the next one rather than be cut (render_frame). */
void hover_box(Ctx *c, SDL_Rect at, SDL_Rect pane, char lines[][96], int n);

#endif
