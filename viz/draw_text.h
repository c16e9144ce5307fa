/*
 * draw_text.h — text on the frame: measured, drawn, fitted and wrapped.
 *
 * Sizes are in pixels, as everywhere in draw.h.  Invariant: the same calls
 * give the same pixels; a text never goes past the width it is given.
 */
#ifndef GMV_DRAW_TEXT_H
#define GMV_DRAW_TEXT_H

#include "draw.h"

enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };
/* Draw text with its top at y, cut with an ellipsis to maxw (0: no limit).
 * Returns the width drawn. */
int draw_text(Draw *d, FontFace face, int px, SDL_Color c, int x, int y,
              const char *text, int align, int maxw);
/* The largest size from px down to min_px at which text fits in w (min_px
 * if none does: draw_text then shortens it). */
int text_fit_px(Draw *d, FontFace face, int px, int min_px, const char *text, int w);
/* draw_text_fit: smaller type, down to min_px, before "…".  draw_label: a
 * label inside a cell too small for it, whose whole text the pointer's
 * details show; shortened like any text but not counted in Draw.cut. */
int draw_text_fit(Draw *d, FontFace face, int px, int min_px, SDL_Color c, int x, int y,
                  const char *text, int align, int maxw);
int draw_label(Draw *d, FontFace face, int px, SDL_Color c, int x, int y, const char *text,
               int align, int maxw);
/* Word-wrapped text in a box; returns the height used.  text_wrap_height:
 * the height all of it would take at width w, drawing nothing. */
int draw_text_wrap(Draw *d, FontFace face, int px, SDL_Color c, SDL_Rect box,
                   const char *text);
int text_wrap_height(Draw *d, FontFace face, int px, int w, const char *text);
int text_width(Draw *d, FontFace face, int px, const char *text);
int text_height(Draw *d, FontFace face, int px);
/* How far down text of size px goes to sit centred on a line of size full
 * (a text shrunk to fit, in the line it had). */
int text_centre(Draw *d, FontFace face, int full, int px);

#endif
