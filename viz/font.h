/*
 * font.h — the viewer's fonts (DejaVu Sans and Sans Mono from assets/fonts)
 * and a cache of rendered strings.
 *
 * Assets are found in this order: $GOMEMVIZ_FONT_DIR, $GOMEMVIZ_ASSETS/fonts,
 * <executable>/../assets/fonts, <executable>/../share/gomemviz/fonts, then
 * the source tree's assets/fonts baked in at build time.
 *
 * Invariant: a rendered string depends only on (face, pixel size, colour,
 * text), and its size only on (face, pixel size, text), so frames drawn
 * from the caches equal frames drawn afresh.
 */
#ifndef GMV_FONT_H
#define GMV_FONT_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>

typedef enum { FACE_SANS, FACE_BOLD, FACE_MONO, FACE_MONO_BOLD, FACE_COUNT } FontFace;

#define FONT_MAX_SIZES 24

typedef struct {
    uint64_t hash;
    char *text;
    SDL_Texture *tex;           /* NULL in the cache of sizes */
    int w, h;
} TextEntry;

/* Open addressing by hash, at most half full, emptied wholesale. */
typedef struct {
    TextEntry *v;
    unsigned cap, n;
} TextCache;

typedef struct {
    char dir[1024];
    struct {
        int px;
        TTF_Font *f;
    } sizes[FACE_COUNT][FONT_MAX_SIZES];
    TextCache drawn;            /* rendered strings, since the last turn */
    TextCache drawn_old;        /* ... before it: taken back when drawn again,
                                   destroyed a few at a time otherwise */
    unsigned sweep;             /* drawn_old's next slot to destroy */
    TextCache measured;         /* sizes of strings measured (a frame measures
                                 * the same texts again and again) */
    SDL_Renderer *ren;
} Fonts;

/* Find the font directory and check the faces open.  Returns false with a
 * one-line message in err ("font not found: <path>; ...") otherwise. */
bool fonts_init(Fonts *f, SDL_Renderer *ren, char *err, size_t errsize);
void fonts_free(Fonts *f);
/* The font of a face at a pixel size (opened on first use); NULL if not. */
TTF_Font *fonts_get(Fonts *f, FontFace face, int px);
/* A texture of text, cached; NULL for empty text.  w/h get its size. */
SDL_Texture *fonts_text(Fonts *f, FontFace face, int px, SDL_Color c,
                        const char *text, int *w, int *h);
/* Size of text without drawing it. */
void fonts_measure(Fonts *f, FontFace face, int px, const char *text, int *w, int *h);
/* Drop all cached textures (the renderer changed). */
void fonts_flush(Fonts *f);

/* Directory of the running executable, "" if unknown. */
void exe_dir(char *out, size_t size);

#endif
