/*
 * font.c — finding assets/fonts, opening faces per pixel size, and caching
 * rendered strings as textures (see font.h).
 *
 * Invariant: each cache holds at most cap / 2 entries.  The sizes' cache
 * is emptied wholesale when it fills.  The textures' cache turns instead:
 * the full table becomes the old one and a new one starts; a text drawn
 * again moves its texture across, and each text put into the new table
 * destroys one texture left in the old, so the old is empty before the
 * new fills.  Emptying 2048 textures at once took 9 ms, a frame's worth.
 * Neither ever changes a frame.
 */
#include "font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef GMV_ASSETS_DIR
#define GMV_ASSETS_DIR "assets"
#endif

static const char *const face_file[FACE_COUNT] = {
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"};

void exe_dir(char *out, size_t size)
{
    char buf[1024];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    out[0] = 0;
    if (n <= 0)
        return;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = 0;
    snprintf(out, size, "%s", buf);
}

static bool has_fonts(const char *dir)
{
    char p[1200];
    snprintf(p, sizeof p, "%.1100s/%s", dir, face_file[FACE_SANS]);
    return access(p, R_OK) == 0;
}

/* The first candidate directory holding the fonts; *dir = the last tried. */
static bool find_dir(char *dir, size_t size)
{
    char exe[1024], cand[6][1100];
    int n = 0;
    const char *env = getenv("GOMEMVIZ_FONT_DIR");
    if (env && *env) {
        snprintf(dir, size, "%.1000s", env);
        return has_fonts(dir); /* an explicit choice is not second-guessed */
    }
    env = getenv("GOMEMVIZ_ASSETS");
    if (env && *env)
        snprintf(cand[n++], sizeof cand[0], "%.1000s/fonts", env);
    exe_dir(exe, sizeof exe);
    if (exe[0]) {
        snprintf(cand[n++], sizeof cand[0], "%s/../assets/fonts", exe);
        snprintf(cand[n++], sizeof cand[0], "%s/../../assets/fonts", exe);
        snprintf(cand[n++], sizeof cand[0], "%s/../share/gomemviz/fonts", exe);
    }
    snprintf(cand[n++], sizeof cand[0], "%s/fonts", GMV_ASSETS_DIR);
    for (int i = 0; i < n; i++)
        if (has_fonts(cand[i])) {
            snprintf(dir, size, "%.1000s", cand[i]);
            return true;
        }
    snprintf(dir, size, "%.1000s", cand[n - 1]);
    return false;
}

bool fonts_init(Fonts *f, SDL_Renderer *ren, char *err, size_t errsize)
{
    memset(f, 0, sizeof *f);
    f->ren = ren;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errsize, "cannot start SDL_ttf: %s", TTF_GetError());
        return false;
    }
    bool found = find_dir(f->dir, sizeof f->dir);
    for (int face = 0; face < FACE_COUNT; face++) {
        if (found && fonts_get(f, (FontFace)face, 16))
            continue;
        snprintf(err, errsize, "font not found: %.1000s/%s; set GOMEMVIZ_FONT_DIR or reinstall",
                 f->dir, face_file[face]);
        fonts_free(f);
        return false;
    }
    f->drawn = (TextCache){calloc(4096, sizeof(TextEntry)), 4096, 0};
    f->drawn_old = (TextCache){calloc(4096, sizeof(TextEntry)), 4096, 0};
    f->measured = (TextCache){calloc(4096, sizeof(TextEntry)), 4096, 0};
    if (f->drawn.v && f->drawn_old.v && f->measured.v)
        return true;
    snprintf(err, errsize, "out of memory for the text caches");
    fonts_free(f);
    return false;
}

TTF_Font *fonts_get(Fonts *f, FontFace face, int px)
{
    if (px < 6)
        px = 6;
    if (px > 200)
        px = 200;
    for (int i = 0; i < FONT_MAX_SIZES; i++) {
        if (f->sizes[face][i].px == px)
            return f->sizes[face][i].f;
        if (f->sizes[face][i].px == 0) {
            char p[1200];
            snprintf(p, sizeof p, "%.1100s/%s", f->dir, face_file[face]);
            TTF_Font *font = TTF_OpenFont(p, px);
            if (!font)
                return NULL;
            TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
            f->sizes[face][i].px = px;
            f->sizes[face][i].f = font;
            return font;
        }
    }
    return f->sizes[face][FONT_MAX_SIZES - 1].f; /* too many sizes: reuse */
}

static void cache_empty(TextCache *c)
{
    for (unsigned i = 0; c->v && i < c->cap; i++) {
        if (c->v[i].tex)
            SDL_DestroyTexture(c->v[i].tex);
        free(c->v[i].text);
        memset(&c->v[i], 0, sizeof c->v[i]);
    }
    c->n = 0;
}

void fonts_flush(Fonts *f)
{
    cache_empty(&f->drawn);
    cache_empty(&f->drawn_old);
    f->sweep = 0;
}

void fonts_free(Fonts *f)
{
    fonts_flush(f);
    cache_empty(&f->measured);
    free(f->drawn.v);
    free(f->drawn_old.v);
    free(f->measured.v);
    for (int face = 0; face < FACE_COUNT; face++)
        for (int i = 0; i < FONT_MAX_SIZES; i++)
            if (f->sizes[face][i].f)
                TTF_CloseFont(f->sizes[face][i].f);
    memset(f, 0, sizeof *f);
}

static uint64_t hash_key(FontFace face, int px, SDL_Color c, const char *text)
{
    uint64_t h = 1469598103934665603ull;
    h = (h ^ (uint64_t)face) * 1099511628211ull;
    h = (h ^ (uint64_t)px) * 1099511628211ull;
    h = (h ^ ((uint64_t)c.r << 24 | (uint64_t)c.g << 16 | (uint64_t)c.b << 8 | c.a)) * 1099511628211ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h | 1;
}

/* The entry for (key, text) in c, or NULL. */
static TextEntry *cache_find(TextCache *c, uint64_t key, const char *text)
{
    for (unsigned i = (unsigned)(key % c->cap); c->v[i].hash; i = (i + 1) % c->cap)
        if (c->v[i].hash == key && !strcmp(c->v[i].text, text))
            return &c->v[i];
    return NULL;
}

/* Keep (key, text) in c, emptying c first when half full. */
static void cache_put(TextCache *c, uint64_t key, const char *text, SDL_Texture *t, int w, int h)
{
    if (c->n >= c->cap / 2)
        cache_empty(c);
    unsigned i = (unsigned)(key % c->cap);
    while (c->v[i].hash)
        i = (i + 1) % c->cap;
    char *copy = strdup(text);
    if (!copy) { /* the caller draws t: it cannot be let go here */
        fputs("gomemviz: out of memory\n", stderr);
        abort();
    }
    c->v[i] = (TextEntry){key, copy, t, w, h};
    c->n++;
}

/* Destroy the next texture left in the old table (its slot stays, without
 * a texture: lookups pass it as a miss). */
static void sweep_one(Fonts *f)
{
    for (; f->sweep < f->drawn_old.cap; f->sweep++) {
        TextEntry *e = &f->drawn_old.v[f->sweep];
        if (e->tex) {
            SDL_DestroyTexture(e->tex);
            e->tex = NULL;
            f->sweep++;
            return;
        }
    }
}

/* Keep a texture in the new table, turning the tables when it is full. */
static void drawn_put(Fonts *f, uint64_t key, const char *text, SDL_Texture *t, int w, int h)
{
    if (f->drawn.n >= f->drawn.cap / 2) {
        cache_empty(&f->drawn_old); /* swept by now: frees the texts */
        TextCache turn = f->drawn_old;
        f->drawn_old = f->drawn;
        f->drawn = turn;
        f->sweep = 0;
    }
    cache_put(&f->drawn, key, text, t, w, h);
    sweep_one(f);
}

SDL_Texture *fonts_text(Fonts *f, FontFace face, int px, SDL_Color c,
                        const char *text, int *w, int *h)
{
    *w = *h = 0;
    if (!text || !*text)
        return NULL;
    uint64_t key = hash_key(face, px, c, text);
    TextEntry *e = cache_find(&f->drawn, key, text);
    if (e) {
        *w = e->w, *h = e->h;
        return e->tex;
    }
    if ((e = cache_find(&f->drawn_old, key, text)) && e->tex) { /* drawn again */
        SDL_Texture *t = e->tex;
        e->tex = NULL;
        *w = e->w, *h = e->h;
        drawn_put(f, key, text, t, *w, *h);
        return t;
    }
    TTF_Font *font = fonts_get(f, face, px);
    if (!font)
        return NULL;
    SDL_Surface *s = TTF_RenderUTF8_Blended(font, text, c);
    if (!s)
        return NULL;
    SDL_Texture *t = SDL_CreateTextureFromSurface(f->ren, s);
    *w = s->w, *h = s->h;
    SDL_FreeSurface(s);
    if (!t)
        return NULL;
    drawn_put(f, key, text, t, *w, *h);
    return t;
}

void fonts_measure(Fonts *f, FontFace face, int px, const char *text, int *w, int *h)
{
    *w = *h = 0;
    TTF_Font *font = fonts_get(f, face, px);
    if (!font)
        return;
    if (!text || !*text) {
        *h = TTF_FontHeight(font);
        return;
    }
    uint64_t key = hash_key(face, px, (SDL_Color){0, 0, 0, 0}, text);
    TextEntry *e = cache_find(&f->measured, key, text);
    if (e) {
        *w = e->w, *h = e->h;
        return;
    }
    TTF_SizeUTF8(font, text, w, h);
    cache_put(&f->measured, key, text, NULL, *w, *h);
}
