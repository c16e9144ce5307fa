/*
 * pngfile.c — PNG files through libpng's simplified API (png_image), never a
 * hand-written encoder.
 *
 * Invariant: png_save converts to RGB24 first, so every surface format
 * gives the same file for the same pixels.
 */
#include "pngfile.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool png_save(SDL_Surface *s, const char *path, char *err, size_t errsize)
{
    SDL_Surface *rgb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
    if (!rgb) {
        snprintf(err, errsize, "cannot convert the frame: %s", SDL_GetError());
        return false;
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)rgb->w;
    img.height = (png_uint_32)rgb->h;
    img.format = PNG_FORMAT_RGB;
    SDL_LockSurface(rgb);
    int ok = png_image_write_to_file(&img, path, 0, rgb->pixels, rgb->pitch, NULL);
    SDL_UnlockSurface(rgb);
    SDL_FreeSurface(rgb);
    if (!ok) {
        snprintf(err, errsize, "cannot write %s: %s", path, img.message);
        png_image_free(&img);
        return false;
    }
    return true;
}

bool png_load_rgb(const char *path, uint8_t **rgb, int *w, int *h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        return false;
    img.format = PNG_FORMAT_RGB;
    size_t size = PNG_IMAGE_SIZE(img);
    *rgb = malloc(size);
    if (!*rgb || !png_image_finish_read(&img, NULL, *rgb, 0, NULL)) {
        free(*rgb);
        *rgb = NULL;
        png_image_free(&img);
        return false;
    }
    *w = (int)img.width;
    *h = (int)img.height;
    return true;
}
