/*
 * app.h — the viewer window: event loop, controls, animation clock.
 */
#ifndef GMV_APP_H
#define GMV_APP_H

#include "replay.h"

/* PgUp/PgDn between lessons: the viewer never links the lessons, so the
 * caller records the neighbouring lesson and hands back its trace. */
typedef struct {
    void *ctx;
    /* Record the lesson delta (-1, +1) away from the current one into a
     * trace; fill path and a title for the window.  false: there is none
     * (msg says why). */
    bool (*go)(void *ctx, int delta, char *path, size_t pathsize, char *msg,
               size_t msgsize);
} AppLessons;

/* Open a window on rp and run until the user quits.  lessons may be NULL
 * (a trace file: PgUp/PgDn only say so).  Returns false with a one-line
 * err when there is no display or the window cannot be made. */
bool app_run(Replay *rp, const char *name, const AppLessons *lessons, char *err,
             size_t errsize);

#endif
