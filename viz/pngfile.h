/*
 * pngfile.h — write an SDL_Surface as a PNG (libpng) and read one back for the
 * reference-image tests.
 *
 * Invariant: the bytes written depend only on the pixels (no timestamps).
 */
#ifndef GMV_PNGFILE_H
#define GMV_PNGFILE_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

/* Save s (any format) as 8-bit RGB.  Returns false with err set. */
bool png_save(SDL_Surface *s, const char *path, char *err, size_t errsize);
/* Load an 8-bit RGB(A) PNG into malloc'd RGB bytes; false on failure. */
bool png_load_rgb(const char *path, uint8_t **rgb, int *w, int *h);

#endif
