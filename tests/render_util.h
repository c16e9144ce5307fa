/*
 * render_util.h — what the renderer's tests share (test_render.c,
 * test_render_hits.c): the synthetic lesson replayed once per test
 * program, an offscreen frame of W x H, its pixels, a View at a step.
 */
#ifndef GMV_TEST_RENDER_UTIL_H
#define GMV_TEST_RENDER_UTIL_H

#include "testutil.h"

#include <string.h>

#include "offscreen.h"
#include "viz_synth.h"

#define W 1280
#define H 720

static MemTrace trace;
static Replay rp;

static inline int setup(void **state)
{
    (void)state;
    TraceParams p = trace_params_default();
    memtrace_open(&trace, &p);
    synth_lesson(&trace.tr);
    memtrace_close(&trace);
    return replay_open_mem(&rp, (uint8_t *)trace.buf, trace.len, NULL) == TRACE_OK ? 0 : -1;
}

static inline int teardown(void **state)
{
    (void)state;
    replay_close(&rp);
    free(trace.buf);
    return 0;
}

static inline Offscreen *new_off(void)
{
    Offscreen *o = malloc(sizeof *o);
    char err[256];
    if (!offscreen_init(o, W, H, err, sizeof err))
        fail_msg("%s", err);
    return o;
}

static inline void del_off(Offscreen *o)
{
    offscreen_free(o);
    free(o);
}

static inline uint8_t *pixels(Offscreen *o, Replay *r, const View *v)
{
    offscreen_render(o, r, v);
    size_t n = (size_t)o->surf->pitch * (size_t)o->surf->h;
    uint8_t *copy = malloc(n);
    memcpy(copy, o->surf->pixels, n);
    return copy;
}

static inline void view_at_step(View *v, size_t k)
{
    view_defaults(v);
    v->name = "synthetic";
    v->pos = replay_step_end(&rp, k);
    v->from = rp.steps[k].at;
}

#endif
