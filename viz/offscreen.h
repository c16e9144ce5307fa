/*
 * offscreen.h — the renderer over an SDL_Surface (SDL's software renderer),
 * for `gomemviz render`, the tests and the benchmark.  The window uses the
 * same render_frame, so these pixels are what the window shows.
 *
 * Invariant: no display is needed; the same (trace, View, size) gives the
 * same pixels every time.
 */
#ifndef GMV_OFFSCREEN_H
#define GMV_OFFSCREEN_H

#include "render.h"

typedef struct {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    Fonts fonts;
    Draw d;
    int w, h;
} Offscreen;

/* Set up a w x h surface; false with a one-line err (e.g. no font). */
bool offscreen_init(Offscreen *o, int w, int h, char *err, size_t errsize);
void offscreen_free(Offscreen *o);
/* Draw one frame of rp as v describes it. */
void offscreen_render(Offscreen *o, Replay *rp, const View *v);
/* Write the last frame as PNG; false with err set. */
bool offscreen_save(Offscreen *o, const char *path, char *err, size_t errsize);
/* Layout scale for a frame size and the user's text scale. */
float view_scale(int w, int h, float dpi, float text_scale);

#endif
