/*
 * draw.h — drawing primitives and the colour palettes shared by every pane.
 *
 * All sizes given to these functions are in pixels; panes scale their own
 * measurements by Draw.s (DPI ratio x text scale) through the S() macro.
 *
 * Invariant: each primitive depends only on its arguments and the Draw
 * state, so the same calls give the same pixels.
 */
#ifndef GMV_DRAW_H
#define GMV_DRAW_H

#include <SDL.h>
#include <stdbool.h>

#include "event.h"
#include "font.h"

typedef struct {
    SDL_Color bg, panel, panel_edge, title, text, dim, faint, accent, accent2;
    SDL_Color kind[OBJ_COUNT];
    SDL_Color garbage, free_slot, mesi[4];
    SDL_Color good, bad, warn, false_sh, true_sh, x, y, line_hl, banner;
} Palette;

enum { PALETTE_SCREEN, PALETTE_PROJECTOR };
const Palette *palette_get(int which);

typedef struct {
    SDL_Rect at, whole;         /* what its pane's clip let show, and all of it */
    SDL_Rect ink;               /* the pixels its glyphs colour (their metrics,
                                 * not the line box); empty for blanks */
    char text[96];              /* its start, to name it */
    int px;                     /* its size */
    bool cut;                   /* counted in Draw.cut: shortened, or the last
                                 * line of a wrapped text that did not all fit */
} DrawnText;

typedef struct {
    SDL_Renderer *r;
    Fonts *fonts;
    const Palette *pal;
    float s;                    /* pixels per layout unit */
    unsigned cut;               /* texts shortened (…) or cut off by their box:
                                 * tests reset and read it */
    struct {                    /* a test's log of the texts drawn: where */
        DrawnText *v;           /* (as clipped to their pane); NULL: none kept */
        unsigned n, cap;
    } texts;
} Draw;

#define S(d, v) ((int)((v) * (d)->s + 0.5f))
/* The corner radius of a pane's card, in layout units: the frame's
 * background shows in the corners it rounds off (render.c). */
#define CARD_RADIUS 10

SDL_Color rgba(SDL_Color c, int a);
SDL_Color mix(SDL_Color a, SDL_Color b, float t);
void draw_fill(Draw *d, SDL_Rect r, SDL_Color c);
void draw_frame(Draw *d, SDL_Rect r, SDL_Color c, int thick);
/* A filled box with rounded corners of radius rad. */
void draw_round(Draw *d, SDL_Rect r, int rad, SDL_Color c);
/* draw_round(r, rad, edge), then draw_round(r inset by t, in_rad, fill)
 * over it, with each pixel drawn once: the software renderer's fills are
 * most of a frame's time, and a card is most of its pane. */
void draw_edged(Draw *d, SDL_Rect r, int rad, int t, int in_rad, SDL_Color edge, SDL_Color fill);
/* The opaque box r was drawn over texts on purpose (a badge over the slots
 * it sums up): the texts log forgets those under it. */
void draw_cover(Draw *d, SDL_Rect r);
void draw_line(Draw *d, int x0, int y0, int x1, int y1, SDL_Color c, int thick);
/* A line with an arrowhead at (x1, y1). */
void draw_arrow(Draw *d, int x0, int y0, int x1, int y1, SDL_Color c, int thick);
/* A quadratic curve from p0 to p2 bent towards p1, with an arrowhead. */
void draw_curve_arrow(Draw *d, SDL_Point p0, SDL_Point p1, SDL_Point p2, SDL_Color c,
                      int thick);
void draw_triangle(Draw *d, SDL_FPoint a, SDL_FPoint b, SDL_FPoint c, SDL_Color col);

/* A pane card: background, title; returns the content rectangle. */
SDL_Rect draw_card(Draw *d, SDL_Rect r, const char *title, const char *subtitle);

/* Human sizes: "48 B", "40 KiB". */
void fmt_bytes(char *buf, size_t n, uint64_t v);
/* Grouped counts: "1 234 567". */
void fmt_count(char *buf, size_t n, uint64_t v);

#endif
