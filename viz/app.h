/*
 * app.h — the viewer window: event loop, controls, animation clock.
 */
#ifndef GMV_APP_H
#define GMV_APP_H

#include "replay.h"

/* Open a window on rp and run until the user quits.  Returns false with a
 * one-line err when there is no display or the window cannot be made. */
bool app_run(Replay *rp, const char *name, char *err, size_t errsize);

#endif
