/*
 * offscreen.c — software rendering into a surface (see offscreen.h).
 */
#include "offscreen.h"

#include <stdio.h>
#include <string.h>

#include "pngfile.h"

float view_scale(int w, int h, float dpi, float text_scale)
{
    /* Layout units are designed for 1600x900; bigger frames scale up so a
     * projector at 1080p or 4K gets proportionally larger type. */
    float sw = w / (1600.0f * dpi), sh = h / (900.0f * dpi);
    float fit = sw < sh ? sw : sh;
    if (fit < 0.7f)
        fit = 0.7f;
    if (fit > 2.5f)
        fit = 2.5f;
    return fit * dpi * text_scale;
}

bool offscreen_init(Offscreen *o, int w, int h, char *err, size_t errsize)
{
    memset(o, 0, sizeof *o);
    o->w = w;
    o->h = h;
    o->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!o->surf) {
        snprintf(err, errsize, "cannot make a %dx%d frame: %s", w, h, SDL_GetError());
        return false;
    }
    o->ren = SDL_CreateSoftwareRenderer(o->surf);
    if (!o->ren) {
        snprintf(err, errsize, "cannot start the software renderer: %s", SDL_GetError());
        SDL_FreeSurface(o->surf);
        return false;
    }
    if (!fonts_init(&o->fonts, o->ren, err, errsize)) {
        SDL_DestroyRenderer(o->ren);
        SDL_FreeSurface(o->surf);
        memset(o, 0, sizeof *o);
        return false;
    }
    o->d.r = o->ren;
    o->d.fonts = &o->fonts;
    return true;
}

void offscreen_free(Offscreen *o)
{
    if (o->ren) {
        fonts_free(&o->fonts);
        SDL_DestroyRenderer(o->ren);
    }
    if (o->surf)
        SDL_FreeSurface(o->surf);
    memset(o, 0, sizeof *o);
}

void offscreen_render(Offscreen *o, Replay *rp, const View *v)
{
    o->d.pal = palette_get(v->palette);
    o->d.s = view_scale(o->w, o->h, v->dpi, v->text_scale);
    render_frame(&o->d, rp, v, o->w, o->h, NULL);
    SDL_RenderPresent(o->ren);
}

bool offscreen_save(Offscreen *o, const char *path, char *err, size_t errsize)
{
    return png_save(o->surf, path, err, errsize);
}
