/*
 * font.c — finding assets/fonts, opening faces per pixel size, and caching
 * rendered strings as textures (see font.h).
 *
 * Invariant: the cache holds at most cache_cap / 2 entries; when it fills it
 * is emptied wholesale, which keeps it simple and never changes a frame.
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
    f->cache_cap = 4096;
    f->cache = calloc(f->cache_cap, sizeof *f->cache);
    return f->cache != NULL;
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

void fonts_flush(Fonts *f)
{
    for (unsigned i = 0; i < f->cache_cap; i++) {
        if (f->cache[i].tex)
            SDL_DestroyTexture(f->cache[i].tex);
        free(f->cache[i].text);
        memset(&f->cache[i], 0, sizeof f->cache[i]);
    }
    f->cache_n = 0;
}

void fonts_free(Fonts *f)
{
    if (f->cache)
        fonts_flush(f);
    free(f->cache);
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

SDL_Texture *fonts_text(Fonts *f, FontFace face, int px, SDL_Color c,
                        const char *text, int *w, int *h)
{
    *w = *h = 0;
    if (!text || !*text)
        return NULL;
    uint64_t key = hash_key(face, px, c, text);
    unsigned i = (unsigned)(key % f->cache_cap);
    while (f->cache[i].hash) {
        if (f->cache[i].hash == key && !strcmp(f->cache[i].text, text)) {
            *w = f->cache[i].w, *h = f->cache[i].h;
            return f->cache[i].tex;
        }
        i = (i + 1) % f->cache_cap;
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
    if (f->cache_n >= f->cache_cap / 2) {
        fonts_flush(f);
        i = (unsigned)(key % f->cache_cap);
    }
    f->cache[i] = (TextEntry){key, strdup(text), t, *w, *h};
    f->cache_n++;
    return t;
}

void fonts_measure(Fonts *f, FontFace face, int px, const char *text, int *w, int *h)
{
    *w = *h = 0;
    TTF_Font *font = fonts_get(f, face, px);
    if (font && text && *text)
        TTF_SizeUTF8(font, text, w, h);
    else if (font)
        *h = TTF_FontHeight(font);
}
